import Foundation
import Testing

/// Chapter 5, Advanced Pub-Sub: Espresso, the pathological publisher and
/// subscriber, the last-value cache and the Suicidal Snail. Python (pyzmq)
/// peers stand in for late subscribers and for malformed publishers.
@Suite("Chapter 5a")
struct Chapter5aTests {
    @Test("the chapter's programs print their usage and fail on a bad argument")
    func usage() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for name in ["espresso", "pathopub", "pathosub", "lvcache", "suisnail",
                     "clonesrv1", "clonecli1", "clonesrv2", "clonecli2", "clonesrv3", "clonecli3"] {
            let program = try scenario.launch(name, ["--no-such-option"])
            #expect(try await program.waitForExit() != 0, "\(name)")
            #expect(program.errorOutput.contains("Usage: \(name)"), "\(name): \(program.errorOutput)")
        }
    }

    @Test("espresso: the listener prints the subscriptions going up and the A and B data coming down")
    func espresso() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let espresso = try scenario.launch("espresso")
        // Upstream: the subscriber's two subscriptions, "\1A" and "\1B" in hex
        try await espresso.expectLine("[002] 0141", within: .seconds(15))
        try await espresso.expectLine("[002] 0142", within: .seconds(15))
        // Downstream: a message on a subscribed topic, such as "B-01234"
        try await espresso.expectLine(within: .seconds(15), "a data frame") {
            $0.wholeMatch(of: /\[007\] [AB]-\d{5}/) != nil
        }
        espresso.signal(SIGINT)
        try await espresso.expectLine(" interrupted", within: .seconds(10))
        #expect(try await espresso.waitForExit() == 0)
        // Only the subscribed topics cross the proxy: the publisher filters
        let data = espresso.lines.filter { $0.hasPrefix("[007] ") }
        #expect(!data.isEmpty && data.allSatisfy { $0.wholeMatch(of: /\[007\] [AB]-\d{5}/) != nil }, "\(data)")
    }

    @Test("pathopub sends 1,000 topics with \"Save Roger\"; pathosub prints the one it chose")
    func pathological() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let subscriber = try scenario.launch("pathosub", ["--topic", "042"])
        let peer = try scenario.launchPython("allTopics", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.SUB)
            s.setsockopt(zmq.SUBSCRIBE, b"")
            s.connect("tcp://localhost:5556")
            frames = [s.recv_multipart() for _ in range(1000)]
            show("first", frames[0])
            show("last", frames[-1])
            print("in order", [f[0] for f in frames] == [b"%03d" % n for n in range(1000)]
                  and all(f[1] == b"Save Roger" and len(f) == 2 for f in frames))
            """)
        let publisher = try scenario.launch("pathopub")
        try await peer.expectLine("first [\"000\", \"Save Roger\"]", within: .seconds(15))
        try await peer.expectLine("last [\"999\", \"Save Roger\"]", within: .seconds(15))
        try await peer.expectLine("in order True")
        try await subscriber.expectLine("Save Roger", within: .seconds(15))
        for process in [publisher, subscriber] {
            process.signal(SIGINT)
            #expect(try await process.waitForExit() == 0)
        }
    }

    @Test("lvcache: a subscriber that joins late gets the last value of its topic at once")
    func lastValueCache() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let cache = try scenario.launch("lvcache")
        // The chapter's pathopub tcp://localhost:5557 cannot bind a host name
        let publisher = try scenario.launch("pathopub", ["tcp://*:5557"])
        let early = try scenario.launch("pathosub", ["tcp://localhost:5558", "--topic", "123"])
        try await early.expectLine("Save Roger", within: .seconds(20))
        // pathopub has sent its 1,000 topics and now sends one a second, on a
        // random topic: a late subscriber sees "Save Roger" only from the cache
        let late = try scenario.launchPython("late", """
            import time, zmq
            from wire import show
            c = zmq.Context()
            for topic in [b"456", b"123"]:
                s = c.socket(zmq.SUB)
                s.setsockopt(zmq.RCVTIMEO, 5000)
                s.setsockopt(zmq.SUBSCRIBE, topic)
                s.connect("tcp://localhost:5558")
                start = time.time()
                show("late", s.recv_multipart())
                print("at once", time.time() - start < 3.0)
            """)
        try await late.expectLine("late [\"456\", \"Save Roger\"]", within: .seconds(15))
        try await late.expectLine("at once True")
        // The same topic as the early subscriber's: the verbose XPUB lets it through
        try await late.expectLine("late [\"123\", \"Save Roger\"]", within: .seconds(15))
        #expect(try await late.waitForExit() == 0)
        try await cache.expectLine("Sending cached topic 456")
        for process in [cache, publisher, early] {
            process.signal(SIGINT)
            #expect(try await process.waitForExit() == 0)
        }
    }

    @Test("lvcache drops malformed updates and subscriptions with one line each and keeps serving")
    func lastValueCacheBadInput() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let cache = try scenario.launch("lvcache")
        let peer = try scenario.launchPython("bad", """
            import zmq
            from wire import show
            c = zmq.Context()
            pub = c.socket(zmq.PUB)
            pub.bind("tcp://*:5557")
            sub = c.socket(zmq.XSUB)
            sub.connect("tcp://localhost:5558")
            sub.send(b"\\x01")
            # Until lvcache is connected both ways: bad updates, then a good one
            while True:
                pub.send(b"one frame only")
                pub.send_multipart([b"007", b"three", b"frames"])
                pub.send_multipart([b"007", b"good"])
                if sub.poll(200):
                    break
            got = sub.recv_multipart()
            show("forwarded", got)
            while sub.poll(300):
                got = sub.recv_multipart()
                if len(got) != 2: show("not dropped", got)
            # Bad subscriptions: an empty frame, an unknown event byte
            sub.send(b"")
            sub.send(b"\\x05007")
            late = c.socket(zmq.SUB)
            late.setsockopt(zmq.RCVTIMEO, 5000)
            late.setsockopt(zmq.SUBSCRIBE, b"007")
            late.connect("tcp://localhost:5558")
            show("late", late.recv_multipart())
            """)
        try await peer.expectLine("forwarded [\"007\", \"good\"]", within: .seconds(20))
        try await peer.expectLine("late [\"007\", \"good\"]", within: .seconds(15))
        #expect(try await peer.waitForExit() == 0)
        #expect(!peer.lines.contains { $0.hasPrefix("not dropped") })
        try await cache.expectLine("Sending cached topic 007")
        #expect(cache.errorOutput.contains("E: malformed update"))
        #expect(cache.errorOutput.contains("E: malformed subscription"))
        cache.signal(SIGTERM)
        #expect(try await cache.waitForExit() == 0)
    }

    @Test("suisnail: the subscriber falls over a second behind, says so, and the program ends")
    func suicidalSnail() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let snail = try scenario.launch("suisnail")
        #expect(try await snail.waitForExit(within: .seconds(60)) == 0)
        #expect(snail.errorOutput.contains("E: subscriber cannot keep up, aborting"), "\(snail.errorOutput)")
        // Each line the subscriber printed is a timestamp in milliseconds
        let lines = snail.lines
        #expect(!lines.isEmpty && lines.allSatisfy { Int64($0) != nil })
        // The last one is the one that came too late
        if let first = lines.first.flatMap({ Int64($0) }), let last = lines.last.flatMap({ Int64($0) }) {
            #expect(last > first)
        }
    }
}

/// Chapter 5, Advanced Pub-Sub: Clone models 1 to 3 and their kvsimple
/// messages. Convergence is checked by map: with `--digest`, servers and
/// clients print `I: map size=N digest=X` as they end (a hash of every key
/// and value), and the Python peers compute the same line from the
/// snapshot they take themselves.
@Suite("Chapter 5a, Clone models 1 to 3")
struct Chapter5aCloneTests {
    /// The map digest line, as the examples print it, for a Python peer
    /// (64-bit FNV-1a over each key, 0, value, 0 in byte order of the keys).
    static let pythonDigest = """
        def digest(kvmap):
            h = 0xcbf29ce484222325
            for key in sorted(kvmap):
                for b in key + b"\\0" + kvmap[key] + b"\\0":
                    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
            return "I: map size=%d digest=%016X" % (len(kvmap), h)

        """

    /// Python code that reads one kvsimple message off socket `s`, checking
    /// its frames as the C's kvsimple sends them.
    static let pythonReceive = """
        def kvrecv(s):
            frames = s.recv_multipart()
            assert len(frames) == 3, frames
            key, seq, body = frames
            assert len(seq) == 8, seq
            return key, int.from_bytes(seq, "big"), body

        """

    @Test("model 1: a client started first gets every update and its map equals the server's")
    func model1() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let client = try scenario.launch("clonecli1", ["--digest"])
        let peer = try scenario.launchPython("wire", Self.pythonReceive + """

            import zmq
            s = zmq.Context().socket(zmq.SUB)
            s.setsockopt(zmq.SUBSCRIBE, b"")
            s.connect("tcp://localhost:5556")
            print("ready")
            updates = [kvrecv(s) for _ in range(1000)]
            print("sequence", [u[1] for u in updates] == list(range(1, 1001)))
            print("decimal", all(u[0].isdigit() and u[2].isdigit() for u in updates))
            """)
        try await peer.expectLine("ready", within: .seconds(15))
        // At most 1,000 updates: the high-water mark cannot drop any
        let server = try scenario.launch("clonesrv1", ["--updates", "1000", "--digest"])
        try await server.expectLine("I: published 1000 updates", within: .seconds(15))
        try await peer.expectLine("sequence True", within: .seconds(15))
        try await peer.expectLine("decimal True")
        // Nothing tells when the client has applied the last update: wait a little
        try await Task.sleep(for: .seconds(2))
        for process in [server, client] { process.signal(SIGINT) }
        try await server.expectLine("1000 messages out")
        let serverMap = try await server.expectLine(containing: "I: map size=")
        try await client.expectLine("1000 messages in")
        try await client.expectLine(serverMap)
        for process in [server, client] { #expect(try await process.waitForExit() == 0) }
    }

    @Test("model 2: a late client and a Python peer catch up through a snapshot larger than the high-water mark")
    func model2Snapshot() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("clonesrv2", ["--updates", "20000", "--digest"])
        try await server.expectLine("I: published 20000 updates", within: .seconds(30))
        let client = try scenario.launch("clonecli2", ["--digest"])
        try await client.expectLine("Received snapshot=20000", within: .seconds(20))
        try await server.expectLine("Sending state shapshot=20000")

        let peer = try scenario.launchPython("snapshot", Self.pythonDigest + """

            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.DEALER)
            s.connect("tcp://localhost:5556")
            # Two bad requests first: the server drops them and keeps serving
            s.send(b"WHAT?")
            s.send_multipart([b"ICANHAZ?", b"extra"])
            s.send(b"ICANHAZ?")
            kvmap = {}
            while True:
                frames = s.recv_multipart()
                assert len(frames) == 3 and len(frames[1]) == 8, frames
                key, seq, body = frames
                if key == b"KTHXBAI":
                    show("end", frames)
                    break
                kvmap[key] = body
            print(digest(kvmap))
            print("more", s.poll(500))
            """)
        // KTHXBAI, the sequence number 20,000 in 8 bytes big-endian, an empty body
        try await peer.expectLine("end [\"KTHXBAI\", \"0x0000000000004E20\", \"\"]", within: .seconds(20))
        let peerMap = try await peer.expectLine(containing: "I: map size=")
        try await peer.expectLine("more 0")
        #expect(try await peer.waitForExit() == 0)
        #expect(server.errorOutput.components(separatedBy: "E: bad request").count == 3, "\(server.errorOutput)")
        // More keys than the ROUTER's default high-water mark of 1,000 messages
        if let size = peerMap.firstMatch(of: /size=(\d+)/).flatMap({ Int($0.1) }) {
            #expect(size > 1000)
        }

        client.signal(SIGINT)
        try await client.expectLine(peerMap)
        server.signal(SIGINT)
        try await server.expectLine(" Interrupted")
        try await server.expectLine("20000 messages out")
        try await server.expectLine(peerMap)
        for process in [server, client] { #expect(try await process.waitForExit() == 0) }
    }

    @Test("model 2: the server publishing at full speed ends promptly on Ctrl-C and on SIGTERM")
    func model2Interrupt() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for signal in [SIGINT, SIGTERM] {
            let server = try scenario.launch("clonesrv2")
            let client = try scenario.launch("clonecli2")
            try await client.expectLine(within: .seconds(20), "the snapshot") { $0.hasPrefix("Received snapshot=") }
            try await Task.sleep(for: .milliseconds(500))
            server.signal(signal)
            try await server.expectLine(" Interrupted", within: .seconds(10))
            #expect(try await server.waitForExit(within: .seconds(10)) == 0)
            client.signal(signal)
            #expect(try await client.waitForExit() == 0)
        }
    }

    @Test("model 3: clients' updates come back numbered by the server; every map converges, a late client's too")
    func model3() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("clonesrv3", ["--digest"])
        let clients = try (0..<2).map { _ in try scenario.launch("clonecli3", ["--updates", "3", "--digest"]) }
        for client in clients {
            try await client.expectLine(within: .seconds(15), "the snapshot") { $0.hasPrefix("I: received snapshot=") }
        }
        // Three updates from each client, one a second, published in turn
        for sequence in 1...6 {
            try await server.expectLine("I: publishing update " + String(repeating: " ", count: 5 - String(sequence).count) + "\(sequence)",
                                        within: .seconds(20))
        }
        for client in clients {
            for sequence in 1...6 { try await client.expectLine("I: received update=\(sequence)", within: .seconds(10)) }
        }
        // A late client that sends nothing: the snapshot brings it up to date
        let late = try scenario.launch("clonecli3", ["--updates", "0", "--digest"])
        try await late.expectLine("I: received snapshot=6", within: .seconds(15))
        try await server.expectLine("I: sending shapshot=6")

        // A Python client: two malformed updates (dropped), then a good one,
        // which comes back with the server's sequence number
        let peer = try scenario.launchPython("update", Self.pythonReceive + """

            import time, zmq
            from wire import show
            c = zmq.Context()
            sub = c.socket(zmq.SUB)
            sub.setsockopt(zmq.SUBSCRIBE, b"")
            sub.connect("tcp://localhost:5557")
            push = c.socket(zmq.PUSH)
            push.connect("tcp://localhost:5558")
            time.sleep(1)   # the subscription has to reach the server
            push.send_multipart([b"bad", b"\\0\\0\\0\\1", b"short sequence"])
            push.send_multipart([b"bad", b"\\0" * 8])
            push.send_multipart([b"python", b"\\0" * 8, b"value"])
            show("update", sub.recv_multipart())
            """)
        try await peer.expectLine("update [\"python\", \"0x0000000000000007\", \"value\"]", within: .seconds(15))
        #expect(try await peer.waitForExit() == 0)
        try await server.expectLine("I: publishing update     7")
        for client in clients + [late] {
            try await client.expectLine("I: received update=7", within: .seconds(10))
        }
        #expect(server.errorOutput.components(separatedBy: "E: malformed update dropped").count == 3, "\(server.errorOutput)")

        server.signal(SIGINT)
        try await server.expectLine(" Interrupted")
        try await server.expectLine("7 messages handled")
        let serverMap = try await server.expectLine(containing: "I: map size=")
        for client in clients + [late] {
            client.signal(SIGINT)
            try await client.expectLine("7 messages in")
            try await client.expectLine(serverMap)
        }
        for process in [server] + clients + [late] { #expect(try await process.waitForExit() == 0) }
    }
}
