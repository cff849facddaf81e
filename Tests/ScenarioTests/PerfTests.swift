import Foundation
import Testing

/// The ports of libzmq's perf tools: each pair runs together over tcp and
/// ipc, the inproc tools alone, and pyzmq peers check what crosses the wire.
/// Counts are small: these prove the tools work and report in libzmq's
/// format; speed is measured by scripts/bench, never asserted here.
@Suite("Perf tools")
struct PerfTests {
    /// Checks the four lines of a throughput report for `size` and `count`:
    /// a whole msg/s rate, and Mb/s with three decimals that agrees with it.
    static func expectThroughputReport(_ process: ScenarioProcess, size: Int, count: Int) async throws {
        try await process.expectLine("message size: \(size) [B]", within: .seconds(30))
        try await process.expectLine("message count: \(count)")
        let rateLine = try await process.expectLine(containing: "[msg/s]")
        let rate = try #require(rateLine.wholeMatch(of: /mean throughput: (\d+) \[msg\/s\]/).flatMap { Int($0.1) })
        #expect(rate > 0)
        let bitsLine = try await process.expectLine(containing: "[Mb/s]")
        let megabits = try #require(bitsLine.wholeMatch(of: /mean throughput: (\d+\.\d{3}) \[Mb\/s\]/).flatMap { Double($0.1) })
        // Mb/s is the message rate times the bits of a message (the rate line
        // drops the fraction, so allow one message per second of difference).
        let expected = Double(rate) * Double(size) * 8 / 1_000_000
        #expect(abs(megabits - expected) <= Double(size) * 8 / 1_000_000 + 0.001)
    }

    /// Checks the three lines of a latency report: a positive average in µs with three decimals.
    static func expectLatencyReport(_ process: ScenarioProcess, size: Int, count: Int) async throws {
        try await process.expectLine("message size: \(size) [B]", within: .seconds(30))
        try await process.expectLine("roundtrip count: \(count)")
        let line = try await process.expectLine(containing: "average latency")
        let latency = try #require(line.wholeMatch(of: /average latency: (\d+\.\d{3}) \[us\]/).flatMap { Double($0.1) })
        #expect(latency > 0)
    }

    @Test("local_thr and remote_thr over tcp and ipc: the receiver reports size, count and rate", arguments: [
        ("tcp://*:5555", "tcp://localhost:5555"),
        ("ipc://perf.ipc", "ipc://perf.ipc"),
    ])
    func throughputPair(bind: String, connect: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let local = try scenario.launch("local_thr", [bind, "100", "5000"])
        let remote = try scenario.launch("remote_thr", [connect, "100", "5000"])
        try await Self.expectThroughputReport(local, size: 100, count: 5000)
        #expect(try await local.waitForExit(within: .seconds(20)) == 0)
        #expect(try await remote.waitForExit(within: .seconds(20)) == 0)
        #expect(remote.output.isEmpty)   // the sender prints nothing, as libzmq's does
    }

    @Test("local_lat and remote_lat over tcp and ipc: the client reports size, round trips and latency", arguments: [
        ("tcp://*:5555", "tcp://localhost:5555"),
        ("ipc://lat.ipc", "ipc://lat.ipc"),
    ])
    func latencyPair(bind: String, connect: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let local = try scenario.launch("local_lat", [bind, "64", "200"])
        let remote = try scenario.launch("remote_lat", [connect, "64", "200"])
        try await Self.expectLatencyReport(remote, size: 64, count: 200)
        #expect(try await remote.waitForExit(within: .seconds(20)) == 0)
        #expect(try await local.waitForExit(within: .seconds(20)) == 0)   // after its one-second pause
        #expect(local.output.isEmpty)
    }

    @Test("inproc_thr reports size, count and rate with no partner process")
    func inprocThroughput() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let tool = try scenario.launch("inproc_thr", ["1024", "20000"])
        try await Self.expectThroughputReport(tool, size: 1024, count: 20000)
        #expect(try await tool.waitForExit(within: .seconds(20)) == 0)
    }

    @Test("inproc_lat reports size, round trips and latency with no partner process")
    func inprocLatency() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let tool = try scenario.launch("inproc_lat", ["16", "1000"])
        try await Self.expectLatencyReport(tool, size: 16, count: 1000)
        #expect(try await tool.waitForExit(within: .seconds(20)) == 0)
    }

    @Test("remote_thr sends exactly message-count single-frame messages of message-size bytes")
    func remoteThrOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let peer = try scenario.launchPython("pull", """
            import zmq
            s = zmq.Context().socket(zmq.PULL)
            s.bind("tcp://*:5555")
            print("bound", flush=True)
            sizes, parts = {}, 0
            for _ in range(300):
                frames = s.recv_multipart()
                parts = max(parts, len(frames))
                sizes[len(frames[0])] = sizes.get(len(frames[0]), 0) + 1
            s.RCVTIMEO = 500
            try:
                s.recv()
                print("one too many")
            except zmq.Again:
                pass
            print("frames per message", parts, "sizes", sizes, flush=True)
            """)
        try await peer.expectLine("bound")
        let remote = try scenario.launch("remote_thr", ["tcp://localhost:5555", "32", "300"])
        try await peer.expectLine("frames per message 1 sizes {32: 300}", within: .seconds(15))
        #expect(!peer.lines.contains("one too many"))
        #expect(try await remote.waitForExit(within: .seconds(10)) == 0)
    }

    @Test("local_thr counts the messages of a Python PUSH peer and checks their size")
    func localThrFromPython() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let local = try scenario.launch("local_thr", ["tcp://*:5555", "10", "500"])
        let peer = try scenario.launchPython("push", """
            import zmq
            c = zmq.Context()
            s = c.socket(zmq.PUSH)
            s.connect("tcp://localhost:5555")
            for _ in range(500):
                s.send(b"0123456789")
            s.close()
            c.term()
            """)
        try await Self.expectThroughputReport(local, size: 10, count: 500)
        #expect(try await local.waitForExit(within: .seconds(10)) == 0)
        #expect(try await peer.waitForExit(within: .seconds(10)) == 0)
    }

    @Test("local_thr refuses a message of the wrong size and exits with an error")
    func localThrWrongSize() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let local = try scenario.launch("local_thr", ["tcp://*:5555", "10", "5"])
        let peer = try scenario.launchPython("push", """
            import zmq
            c = zmq.Context()
            s = c.socket(zmq.PUSH)
            s.connect("tcp://localhost:5555")
            s.send(b"too long for ten bytes")
            s.close()
            c.term()
            """)
        #expect(try await local.waitForExit(within: .seconds(10)) != 0)
        #expect(local.errorOutput.contains("message of incorrect size received"))
        #expect(try await peer.waitForExit(within: .seconds(10)) == 0)
    }

    @Test("local_lat sends every request back unchanged to a Python REQ peer")
    func localLatEchoesOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let local = try scenario.launch("local_lat", ["tcp://*:5555", "8", "3"])
        let peer = try scenario.launchPython("req", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ)
            s.connect("tcp://localhost:5555")
            for payload in (b"round 1!", b"round 2!", b"round 3!"):
                s.send(payload)
                show("echo", s.recv_multipart())
            """)
        for round in 1...3 {
            try await peer.expectLine("echo [\"round \(round)!\"]", within: .seconds(15))
        }
        #expect(try await peer.waitForExit(within: .seconds(10)) == 0)
        #expect(try await local.waitForExit(within: .seconds(10)) == 0)
    }

    @Test("remote_lat sends roundtrip-count requests of message-size zero bytes to a Python REP peer")
    func remoteLatOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let peer = try scenario.launchPython("rep", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REP)
            s.bind("tcp://*:5555")
            print("bound", flush=True)
            for _ in range(5):
                frames = s.recv_multipart()
                show("request", frames)
                s.send_multipart(frames)
            """)
        try await peer.expectLine("bound")
        let remote = try scenario.launch("remote_lat", ["tcp://localhost:5555", "4", "5"])
        for _ in 0..<5 {
            try await peer.expectLine("request [\"0x00000000\"]", within: .seconds(15))
        }
        try await Self.expectLatencyReport(remote, size: 4, count: 5)
        #expect(try await remote.waitForExit(within: .seconds(10)) == 0)
    }

    @Test("bad arguments: the usage line on standard error and a non-zero exit", arguments: [
        ("local_thr", [String](), "Usage: local_thr <bind-to> <message-size> <message-count>"),
        ("remote_thr", ["tcp://localhost:5555", "many", "10"], "Usage: remote_thr <connect-to> <message-size> <message-count>"),
        ("local_lat", ["tcp://*:5555", "16"], "Usage: local_lat <bind-to> <message-size> <roundtrip-count>"),
        ("remote_lat", ["tcp://localhost:5555", "16", "0"], "Usage: remote_lat <connect-to> <message-size> <roundtrip-count>"),
        ("inproc_thr", ["16", "10", "extra"], "Usage: inproc_thr <message-size> <message-count>"),
        ("inproc_lat", ["-1", "10"], "Usage: inproc_lat <message-size> <roundtrip-count>"),
    ])
    func badArguments(tool: String, arguments: [String], usage: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let process = try scenario.launch(tool, arguments)
        #expect(try await process.waitForExit(within: .seconds(10)) != 0)
        // ArgumentParser writes "Usage:" after an error, "USAGE:" in the full help shown for no arguments
        #expect(process.errorOutput.lowercased().contains(usage.lowercased()), "\(process.report("no usage line"))")
        #expect(process.output.isEmpty)
    }
}
