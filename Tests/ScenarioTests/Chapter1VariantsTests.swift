import Foundation
import Testing

/// The Hello World variants of the guide's repository: DEALER and ROUTER
/// sockets doing by hand the envelope work that REQ and REP do for you.
@Suite("Chapter 1 variants")
struct Chapter1VariantsTests {
    @Test("hwclient2 (DEALER) gets ten replies from hwserver (REP)")
    func dealerClientAndRepServer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("hwserver")
        let client = try scenario.launch("hwclient2")
        for n in 1...10 {
            try await client.expectLine("Sending request msg: Hello NO=\(n)...")
            try await client.expectLine("Received respond msg: World NO=\(n)", within: .seconds(15))
        }
        #expect(try await client.waitForExit() == 0)
        #expect(!client.output.contains("Discard"))
    }

    @Test("hwclient2 and hwclient4 put an empty delimiter before Hello; hwclient4 is called ZMQ")
    func dealerClientsOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let peer = try scenario.launchPython("router", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.ROUTER)
            s.bind("tcp://*:5555")
            print("bound", flush=True)
            while True:
                frames = s.recv_multipart()
                show("request", frames[1:])
                show("identity", frames[:1])
                s.send_multipart([frames[0], b"", b"World"])
            """)
        try await peer.expectLine("bound")
        let anonymous = try scenario.launch("hwclient2")
        for _ in 1...10 { try await peer.expectLine("request [\"\", \"Hello\"]") }
        #expect(try await anonymous.waitForExit() == 0)
        let named = try scenario.launch("hwclient4")
        for n in 1...10 {
            try await peer.expectLine("identity [\"ZMQ\"]")
            try await named.expectLine("Received respond msg: World NO=\(n)")
        }
        #expect(try await named.waitForExit() == 0)
    }

    @Test("hwclient3 (REQ called ZMQ) and hwserver3 (ROUTER) show the envelope")
    func reqClientAndRouterServer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("hwserver3")
        let client = try scenario.launch("hwclient3")
        for n in 1...10 {
            try await server.expectLine("[Frame_1] identity = ZMQ", within: .seconds(15))
            try await server.expectLine("[Frame_2] string = ")
            try await server.expectLine("[Frame_3] Received request msg: Hello")
            try await server.expectLine("Send respond msg: World")
            try await client.expectLine("Received respond msg: World NO=\(n)", within: .seconds(15))
        }
        #expect(try await client.waitForExit() == 0)
    }

    @Test("hwclient4 (DEALER called ZMQ) and hwserver4 (ROUTER) print every frame")
    func dealerClientAndRouterServer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("hwserver4")
        let client = try scenario.launch("hwclient4")
        for n in 1...10 {
            try await server.expectLine("[recv] frame1 = ZMQ", within: .seconds(15))
            try await server.expectLine("[recv] frame2 = ")
            try await server.expectLine("[recv] frame3 = Hello")
            try await server.expectLine("[send] frame1 = ZMQ")
            try await server.expectLine("[send] frame3 = World")
            try await client.expectLine("Received respond msg: World NO=\(n)", within: .seconds(15))
        }
        #expect(try await client.waitForExit() == 0)
    }

    @Test("hwserver2 (REP) and hwserver3 (ROUTER) reply exactly World to a Python REQ; a bad envelope is dropped")
    func serversOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let rep = try scenario.launch("hwserver2")
        let peer = try scenario.launchPython("req", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ)
            s.connect("tcp://localhost:5555")
            for _ in range(2):
                s.send(b"Hello")
                show("reply", s.recv_multipart())
            """)
        for _ in 0..<2 { try await peer.expectLine("reply [\"World\"]", within: .seconds(15)) }
        for _ in 0..<2 { try await rep.expectLine("Received request msg: Hello") }
        #expect(try await peer.waitForExit() == 0)
        rep.terminate()

        let router = try scenario.launch("hwserver3")
        let mixed = try scenario.launchPython("dealer", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.DEALER)
            s.setsockopt(zmq.IDENTITY, b"PY")
            s.connect("tcp://localhost:5555")
            s.send_multipart([b"no delimiter"])     # must be dropped, not answered
            s.send_multipart([b"", b"Hello"])
            show("reply", s.recv_multipart())
            """)
        try await mixed.expectLine("reply [\"\", \"World\"]", within: .seconds(15))
        try await router.expectLine("Discard the ZMQ message!")
        #expect(!router.isFinished)
    }

    @Test("a server whose port is taken says so in one line and exits non-zero")
    func portInUse() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let holder = try scenario.launchPython("holder", """
            import time, zmq
            s = zmq.Context().socket(zmq.REP)
            s.bind("tcp://*:5555")
            print("bound", flush=True)
            time.sleep(60)
            """)
        try await holder.expectLine("bound")
        let server = try scenario.launch("hwserver")
        #expect(try await server.waitForExit() != 0)
        let errors = server.errorOutput.split(separator: "\n")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("tcp://*:5555") == true)
        #expect(errors.first?.contains("Address already in use") == true)
    }
}
