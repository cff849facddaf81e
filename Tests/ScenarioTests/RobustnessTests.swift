import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The faults the fuzz sweep (scripts/sweep) found, each pinned by a scenario
/// of its own so that it cannot come back unnoticed.
@Suite("Robustness")
struct RobustnessTests {
    @Test("hwserver answers a DEALER's request of several frames once, and keeps serving")
    func hwserverMultipartRequest() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("hwserver")
        let peer = try scenario.launchPython("dealer", """
            import zmq
            from wire import show
            context = zmq.Context()
            dealer = context.socket(zmq.DEALER)
            dealer.connect("tcp://localhost:5555")
            dealer.send_multipart([b"", b"Hello", b"and more"])
            show("dealer", dealer.recv_multipart())
            req = context.socket(zmq.REQ)
            req.connect("tcp://localhost:5555")
            req.send(b"Hello")
            show("req", req.recv_multipart())
            """)
        try await peer.expectLine("dealer [\"\", \"World\"]", within: .seconds(20))
        try await peer.expectLine("req [\"World\"]", within: .seconds(20))
        #expect(try await peer.waitForExit() == 0)
        #expect(!server.errorOutput.contains("Error"))
    }

    @Test("peering2 ends at once on a signal while it waits at its prompt", arguments: [SIGINT, SIGTERM])
    func peering2SignalAtPrompt(signal: Int32) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("peering2", ["DC1", "DC2"])
        try await broker.expectText("Press Enter when all brokers are started: ")
        broker.signal(signal)
        #expect(try await broker.waitForExit(within: .seconds(2)) == 0)
    }

    @Test("lbbroker2 drops a client's request without an envelope and serves on")
    func lbbroker2MalformedTraffic() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("lbbroker2", ["--clients", "0", "--workers", "1"])
        let peer = try scenario.launchPython("peers", """
            import time, zmq
            from wire import show
            context = zmq.Context()
            # A DEALER client without the empty delimiter: not a request
            bad = context.socket(zmq.DEALER)
            bad.connect("ipc://frontend.ipc")
            for _ in range(5):
                bad.send(b"no envelope")
            time.sleep(0.5)
            client = context.socket(zmq.REQ)
            client.connect("ipc://frontend.ipc")
            for _ in range(3):
                client.send(b"HELLO")
                show("client", client.recv_multipart())
            """)
        for _ in 0..<3 { try await peer.expectLine("client [\"OK\"]", within: .seconds(20)) }
        #expect(try await peer.waitForExit() == 0)
        #expect(broker.errorOutput.contains("malformed request"))
        broker.signal(SIGTERM)
        #expect(try await broker.waitForExit(within: .seconds(2)) == 0)
    }
}
