// swift run demo NAME: starts every process of a pattern, in order, with its
// arguments and its input, prints their output interleaved (each line after
// the process's name), and stops them all when the driving process ends or
// on Ctrl-C. The demos are data: Sources/DemoCatalog/Catalog.swift.
import ArgumentParser
import DemoCatalog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Runs a pattern of the guide: every process it needs, in order, output interleaved.",
        discussion: "Without a name, lists the demos. A name may also be an example's: the first demo that starts it runs.")

    @Argument(help: "The demo to run (see the list).")
    var name: String?

    @Option(help: ArgumentHelp("Kill this process (by its label) with SIGKILL, to watch the pattern recover.", valueName: "label"))
    var kill: String?

    @Option(help: ArgumentHelp("Seconds after the last process started to send that SIGKILL.", valueName: "seconds"))
    var after: Double = 5

    @Flag(help: "Print the commands to run the demo by hand, and its diagram, instead of running it.")
    var show = false

    @Flag(help: "Rewrite the generated diagrams section of examples.md (in the current directory, else the package's).")
    var updateDiagrams = false

    @Flag(help: "Exit non-zero when examples.md's diagrams differ from the demos' data.")
    var checkDiagrams = false

    func run() throws {
        if updateDiagrams || checkDiagrams {
            try diagrams(update: updateDiagrams)
            return
        }
        guard let name else {
            list()
            return
        }
        guard let demo = demo(named: name) else {
            throw ValidationError("no demo named '\(name)'; `swift run demo` lists them")
        }
        if show {
            print("\(demo.name): \(demo.title)")
            for process in demo.processes { print("  \(process.commandLine)") }
            if let note = demo.note { print(note) }
            print("\n```mermaid\n\(demo.mermaid)\n```")
            return
        }
        if let kill, !demo.processes.contains(where: { $0.label == kill }) {
            throw ValidationError("--kill: no process '\(kill)' in \(demo.name); its labels: "
                + demo.processes.map(\.label).joined(separator: ", "))
        }
        let missing = demo.executables.filter { !FileManager.default.isExecutableFile(atPath: binDirectory + "/" + $0) }
        if !missing.isEmpty {
            if let pending = demo.pending {
                print("\(demo.name): not built yet (its examples come with \(pending)): \(missing.joined(separator: ", "))")
                return
            }
            throw ValidationError("\(demo.name): not built: \(missing.joined(separator: ", ")) (run `swift build`)")
        }
        let runner = Runner(demo: demo, kill: kill.map { ($0, after) })
        throw ExitCode(runner.run())
    }

    private func list() {
        print("USAGE: swift run demo NAME [--kill LABEL --after SECONDS] [--show]\n")
        var part: Part?
        for demo in demos {
            if demo.part != part {
                part = demo.part
                print("\(demo.part.title):")
            }
            let built = demo.executables.allSatisfy { FileManager.default.isExecutableFile(atPath: binDirectory + "/" + $0) }
            let mark = demo.pending != nil && !built ? "  (not built yet: \(demo.pending ?? ""))" : ""
            print("  " + demo.name.padding(toLength: 12, withPad: " ", startingAt: 0) + demo.title + mark)
        }
    }

    private func diagrams(update: Bool) throws {
        let candidates = [FileManager.default.currentDirectoryPath + "/examples.md", packageRoot + "/examples.md"]
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("no examples.md here nor at \(packageRoot)")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let fresh = replacingDiagrams(in: text)
        if update {
            if fresh != text { try fresh.write(toFile: path, atomically: true, encoding: .utf8) }
            print(fresh == text ? "\(path): diagrams up to date" : "\(path): diagrams rewritten")
        } else if fresh != text {
            print("\(path): the diagrams differ from the demos; run `swift run demo --update-diagrams`")
            throw ExitCode(1)
        } else {
            print("\(path): diagrams up to date")
        }
    }
}

/// The folder of the demo executable, where SwiftPM also puts every example.
let binDirectory: String = {
    #if os(Linux)
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        return (path as NSString).deletingLastPathComponent
    }
    #endif
    let first = CommandLine.arguments.first ?? "."
    let url = URL(fileURLWithPath: first).resolvingSymlinksInPath()
    return url.deletingLastPathComponent().path
}()

/// The package's root, for examples.md, as this source file knows it.
let packageRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
