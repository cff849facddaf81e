import Foundation
import Testing

/// `swift run demo NAME` end to end: the runner starts the pattern's
/// processes in the scenario's directory and namespace, feeds their input,
/// prefixes their lines with their names, and ends them all.
@Suite struct LearnerDemoTests {
    @Test("demo hwserver: the client gets ten replies, the demo ends with its status and stops the server")
    func helloWorld() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let demo = try scenario.launch("demo", ["hwserver"])
        try await demo.expectLine(containing: "hwserver | Received Hello", within: .seconds(30))
        try await demo.expectLine(within: .seconds(30), "hwclient's tenth reply") {
            $0.hasPrefix("hwclient | Received World") && $0.hasSuffix(" 9")
        }
        try await demo.expectLine(containing: "demo     | hwclient exited with status 0", within: .seconds(15))
        #expect(try await demo.waitForExit() == 0)
        // Plain prefixes: standard output is a pipe here, not a terminal.
        #expect(!demo.output.contains("\u{1B}["))
    }

    @Test("demo taskvent: the runner presses Enter at the ventilator's prompt and the sink's end ends the demo")
    func pipelineWithEnter() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let demo = try scenario.launch("demo", ["taskvent"])
        try await demo.expectLine(containing: "(the demo pressed Enter)", within: .seconds(30))
        try await demo.expectLine(containing: "Sending tasks to workers", within: .seconds(15))
        try await demo.expectLine(containing: "Total elapsed time", within: .seconds(60))
        #expect(try await demo.waitForExit() == 0)
        #expect(demo.output.contains("taskwork-1 |") && demo.output.contains("taskwork-2 |"))
    }

    @Test("demo rrbroker --kill rrworker: the worker dies on request, the client waits, Ctrl-C ends all")
    func killAndInterrupt() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let demo = try scenario.launch("demo", ["rrbroker", "--kill", "rrworker", "--after", "0"])
        try await demo.expectLine(containing: "killing rrworker (SIGKILL)", within: .seconds(30))
        demo.signal(SIGINT)
        try await demo.expectLine(containing: "stopping (Ctrl-C)", within: .seconds(15))
        try await demo.expectLine(containing: "rrworker exited with status 137", within: .seconds(15))
        // The client never got its reply, so the driver did not end well.
        #expect(try await demo.waitForExit() != 0)
    }

    @Test("demo alone lists the demos; a pending demo whose examples are not built says so")
    func listAndPending() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let list = try scenario.launch("demo")
        try await list.expectLine(containing: "hwserver", within: .seconds(15))
        #expect(try await list.waitForExit() == 0)
        #expect(list.output.contains("Chapter 3, Advanced Request-Reply:"))
        let unknown = try scenario.launch("demo", ["no-such-demo"])
        #expect(try await unknown.waitForExit() != 0)
        if !FileManager.default.isExecutableFile(atPath: Binaries.directory.appendingPathComponent("lpserver").path) {
            let pending = try scenario.launch("demo", ["lpclient"])
            try await pending.expectLine(containing: "not built yet", within: .seconds(15))
            #expect(try await pending.waitForExit() == 0)
        }
    }
}
