import Foundation
import Testing

/// Chapter 3, Advanced Request-Reply: the load-balancing broker three ways
/// (plain sockets, ZMsg and actors, the reactor), held to the same result,
/// and its envelopes checked on the wire with Python workers and clients.
@Suite("Chapter 3b")
struct Chapter3bTests {
    /// The lines of `process` equal to `text`.
    private func count(_ text: String, in process: ScenarioProcess) -> Int {
        process.lines.filter { $0 == text }.count
    }

    /// lbbroker prints the request as text; lbbroker2 (ZMsg, actors) as
    /// zframe_print does, with the frame's size first.
    @Test("lbbroker and lbbroker2: ten clients get OK, the workers handle ten requests, then it ends by itself",
          arguments: [("lbbroker", "Worker: HELLO"), ("lbbroker2", "Worker: [005] HELLO")])
    func endsAfterTenReplies(broker name: String, workerLine: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch(name)
        #expect(try await broker.waitForExit(within: .seconds(20)) == 0)
        #expect(count("Client: OK", in: broker) == 10)
        #expect(count(workerLine, in: broker) == 10)
        #expect(broker.lines.count == 20, "\(broker.output)")
        #expect(broker.errorOutput.isEmpty, "\(broker.errorOutput)")
    }

    @Test("lbbroker3 (reactor): clients keep getting OK every second until Ctrl-C, then it exits cleanly")
    func lbbroker3() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("lbbroker3")
        // Two rounds of ten replies: the clients ask again after a second
        for _ in 0..<20 {
            try await broker.expectLine("Client: OK", within: .seconds(15))
        }
        broker.signal(SIGINT)
        #expect(try await broker.waitForExit(within: .seconds(15)) == 0)
        let replies = count("Client: OK", in: broker)
        let handled = count("Worker: [005] HELLO", in: broker)
        #expect(replies >= 20)
        // Every reply was a request some worker handled
        #expect(handled >= replies)
        #expect(broker.lines.count == replies + handled, "\(broker.output)")
        #expect(broker.errorOutput.isEmpty, "\(broker.errorOutput)")
    }

    @Test("lbbroker's clients are served by a Python worker: it gets [client, \"\", HELLO] and its OK comes back")
    func lbbrokerPythonWorker() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // No worker threads: the Python worker gets every request
        let broker = try scenario.launch("lbbroker", ["--workers", "0"])
        let worker = try scenario.launchPython("worker", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ)
            s.connect("ipc://backend.ipc")
            s.send(b"READY")
            for _ in range(10):
                frames = s.recv_multipart()
                show("request", frames)
                s.send_multipart([frames[0], b"", b"OK"])
            """)
        #expect(try await worker.waitForExit(within: .seconds(20)) == 0)
        #expect(try await broker.waitForExit(within: .seconds(10)) == 0)
        // The request inside the envelope of the client, whose identity is printable
        let clients = worker.lines.compactMap { line in
            line.wholeMatch(of: /request \["([0-9A-F]{4}-[0-9A-F]{4})", "", "HELLO"\]/).map { String($0.1) }
        }
        #expect(clients.count == 10, "\(worker.output)")
        #expect(Set(clients).count == 10)
        #expect(count("Client: OK", in: broker) == 10)
        #expect(!broker.lines.contains { $0.hasPrefix("Worker:") })
    }

    @Test("lbbroker answers a Python client with one frame, OK, from its own workers")
    func lbbrokerPythonClient() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // No client threads: the broker serves outside clients until stopped
        let broker = try scenario.launch("lbbroker", ["--clients", "0"])
        let client = try scenario.launchPython("client", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ)
            s.connect("ipc://frontend.ipc")
            for _ in range(3):
                s.send(b"HELLO")
                show("reply", s.recv_multipart())
            """)
        for _ in 0..<3 {
            try await client.expectLine("reply [\"OK\"]", within: .seconds(15))
            try await broker.expectLine("Worker: HELLO")
        }
        #expect(try await client.waitForExit() == 0)
        #expect(!broker.isFinished)
    }

    @Test("lbbroker2 wraps each request for a Python worker: [client, \"\", HELLO], and routes its OK back")
    func lbbroker2PythonWorker() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("lbbroker2", ["--workers", "0"])
        let worker = try scenario.launchPython("worker", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ)
            s.connect("ipc://backend.ipc")
            s.send(b"READY")
            for _ in range(10):
                frames = s.recv_multipart()
                show("request", frames)
                s.send_multipart(frames[:-1] + [b"OK"])
            """)
        #expect(try await worker.waitForExit(within: .seconds(20)) == 0)
        #expect(try await broker.waitForExit(within: .seconds(10)) == 0)
        // These clients keep the identity the ROUTER gives them: a zero byte, then four
        let clients = worker.lines.compactMap { line in
            line.wholeMatch(of: /request \["(0x00[0-9A-F]{8})", "", "HELLO"\]/).map { String($0.1) }
        }
        #expect(clients.count == 10, "\(worker.output)")
        #expect(Set(clients).count == 10)
        #expect(count("Client: OK", in: broker) == 10)
    }
}
