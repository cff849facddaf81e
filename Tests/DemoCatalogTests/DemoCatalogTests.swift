import DemoCatalog
import Foundation
import Testing

/// The package's root, where Package.swift and examples.md are.
private let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The example names Package.swift lists in its `[Example]` arrays.
private func listedExamples() throws -> Set<String> {
    let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
    var names = Set<String>()
    var inArray = false
    // An array runs from its `let NAME: [Example] = [` line to the next blank
    // line or top-level declaration or comment (it may go on with `] + [...].map`).
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.contains(": [Example] = [") { inArray = true; continue }
        guard inArray else { continue }
        if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("let ") || line.hasPrefix("//") {
            inArray = false
            continue
        }
        // Drop `uses: [...]` (library names), keep the quoted example names.
        let code = line.replacingOccurrences(of: #"uses:\s*\[[^\]]*\]"#, with: "", options: .regularExpression)
            .components(separatedBy: "//")[0]
        let parts = code.split(separator: "\"", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() where index % 2 == 1 { names.insert(String(part)) }
    }
    return names
}

@Suite struct DemoCatalogTests {
    @Test("every demo starts examples that Package.swift lists, or is marked pending")
    func executablesAreListed() throws {
        let listed = try listedExamples()
        #expect(listed.contains("hwserver") && listed.contains("local_thr"))
        for demo in demos {
            let missing = demo.executables.filter { !listed.contains($0) }
            if demo.pending == nil {
                #expect(missing.isEmpty, "demo \(demo.name) starts \(missing), which Package.swift does not list")
            } else {
                #expect(!missing.isEmpty, "demo \(demo.name): every example it starts is listed now; remove \"\(demo.pending ?? "")\" from pendingStreams (Sources/DemoCatalog/Catalog.swift) to enable its demos")
            }
        }
    }

    @Test("examples.md's generated diagrams match the demos (regenerate: swift run demo --update-diagrams)")
    func diagramsAreCurrent() throws {
        let text = try String(contentsOf: root.appendingPathComponent("examples.md"), encoding: .utf8)
        let begin = try #require(text.range(of: diagramsBegin), "examples.md has no generated diagrams section")
        let end = try #require(text.range(of: diagramsEnd))
        let committed = String(text[begin.lowerBound..<end.upperBound])
        #expect(committed == diagramsSection(), "examples.md's diagrams are stale: run `swift run demo --update-diagrams`")
    }

    @Test("names and labels are unique, and drivers and endpoints make sense")
    func wellFormed() {
        #expect(Set(demos.map(\.name)).count == demos.count)
        for demo in demos {
            let labels = demo.processes.map(\.label)
            #expect(Set(labels).count == labels.count, "\(demo.name): duplicate labels")
            for driver in demo.drivers { #expect(labels.contains(driver), "\(demo.name): driver \(driver) is not a process") }
            for socket in demo.processes.flatMap(\.sockets) {
                #expect(["tcp://", "ipc://", "inproc://"].contains { socket.endpoint.hasPrefix($0) })
                if socket.endpoint.hasPrefix("tcp://") && socket.side == .connect {
                    // Loopback only, also in the demos.
                    #expect(["tcp://localhost:", "tcp://127."].contains { socket.endpoint.hasPrefix($0) }, "\(socket.endpoint)")
                }
            }
        }
    }

    @Test("every example of chapters 1 to 3 that needs a partner has a demo")
    func partnersCovered() {
        let covered = Set(demos.flatMap(\.executables))
        for name in ["hwserver", "hwclient", "wuserver", "wuclient", "taskvent", "taskwork", "tasksink",
                     "hwclient2", "hwserver2", "hwclient3", "hwserver3", "hwclient4", "hwserver4",
                     "msreader", "mspoller", "rrclient", "rrworker", "rrbroker", "msgqueue", "taskwork2",
                     "tasksink2", "mtserver", "syncpub", "syncsub", "psenvpub", "psenvsub",
                     "peering1", "peering2", "peering3", "dakee", "local_thr", "remote_thr", "local_lat", "remote_lat"] {
            #expect(covered.contains(name), "\(name) has no demo")
        }
    }

    @Test("a diagram draws an arrow from the connecting socket to the binding one")
    func helloDiagram() throws {
        let hello = try #require(demo(named: "hwserver"))
        #expect(hello.mermaid.contains("hwclient -- \"REQ → REP<br/>tcp://*:5555\" --> hwserver"))
        let pipeline = try #require(demo(named: "taskvent"))
        #expect(pipeline.mermaid.contains("taskwork_1 -- \"PUSH → PULL<br/>tcp://*:5558\" --> tasksink"))
        #expect(demo(named: "tasksink")?.name == "taskvent", "an example's name finds its demo")
    }
}
