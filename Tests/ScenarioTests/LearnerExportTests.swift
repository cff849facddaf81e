import Foundation
import Testing

/// scripts/export-guide writes the translation in the guide's layout
/// (examples/Swift/NAME.swift, the shared modules beside them, a Package.swift,
/// README and build script), and that folder builds on its own, with no
/// checkout of the guide and no link to this package.
@Suite struct LearnerExportTests {
    @Test("the exported examples/Swift folder has every example and builds with swift build")
    func exportBuilds() async throws {
        let root = Binaries.packageRoot
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("zguide-export-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: target) }

        let export = try await run(root.appendingPathComponent("scripts/export-guide").path, [target.path], in: root)
        #expect(export.status == 0, "\(export.output)")
        let swiftFolder = target.appendingPathComponent("examples/Swift")
        let examples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources/Examples").path)
        for name in examples {
            #expect(FileManager.default.fileExists(atPath: swiftFolder.appendingPathComponent("\(name).swift").path), "\(name).swift missing")
        }
        for item in ["Package.swift", "README", "build", "ZMQ", "ZHelpers", "CLibZMQ", "CLineBuffer"] {
            #expect(FileManager.default.fileExists(atPath: swiftFolder.appendingPathComponent(item).path), "\(item) missing")
        }

        // ZGUIDE_EXPORT_QUICK=1 builds one example instead of all of them.
        let quick = ProcessInfo.processInfo.environment["ZGUIDE_EXPORT_QUICK"] == "1"
        let build = try await run("/usr/bin/env", ["swift", "build"] + (quick ? ["--product", "version"] : []), in: swiftFolder)
        #expect(build.status == 0, "\(build.output.suffix(4000))")
        #expect(!build.output.contains("warning:"), "\(build.output.suffix(4000))")
        let version = try await run(swiftFolder.appendingPathComponent(".build/debug/version").path, [], in: swiftFolder)
        #expect(version.status == 0 && version.output.contains("Current"), "\(version.output)")
    }

    /// Runs a command to its end on a thread of its own (not one of the
    /// concurrency pool's, which the other scenarios need) and returns its
    /// status and merged output.
    private func run(_ executable: String, _ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, in: directory) })
            }.start()
        }
    }

    private func runBlocking(_ executable: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("zguide-export-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close(); try? FileManager.default.removeItem(at: log) }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Never hang the suite: ten minutes is several times a full build here.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 600, execute: watchdog)
        process.waitUntilExit()
        watchdog.cancel()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }
}
