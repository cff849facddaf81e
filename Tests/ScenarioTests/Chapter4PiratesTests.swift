import Foundation
import Testing

/// Chapter 4, Reliable Request-Reply: the Lazy, Simple and Paranoid Pirates
/// and the round-trip demonstrator. Each pattern's promise is proven by
/// killing its server, worker or queue with SIGKILL mid-run; pyzmq peers
/// check the frames on the wire (sequence numbers as text, "\001" READY,
/// "\002" HEARTBEAT) and feed the queues malformed messages.
@Suite("Chapter 4 Pirates")
struct Chapter4PiratesTests {
    static let retrying = "W: no response from server, retrying..."
    static let reconnecting = "I: reconnecting to server..."
    static let abandoning = "E: server seems to be offline, abandoning"

    // MARK: Lazy Pirate

    @Test("lpclient and lpserver: a killed server is retried on a new socket, a restarted one answers the retried request, then three sends and the client abandons")
    func lazyPirateKillAndRestart() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        var server = try scenario.launch("lpserver", ["--no-failures"])
        let client = try scenario.launch("lpclient")
        try await client.expectLine("I: connecting to server...")
        try await client.expectLine("I: server replied OK (1)", within: .seconds(15))
        try await client.expectLine("I: server replied OK (2)", within: .seconds(15))

        // The server dies holding the next request; the client resends it on a new socket
        server.signal(SIGKILL)
        try await client.expectLine(Self.retrying, within: .seconds(15))
        try await client.expectLine(Self.reconnecting)
        let pending = replies(of: client).count + 1
        server = try scenario.launch("lpserver", ["--no-failures"])
        try await client.expectLine("I: server replied OK (\(pending))", within: .seconds(15))
        try await server.expectLine("I: normal request (\(pending))")
        try await client.expectLine("I: server replied OK (\(pending + 1))", within: .seconds(15))

        // Now the server stays dead: two retries, then the client gives up and exits
        server.signal(SIGKILL)
        let killedAt = ContinuousClock.now
        #expect(try await client.waitForExit(within: .seconds(30)) == 0)
        let waited = ContinuousClock.now - killedAt
        let lastReply = try #require(replies(of: client).last)
        let tail = Array(client.lines.drop { $0 != "I: server replied OK (\(lastReply))" }.dropFirst())
        #expect(tail == [Self.retrying, Self.reconnecting, Self.retrying, Self.reconnecting, Self.abandoning],
                "\(client.output)")
        // Three polls of 2.5 s each went unanswered
        #expect(waited >= .milliseconds(7000), "abandoned after \(waited)")
        // Every request answered once, in order: nothing lost, nothing twice
        #expect(replies(of: client) == Array(1...lastReply), "\(client.output)")
    }

    @Test("lpclient against lpserver as in C: the server crashes by itself after a few requests, the client abandons after three sends")
    func lazyPirateSimulatedCrash() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("lpserver")
        let client = try scenario.launch("lpclient")
        // From the fourth request on, a crash is drawn with odds 1 in 3 and an
        // overload (3 s of work, longer than the client waits) with odds 2 in 9.
        // The client ends after a crash, or after two overloads in a row.
        #expect(try await client.waitForExit(within: .seconds(90)) == 0)
        let answered = replies(of: client)
        #expect(answered.count >= 3)
        #expect(answered == Array(1...max(answered.count, 1)), "\(client.output)")
        #expect(client.lines.suffix(5) == [Self.retrying, Self.reconnecting, Self.retrying, Self.reconnecting, Self.abandoning],
                "\(client.output)")
        #expect(server.lines.prefix(3) == ["I: normal request (1)", "I: normal request (2)", "I: normal request (3)"])
        if server.lines.contains("I: simulating a crash") {
            #expect(try await server.waitForExit() == 0)
            #expect(server.lines.last == "I: simulating a crash")
        } else {
            #expect(server.lines.contains("I: simulating CPU overload"), "\(server.output)")
        }
    }

    @Test("lpclient against a Python REP server: sequence numbers as text, a late reply is retried on a new connection, three sends before abandoning")
    func lazyPirateClientOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // Answers 1 and 2 at once; 3 only the second time; 4 always too late
        let server = try scenario.launchPython("rep", """
            import time
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REP)
            s.bind("tcp://*:5555")
            seen = {}
            while s.poll(6000):
                frames = s.recv_multipart()
                show("request", frames)
                seen[frames[0]] = seen.get(frames[0], 0) + 1
                if frames[0] == b"4" or (frames[0] == b"3" and seen[frames[0]] == 1):
                    time.sleep(3.5)
                s.send_multipart(frames)
            print("request 4 came", seen.get(b"4", 0), "times")
            """)
        let client = try scenario.launch("lpclient")
        #expect(try await client.waitForExit(within: .seconds(40)) == 0)
        #expect(replies(of: client) == [1, 2, 3], "\(client.output)")
        #expect(client.lines == [
            "I: connecting to server...",
            "I: server replied OK (1)", "I: server replied OK (2)",
            Self.retrying, Self.reconnecting, "I: server replied OK (3)",
            Self.retrying, Self.reconnecting, Self.retrying, Self.reconnecting, Self.abandoning,
        ], "\(client.output)")
        #expect(try await server.waitForExit(within: .seconds(30)) == 0)
        let requests = server.lines.filter { $0.hasPrefix("request [") }
        #expect(requests == ["1", "2", "3", "3", "4", "4", "4"].map { "request [\"\($0)\"]" }, "\(server.output)")
        #expect(server.lines.last == "request 4 came 3 times")
    }

    // MARK: Simple Pirate

    @Test("spqueue, spworker and lpclient: a worker killed mid-request, another started, the retried request is answered and none is lost")
    func simplePirateWorkerKilled() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let queue = try scenario.launch("spqueue")
        let first = try scenario.launch("spworker", ["--no-failures"])
        let client = try scenario.launch("lpclient")
        try await client.expectLine("I: server replied OK (1)", within: .seconds(15))
        try await client.expectLine("I: server replied OK (2)", within: .seconds(15))

        // Kill the worker while it works on the third request
        for _ in 1...3 {
            try await first.expectLine(within: .seconds(15), "a worker's reply") { $0.hasSuffix(") normal reply") }
        }
        first.signal(SIGKILL)
        let second = try scenario.launch("spworker", ["--no-failures"])
        try await second.expectLine(containing: ") worker ready")
        try await client.expectLine(Self.retrying, within: .seconds(15))
        try await second.expectLine(containing: ") normal reply", within: .seconds(15))
        let pending = replies(of: client).count + 1
        try await client.expectLine("I: server replied OK (\(pending))", within: .seconds(15))
        try await client.expectLine("I: server replied OK (\(pending + 1))", within: .seconds(15))
        #expect(replies(of: client) == Array(1...(pending + 1)), "\(client.output)")
        #expect(!queue.isFinished)
        #expect(queue.errorOutput.isEmpty, "\(queue.errorOutput)")
    }

    @Test("spqueue drops malformed messages from clients and workers with one line each, then serves a well-formed request")
    func simplePirateQueueBadInput() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let queue = try scenario.launch("spqueue")
        // A worker that speaks nonsense, then a client that does
        let bad = try scenario.launchPython("bad", """
            import time
            import zmq
            ctx = zmq.Context()
            w = ctx.socket(zmq.DEALER)
            w.connect("tcp://localhost:5556")
            w.send(b"")                            # empty
            w.send(b"\\x01")                       # no envelope delimiter
            w.send_multipart([b"", b"\\x03"])      # unknown command
            w.send_multipart([b"", b"X", b"x"])    # a reply with frames missing
            w.send_multipart([b"", b"\\x01" * (10 * 1024 * 1024)])   # 10 MB
            w.send_multipart([b""])                # envelope, nothing in it
            time.sleep(0.5)
            print("sent", flush=True)
            time.sleep(60)
            """)
        try await bad.expectLine("sent", within: .seconds(15))
        try await waitUntil(within: .seconds(15), "six lines on standard error", queue) {
            queue.errorLines.count >= 6
        }
        // A well-behaved Python worker, then clients with bad requests and a good one
        let worker = try scenario.launchPython("worker", """
            import zmq
            from wire import show
            w = zmq.Context().socket(zmq.REQ)
            w.connect("tcp://localhost:5556")
            w.send(b"\\x01")
            while True:
                frames = w.recv_multipart()
                show("request", frames)
                w.send_multipart(frames)
            """)
        let badClient = try scenario.launchPython("badclient", """
            import time
            import zmq
            c = zmq.Context().socket(zmq.DEALER)
            c.connect("tcp://localhost:5555")
            c.send(b"")                              # empty
            c.send(b"hello")                         # no envelope delimiter
            c.send(b"\\x01" * (10 * 1024 * 1024))    # 10 MB, no delimiter
            c.send_multipart([b"x", b"y"])           # a delimiter that is not empty
            time.sleep(0.5)
            print("sent", flush=True)
            time.sleep(60)
            """)
        try await badClient.expectLine("sent", within: .seconds(15))
        try await waitUntil(within: .seconds(15), "ten lines on standard error", queue) {
            queue.errorLines.count >= 10
        }
        let client = try scenario.launch("lpclient")
        try await client.expectLine("I: server replied OK (1)", within: .seconds(15))
        try await client.expectLine("I: server replied OK (2)", within: .seconds(15))
        // The worker saw only the good requests, in the client's envelope
        let requests = worker.lines.filter { $0.hasPrefix("request ") }
        #expect(requests.count >= 2)
        #expect(requests.allSatisfy { $0.wholeMatch(of: /request \["0x00[0-9A-F]{8}", "", "\d+"\]/) != nil }, "\(worker.output)")
        #expect(!client.lines.contains(Self.retrying))
        #expect(queue.errorLines.count == 10, "\(queue.errorOutput)")
        #expect(queue.errorLines.allSatisfy { $0.hasPrefix("E: ") })
        #expect(!queue.isFinished)
    }

    // MARK: Paranoid Pirate

    @Test("ppworker against a Python queue: READY is one byte 0x01, heartbeats 0x02 both ways, a request is echoed, and silence makes it reconnect")
    func paranoidWorkerOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let queue = try scenario.launchPython("queue", """
            import time
            import zmq
            from wire import show
            q = zmq.Context().socket(zmq.ROUTER)
            q.bind("tcp://*:5556")
            frames = q.recv_multipart()
            show("ready", frames)
            worker = frames[0]
            # Heartbeat twice a second until the worker's own heartbeat comes, then send work
            sent = False
            while True:
                q.send_multipart([worker, b"\\x02"])
                if q.poll(500):
                    frames = q.recv_multipart()
                    if frames[1:] == [b"\\x02"] and not sent:
                        show("heartbeat", frames)
                        q.send_multipart([worker, b"C", b"", b"hello"])
                        sent = True
                    elif frames[1:] != [b"\\x02"]:
                        show("reply", frames)
                        break
            # Now silence: the worker gives up on this connection and makes a new one
            while True:
                frames = q.recv_multipart()
                if frames[0] != worker:
                    show("ready again", frames)
                    break
            """)
        let worker = try scenario.launch("ppworker", ["--no-failures"])
        try await worker.expectLine("I: worker ready")
        let ready = try await queue.expectLine(containing: "ready ", within: .seconds(15))
        #expect(ready.wholeMatch(of: /ready \["0x00[0-9A-F]{8}", "0x01"\]/) != nil, "\(ready)")
        let heartbeat = try await queue.expectLine(containing: "heartbeat ", within: .seconds(15))
        #expect(heartbeat.wholeMatch(of: /heartbeat \["0x00[0-9A-F]{8}", "0x02"\]/) != nil, "\(heartbeat)")
        let reply = try await queue.expectLine(containing: "reply ", within: .seconds(15))
        #expect(reply.wholeMatch(of: /reply \["0x00[0-9A-F]{8}", "C", "", "hello"\]/) != nil, "\(reply)")
        try await worker.expectLine("I: normal reply")
        try await worker.expectLine("W: heartbeat failure, can't reach queue", within: .seconds(20))
        try await worker.expectLine("W: reconnecting in 1000 msec...")
        try await worker.expectLine("I: worker ready", within: .seconds(10))
        let again = try await queue.expectLine(containing: "ready again ", within: .seconds(15))
        #expect(again.wholeMatch(of: /ready again \["0x00[0-9A-F]{8}", "0x01"\]/) != nil, "\(again)")
        #expect(try await queue.waitForExit() == 0)
    }

    @Test("ppqueue against a Python worker: heartbeats are one byte 0x02, a request arrives as [client, \"\", \"1\"], and a silent worker is forgotten")
    func paranoidQueueOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let queue = try scenario.launch("ppqueue")
        let peer = try scenario.launchPython("worker", """
            import time
            import zmq
            from wire import show
            ctx = zmq.Context()
            w = ctx.socket(zmq.DEALER)
            w.connect("tcp://localhost:5556")
            w.send(b"\\x01")
            show("heartbeat", w.recv_multipart())
            c = ctx.socket(zmq.REQ)
            c.connect("tcp://localhost:5555")
            c.send(b"1")
            # Heartbeat while waiting for the request, then echo it
            while True:
                w.send(b"\\x02")
                if w.poll(500):
                    frames = w.recv_multipart()
                    if frames != [b"\\x02"]:
                        show("request", frames)
                        w.send_multipart(frames)
                        break
            show("client", c.recv_multipart())
            # Silence: heartbeats keep coming for three intervals, then stop
            end = time.time() + 5
            while time.time() < end:
                if w.poll(100):
                    w.recv_multipart()
            late = 0
            end = time.time() + 3
            while time.time() < end:
                if w.poll(100):
                    w.recv_multipart()
                    late += 1
            print("heartbeats after expiry", late)
            """)
        let heartbeat = try await peer.expectLine(containing: "heartbeat ", within: .seconds(15))
        #expect(heartbeat == "heartbeat [\"0x02\"]")
        let request = try await peer.expectLine(containing: "request ", within: .seconds(15))
        #expect(request.wholeMatch(of: /request \["0x00[0-9A-F]{8}", "", "1"\]/) != nil, "\(request)")
        try await peer.expectLine("client [\"1\"]", within: .seconds(15))
        try await peer.expectLine("heartbeats after expiry 0", within: .seconds(20))
        #expect(try await peer.waitForExit() == 0)
        #expect(queue.errorOutput.isEmpty, "\(queue.errorOutput)")
    }

    @Test("ppqueue killed: ppworker reports heartbeat failure, backs off 1, 2, 4 s, and serves again once a new ppqueue starts")
    func paranoidQueueKilled() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        var queue = try scenario.launch("ppqueue")
        let worker = try scenario.launch("ppworker", ["--no-failures"])
        let client = try scenario.launch("lpclient")
        try await client.expectLine("I: server replied OK (1)", within: .seconds(15))
        try await worker.expectLine("I: normal reply")

        queue.signal(SIGKILL)
        for interval in [1000, 2000, 4000] {
            try await worker.expectLine("W: heartbeat failure, can't reach queue", within: .seconds(30))
            try await worker.expectLine("W: reconnecting in \(interval) msec...")
            try await worker.expectLine("I: worker ready", within: .seconds(15))
        }
        // The client gave up meanwhile
        #expect(try await client.waitForExit(within: .seconds(30)) == 0)
        #expect(client.lines.last == Self.abandoning)

        queue = try scenario.launch("ppqueue")
        let again = try scenario.launch("lpclient")
        try await again.expectLine("I: server replied OK (1)", within: .seconds(20))
        try await again.expectLine("I: server replied OK (2)", within: .seconds(15))
        try await worker.expectLine("I: normal reply", within: .seconds(5))
        #expect(!again.lines.contains(Self.retrying))
        #expect(queue.errorOutput.isEmpty, "\(queue.errorOutput)")
    }

    @Test("ppworker killed while idle: ppqueue expires it, and every request goes to the live worker without a retry")
    func paranoidWorkerExpired() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let queue = try scenario.launch("ppqueue")
        let doomed = try scenario.launch("ppworker", ["--no-failures"])
        try await doomed.expectLine("I: worker heartbeat", within: .seconds(15))
        let live = try scenario.launch("ppworker", ["--no-failures"])
        try await live.expectLine("I: worker heartbeat", within: .seconds(15))

        doomed.signal(SIGKILL)
        // Three heartbeat intervals of silence expire it: wait out four of the live worker's
        for _ in 0..<4 {
            try await live.expectLine("I: worker heartbeat", within: .seconds(15))
        }
        let client = try scenario.launch("lpclient")
        for sequence in 1...3 {
            try await client.expectLine("I: server replied OK (\(sequence))", within: .seconds(15))
        }
        #expect(!client.lines.contains(Self.retrying), "\(client.output)")
        try await waitUntil(within: .seconds(5), "three replies", live) {
            live.lines.filter { $0 == "I: normal reply" }.count >= 3
        }
        #expect(queue.errorOutput.isEmpty, "\(queue.errorOutput)")
    }

    @Test("ppqueue drops malformed messages from clients and workers with one line each, then serves a well-formed request")
    func paranoidQueueBadInput() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let queue = try scenario.launch("ppqueue")
        let bad = try scenario.launchPython("bad", """
            import time
            import zmq
            w = zmq.Context().socket(zmq.DEALER)
            w.connect("tcp://localhost:5556")
            w.send(b"")                                   # empty
            w.send(b"\\x03")                              # unknown command
            w.send_multipart([b"\\x01", b"x"])            # a command with frames too many
            w.send_multipart([b"C", b"x", b"reply"])      # a reply without its delimiter
            w.send(b"\\x01" * (10 * 1024 * 1024))         # 10 MB where a command goes
            time.sleep(0.5)
            print("sent", flush=True)
            time.sleep(60)
            """)
        try await bad.expectLine("sent", within: .seconds(15))
        try await waitUntil(within: .seconds(15), "five lines on standard error", queue) {
            queue.errorLines.count >= 5
        }
        let worker = try scenario.launch("ppworker", ["--no-failures"])
        try await worker.expectLine("I: worker ready")
        let badClient = try scenario.launchPython("badclient", """
            import time
            import zmq
            c = zmq.Context().socket(zmq.DEALER)
            c.connect("tcp://localhost:5555")
            c.send(b"")                              # empty
            c.send(b"hello")                         # no envelope delimiter
            c.send(b"\\x01" * (10 * 1024 * 1024))    # 10 MB, no delimiter
            time.sleep(0.5)
            print("sent", flush=True)
            time.sleep(60)
            """)
        try await badClient.expectLine("sent", within: .seconds(15))
        try await waitUntil(within: .seconds(15), "eight lines on standard error", queue) {
            queue.errorLines.count >= 8
        }
        let client = try scenario.launch("lpclient")
        try await client.expectLine("I: server replied OK (1)", within: .seconds(15))
        try await client.expectLine("I: server replied OK (2)", within: .seconds(15))
        #expect(!client.lines.contains(Self.retrying), "\(client.output)")
        #expect(!worker.lines.contains("E: invalid message"), "\(worker.output)")
        #expect(queue.errorLines.count == 8, "\(queue.errorOutput)")
        #expect(queue.errorLines.allSatisfy { $0.hasPrefix("E: ") })
        #expect(!queue.isFinished)
    }

    // MARK: Round trips

    @Test("tripping: the synchronous and then the asynchronous test each print a positive rate, then it exits")
    func roundTrips() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let process = try scenario.launch("tripping")
        #expect(try await process.waitForExit(within: .seconds(60)) == 0)
        let lines = process.lines
        #expect(lines.count == 5, "\(process.output)")
        guard lines.count == 5 else { return }
        #expect(lines[0] == "Setting up test...")
        #expect(lines[1] == "Synchronous round-trip test...")
        #expect(lines[3] == "Asynchronous round-trip test...")
        for line in [lines[2], lines[4]] {
            let rate = line.wholeMatch(of: /\ (\d+) calls\/second/).flatMap { Int($0.1) }
            #expect((rate ?? 0) > 0, "\(line)")
        }
        #expect(process.errorOutput.isEmpty, "\(process.errorOutput)")
    }

    // MARK: Usage

    @Test("every Pirate prints its usage on --help and fails on a bad argument",
          arguments: ["lpclient", "lpserver", "spqueue", "spworker", "ppqueue", "ppworker", "tripping"])
    func pirateUsage(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let help = try scenario.launch(name, ["--help"])
        #expect(try await help.waitForExit() == 0)
        #expect(help.output.lowercased().contains("usage: \(name)"), "\(help.output)")
        let wrong = try scenario.launch(name, ["--no-such-option"])
        #expect(try await wrong.waitForExit() != 0)
        #expect(wrong.errorOutput.lowercased().contains("usage: \(name)"), "\(wrong.errorOutput)")
        #expect(wrong.output.isEmpty)
    }
}
