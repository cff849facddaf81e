import Foundation
import Testing

/// Chapter 4, Reliable Request-Reply: the Freelance pattern, brokerless
/// clients talking to several servers. Servers are SIGKILLed mid-run;
/// pyzmq peers (own code) check the frames on the wire, PING and PONG
/// byte for byte.
@Suite("Chapter 4 Freelance", .serialized)
struct Chapter4FreelanceTests {
    @Test("flserver1/flclient1: one endpoint is retried three times; of several, each is tried once until one answers")
    func modelOne() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // Nobody at 5556: three tries, then give up without "OK"
        let lonely = try scenario.launch("flclient1", ["tcp://localhost:5556"])
        #expect(try await lonely.waitForExit(within: .seconds(20)) == 0)
        #expect(lonely.lines.filter { $0 == "W: no response from tcp://localhost:5556, retrying..." }.count == 3)
        #expect(!lonely.lines.contains("Service is running OK"))

        let server = try scenario.launch("flserver1", ["tcp://*:5555"])
        try await server.expectLine("I: echo service is ready at tcp://*:5555")
        let client = try scenario.launch("flclient1", ["tcp://localhost:5556", "tcp://localhost:5555"])
        try await client.expectLine("I: trying echo service at tcp://localhost:5556...")
        try await client.expectLine("W: no response from tcp://localhost:5556", within: .seconds(10))
        try await client.expectLine("I: trying echo service at tcp://localhost:5555...")
        try await client.expectLine("Service is running OK", within: .seconds(10))
        #expect(try await client.waitForExit() == 0)

        // The echo on the wire: every frame comes back as sent
        let peer = try scenario.launchPython("req", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ); s.connect("tcp://localhost:5555")
            s.send_multipart([b"Hello", b"", b"\\x00\\xff"])
            show("reply", s.recv_multipart())
            """)
        try await peer.expectLine(#"reply ["Hello", "", "0x00FF"]"#, within: .seconds(10))
        #expect(try await peer.waitForExit() == 0)
        #expect(server.lines.count == 1)   // just its banner
    }

    @Test("model one and two servers and clients without an endpoint print their usage and fail", arguments: ["flserver1", "flclient1", "flserver2", "flclient2"])
    func usage(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let process = try scenario.launch(name)
        #expect(try await process.waitForExit() != 0)
        try await waitUntil(within: .seconds(5), "the usage line", process) {
            process.errorOutput.lowercased().contains("usage: \(name) <endpoint")
        }
    }

    @Test("flclient2: one of two servers SIGKILLed mid-run, every request still completes")
    func modelTwoSurvivesKill() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let swiftServer = try scenario.launch("flserver2", ["tcp://*:5555"])
        try await swiftServer.expectLine("I: service is ready at tcp://*:5555")
        // A pyzmq REP server that shows the first request and counts
        let peer = try scenario.launchPython("server", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REP); s.bind("tcp://*:5556")
            print("ready", flush=True)
            n = 0
            while True:
                frames = s.recv_multipart()
                n += 1
                if n == 1: show("request", frames)
                if n == 2000: print("served 2000", flush=True)
                s.send_multipart([frames[0], b"OK"])
            """)
        try await peer.expectLine("ready")
        let client = try scenario.launch("flclient2", ["tcp://localhost:5555", "tcp://localhost:5556"])
        // Frames after REP's envelope: [sequence, body]
        try await peer.expectLine(#"request ["1", "random name"]"#, within: .seconds(10))
        try await peer.expectLine("served 2000", within: .seconds(30))
        swiftServer.signal(SIGKILL)
        let line = try await client.expectLine(within: .seconds(60), "the average") { $0.hasPrefix("Average round trip cost: ") }
        #expect(line.wholeMatch(of: /Average round trip cost: \d+ usec/) != nil)
        #expect(!client.lines.contains("E: name service not available, aborting"))
        #expect(try await client.waitForExit() == 0)
    }

    @Test("flserver2 answers a malformed request with an empty frame, logs one line and keeps serving")
    func modelTwoMalformed() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("flserver2", ["tcp://*:5555"])
        try await server.expectLine("I: service is ready at tcp://*:5555")
        let peer = try scenario.launchPython("req", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ); s.connect("tcp://localhost:5555")
            s.send(b"lonely")
            show("reply", s.recv_multipart())
            s.send_multipart([b"7", b"name"])
            show("reply", s.recv_multipart())
            """)
        try await peer.expectLine(#"reply [""]"#, within: .seconds(10))
        try await peer.expectLine(#"reply ["7", "OK"]"#, within: .seconds(10))
        #expect(try await peer.waitForExit() == 0)
        #expect(server.errorOutput.split(separator: "\n").count == 1, "\(server.errorOutput)")
        #expect(!server.isFinished)
    }

    @Test("flserver3: PONG for PING and [sequence, OK] for a request, byte for byte, identity = endpoint")
    func modelThreeWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("flserver3")
        try await server.expectLine("I: service is ready at tcp://*:5555")
        let peer = try scenario.launchPython("router", """
            import time, zmq
            from wire import show
            s = zmq.Context().socket(zmq.ROUTER); s.connect("tcp://localhost:5555")
            time.sleep(0.5)   # the handshake tells us the server's identity
            s.send_multipart([b"tcp://localhost:5555", b"PING"])
            show("pong", s.recv_multipart())
            s.send_multipart([b"tcp://localhost:5555", b"42", b"random name"])
            show("reply", s.recv_multipart())
            """)
        try await peer.expectLine(#"pong ["tcp://localhost:5555", "PONG"]"#, within: .seconds(10))
        try await peer.expectLine(#"reply ["tcp://localhost:5555", "42", "OK"]"#, within: .seconds(10))
        #expect(try await peer.waitForExit() == 0)
    }

    @Test("flclient3: the agent PINGs idle servers ([endpoint, PING], two seconds apart) and sends requests only to the first server alive")
    func modelThreeAgentOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // A pyzmq peer plays two servers: 5555 answers requests (slowly,
        // so the run lasts), 5556 only answers PINGs and counts them
        let peer = try scenario.launchPython("servers", """
            import time, zmq
            from wire import show
            c = zmq.Context()
            busy = c.socket(zmq.ROUTER)
            busy.setsockopt(zmq.ROUTING_ID, b"tcp://localhost:5555"); busy.bind("tcp://*:5555")
            idle = c.socket(zmq.ROUTER)
            idle.setsockopt(zmq.ROUTING_ID, b"tcp://localhost:5556"); idle.bind("tcp://*:5556")
            print("ready", flush=True)
            poller = zmq.Poller(); poller.register(busy, zmq.POLLIN); poller.register(idle, zmq.POLLIN)
            pings = []
            served = 0
            while len(pings) < 2:
                for socket, _ in poller.poll():
                    frames = socket.recv_multipart()
                    if socket is idle:
                        if frames[1:] == [b"PING"]:
                            pings.append(time.time())
                            show("ping", frames[1:])
                            idle.send_multipart([frames[0], b"PONG"])
                        else:
                            show("request to the idle server", frames[1:])
                    elif frames[1:] == [b"PING"]:
                        busy.send_multipart([frames[0], b"PONG"])
                    else:
                        served += 1
                        if served == 1: show("request", frames[1:])
                        time.sleep(0.002)
                        busy.send_multipart([frames[0], frames[1], b"OK"])
            print("apart %.1f" % (pings[1] - pings[0]), flush=True)
            """)
        try await peer.expectLine("ready")
        let client = try scenario.launch("flclient3")
        try await client.expectLine("I: connecting to tcp://localhost:5555...")
        // [sequence, body], no empty frame
        try await peer.expectLine(#"request ["1", "random name"]"#, within: .seconds(15))
        try await peer.expectLine(#"ping ["PING"]"#, within: .seconds(15))
        try await peer.expectLine(#"ping ["PING"]"#, within: .seconds(15))
        let apart = try await peer.expectLine(within: .seconds(5), "the interval") { $0.hasPrefix("apart ") }
        let seconds = Double(apart.dropFirst("apart ".count)) ?? 0
        #expect(seconds >= 1.5 && seconds <= 3.5, "PING_INTERVAL is 2 s: \(apart)")
        #expect(!peer.lines.contains { $0.hasPrefix("request to the idle server") })
        #expect(!client.lines.contains("E: name service not available, aborting"))
    }

    @Test("flclient3: the server in use SIGKILLed and another started on its endpoint, the run completes")
    func modelThreeSurvivesKill() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // A pyzmq server in place of the first flserver3, which shows the
        // first request and says when it has served 2000
        let first = try scenario.launchPython("server", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.ROUTER)
            s.setsockopt(zmq.ROUTING_ID, b"tcp://localhost:5555"); s.bind("tcp://*:5555")
            print("ready", flush=True)
            n = 0
            while True:
                frames = s.recv_multipart()
                if frames[1] == b"PING":
                    s.send_multipart([frames[0], b"PONG"]); continue
                n += 1
                if n == 1: show("request", frames[1:])
                if n == 2000: print("served 2000", flush=True)
                s.send_multipart([frames[0], frames[1], b"OK"])
            """)
        try await first.expectLine("ready")
        let client = try scenario.launch("flclient3")
        // [sequence, body], no empty frame
        try await first.expectLine(#"request ["1", "random name"]"#, within: .seconds(15))
        try await first.expectLine("served 2000", within: .seconds(30))
        first.signal(SIGKILL)
        let killed = ContinuousClock.now
        let second = try scenario.launch("flserver3")
        try await second.expectLine("I: service is ready at tcp://*:5555")
        let line = try await client.expectLine(within: .seconds(90), "the average") { $0.hasPrefix("Average round trip cost: ") }
        print("flclient3 finished \(ContinuousClock.now - killed) after the SIGKILL of its server")
        #expect(line.wholeMatch(of: /Average round trip cost: \d+ usec/) != nil)
        #expect(!client.lines.contains("E: name service not available, aborting"))
        #expect(try await client.waitForExit() == 0)
    }
}
