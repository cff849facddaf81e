import Foundation
import Testing

/// Chapter 2, Sockets and Patterns (second part): signal handling, threads
/// with inproc sockets, node coordination and pub-sub envelopes.
@Suite("Chapter 2b")
struct Chapter2bTests {
    // MARK: interrupt

    @Test("interrupt: SIGINT or SIGTERM ends the server cleanly, within a second, with status 0",
          arguments: [SIGINT, SIGTERM])
    func interrupt(signal: Int32) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("interrupt")
        // A request shows that the server is in its loop, with its signal
        // handlers installed, before the signal is sent.
        let client = try scenario.launchPython("req", """
            import zmq
            s = zmq.Context().socket(zmq.REQ)
            s.connect("tcp://localhost:5555")
            s.send(b"Hello")
            print("sent", flush=True)
            s.recv()
            """)
        try await client.expectLine("sent")
        try await server.expectLine("W: recv")

        let clock = ContinuousClock()
        let sent = clock.now
        server.signal(signal)
        try await server.expectLine("W: interrupt received, killing server...", within: .seconds(1))
        try await server.expectLine("W: cleaning up", within: .seconds(1))
        #expect(try await server.waitForExit(within: .seconds(1)) == 0)
        #expect(clock.now - sent < .seconds(1))
    }

    @Test("interrupt: a signal also ends a server that never received a request")
    func interruptIdle() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("interrupt")
        // The server prints nothing until a request or a signal comes: wait
        // until its port answers, which it opens just before catching signals.
        let probe = try scenario.launchPython("probe", """
            import socket, time
            while True:
                try:
                    socket.create_connection(("127.0.0.1", 5555)).close()
                    break
                except OSError:
                    time.sleep(0.05)
            print("listening", flush=True)
            """)
        try await probe.expectLine("listening")
        try await Task.sleep(for: .milliseconds(200))   // from bind to catchSignals(): no line to wait for
        server.signal(SIGINT)
        try await server.expectLine("W: interrupt received, killing server...", within: .seconds(1))
        try await server.expectLine("W: cleaning up", within: .seconds(1))
        #expect(try await server.waitForExit(within: .seconds(1)) == 0)
    }

    // MARK: mtserver

    @Test("mtserver answers hwclient's ten requests through its worker threads")
    func multithreadedServer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("mtserver")
        let client = try scenario.launch("hwclient")
        try await client.expectLine("Connecting to hello world server...")
        for n in 0..<10 {
            try await client.expectLine("Sending Hello \(n)...")
            try await client.expectLine("Received World \(n)", within: .seconds(15))
        }
        #expect(try await client.waitForExit() == 0)
        #expect(server.lines.filter { $0 == "Received request: [Hello]" }.count == 10)
    }

    @Test("mtserver's five workers answer five clients at once, one World frame each")
    func multithreadedServerInParallel() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("mtserver")
        // Five REQ clients ask together; each worker pretends to work for a
        // second, so five workers in parallel answer all in about a second,
        // where one worker would take five.
        let clients = try scenario.launchPython("req", """
            import threading, time, zmq
            from wire import show
            c = zmq.Context()
            sockets = []
            for n in range(5):
                s = c.socket(zmq.REQ)
                s.connect("tcp://localhost:5555")
                sockets.append(s)
            time.sleep(0.5)   # let every connection finish
            replies = [None] * 5
            def ask(s, n):
                s.send(b"Hello %d" % n)
                replies[n] = s.recv_multipart()
            start = time.time()
            threads = [threading.Thread(target=ask, args=(s, n)) for n, s in enumerate(sockets)]
            for t in threads: t.start()
            for t in threads: t.join()
            elapsed = (time.time() - start) * 1000
            for frames in replies:
                show("reply", frames)
            print("elapsed %d ms" % elapsed, flush=True)
            """)
        for _ in 0..<5 {
            try await clients.expectLine("reply [\"World\"]", within: .seconds(15))
        }
        let elapsedLine = try await clients.expectLine(containing: "elapsed ")
        #expect(try await clients.waitForExit() == 0)
        let elapsed = try #require(Int(elapsedLine.split(separator: " ")[1]))
        #expect(elapsed >= 1000)
        #expect(elapsed < 4000, "five requests were not served in parallel: \(elapsed) ms")
        let requests = server.lines.filter { $0.hasPrefix("Received request: [Hello ") }
        #expect(Set(requests) == Set((0..<5).map { "Received request: [Hello \($0)]" }))
    }

    // MARK: mtrelay

    @Test("mtrelay: step 1 signals step 2, step 2 signals step 3, and the test succeeds")
    func relay() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let relay = try scenario.launch("mtrelay")
        try await relay.expectLine("Step 1 ready, signaling step 2")
        try await relay.expectLine("Step 2 ready, signaling step 3")
        try await relay.expectLine("Test successful!")
        #expect(try await relay.waitForExit() == 0)
        #expect(relay.lines.count == 3)
    }

    // MARK: syncpub and syncsub

    @Test("syncpub waits for ten syncsub subscribers, and each one gets all 1,000,000 updates")
    func synchronizedPubSub() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let publisher = try scenario.launch("syncpub")
        try await publisher.expectLine("Waiting for subscribers")
        let subscribers = try (0..<10).map { _ in try scenario.launch("syncsub") }
        // Each subscriber waits a second before checking in.
        try await publisher.expectLine("Broadcasting messages", within: .seconds(20))
        for subscriber in subscribers {
            try await subscriber.expectLine("Received 1000000 updates", within: .seconds(60))
            #expect(try await subscriber.waitForExit() == 0)
        }
        #expect(try await publisher.waitForExit(within: .seconds(20)) == 0)
    }

    @Test("syncpub on the wire: an empty sync reply, then Rhubarb updates and END, one frame each")
    func synchronizedPublisherOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let publisher = try scenario.launch("syncpub")
        try await publisher.expectLine("Waiting for subscribers")
        // Nine Swift subscribers and one Python one, which shows the sync
        // reply, the first update and the last message, and counts the rest.
        let subscribers = try (0..<9).map { _ in try scenario.launch("syncsub") }
        let peer = try scenario.launchPython("sub", """
            import time, zmq
            from wire import show
            c = zmq.Context()
            sub = c.socket(zmq.SUB)
            sub.connect("tcp://localhost:5561")
            sub.setsockopt(zmq.SUBSCRIBE, b"")
            time.sleep(1)
            req = c.socket(zmq.REQ)
            req.connect("tcp://localhost:5562")
            req.send(b"")
            show("sync", req.recv_multipart())
            first = sub.recv_multipart()
            show("first", first)
            count, odd = 1, 0
            while True:
                frames = sub.recv_multipart()
                if frames == [b"END"]:
                    show("last", frames)
                    break
                if frames != first:
                    odd += 1
                count += 1
            print("updates %d other %d" % (count, odd), flush=True)
            """)
        try await peer.expectLine("sync [\"\"]", within: .seconds(20))
        try await peer.expectLine("first [\"Rhubarb\"]", within: .seconds(20))
        try await peer.expectLine("last [\"END\"]", within: .seconds(60))
        try await peer.expectLine("updates 1000000 other 0")
        for subscriber in subscribers {
            try await subscriber.expectLine("Received 1000000 updates", within: .seconds(60))
        }
        #expect(try await publisher.waitForExit(within: .seconds(20)) == 0)
    }

    @Test("syncsub checks in with one empty frame and counts every update until END")
    func synchronizedSubscriberOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // A Python publisher in syncpub's place, with fewer updates.
        let peer = try scenario.launchPython("pub", """
            import zmq
            from wire import show
            c = zmq.Context()
            pub = c.socket(zmq.PUB)
            pub.setsockopt(zmq.SNDHWM, 10000)   # above the batch, as syncpub does: nothing dropped
            pub.bind("tcp://*:5561")
            rep = c.socket(zmq.REP)
            rep.bind("tcp://*:5562")
            show("sync", rep.recv_multipart())
            rep.send(b"")
            for _ in range(1234):
                pub.send(b"Rhubarb")
            pub.send(b"END")
            pub.close()
            rep.close()
            c.term()   # waits until everything is sent
            """)
        let subscriber = try scenario.launch("syncsub")
        try await peer.expectLine("sync [\"\"]", within: .seconds(10))
        try await subscriber.expectLine("Received 1234 updates", within: .seconds(10))
        #expect(try await subscriber.waitForExit() == 0)
        #expect(try await peer.waitForExit() == 0)
    }

    // MARK: psenvpub and psenvsub

    @Test("psenvsub prints the B messages of psenvpub and never the A ones")
    func envelopes() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("psenvpub")
        let subscriber = try scenario.launch("psenvsub")
        // The publisher sends a pair each second: wait for two B messages,
        // so that at least one A message went by in between.
        for _ in 0..<2 {
            try await subscriber.expectLine("[B] We would like to see this", within: .seconds(10))
        }
        #expect(subscriber.lines.allSatisfy { $0 == "[B] We would like to see this" })
        #expect(!subscriber.output.contains("[A]"))
    }

    @Test("psenvpub sends two frames per message: the envelope key, then the content")
    func envelopePublisherOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("psenvpub")
        let peer = try scenario.launchPython("sub", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.SUB)
            s.connect("tcp://localhost:5563")
            s.setsockopt(zmq.SUBSCRIBE, b"")
            for _ in range(4):
                show("message", s.recv_multipart())
            """)
        try await peer.waitForExit(within: .seconds(15))
        let messages = peer.lines.filter { $0.hasPrefix("message ") }
        #expect(messages.count == 4)
        // In order A, B, A, B (the first one seen may be either).
        let a = "message [\"A\", \"We don't want to see this\"]"
        let b = "message [\"B\", \"We would like to see this\"]"
        #expect(messages == [a, b, a, b] || messages == [b, a, b, a], "\(messages)")
    }

    @Test("psenvsub filters on the key frame and drops a message without content")
    func envelopeSubscriberOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launchPython("pub", """
            import time, zmq
            s = zmq.Context().socket(zmq.PUB)
            s.bind("tcp://*:5563")
            n = 0
            while True:
                s.send_multipart([b"A", b"not for us %d" % n])
                s.send_multipart([b"B"])
                s.send_multipart([b"B", b"update %d" % n])
                s.send_multipart([b"C", b"nor this"])
                n += 1
                time.sleep(0.05)
            """)
        let subscriber = try scenario.launch("psenvsub")
        let first = try await subscriber.expectLine(within: .seconds(10), "a B update") {
            $0.hasPrefix("[B] update ")
        }
        let n = try #require(Int(first.dropFirst("[B] update ".count)))
        for next in 1...3 {
            try await subscriber.expectLine("[B] update \(n + next)")
        }
        #expect(subscriber.lines.allSatisfy { $0.hasPrefix("[B] update ") }, "\(subscriber.lines)")
        #expect(subscriber.errorOutput.contains("E: "))
    }
}
