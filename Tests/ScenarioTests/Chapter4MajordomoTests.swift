import Foundation
import Testing

/// Chapter 4, Reliable Request-Reply: the Majordomo Protocol (broker,
/// worker, synchronous and asynchronous clients, the management interface)
/// and Titanic, proven by killing workers, brokers and titanic itself, and
/// checked on the wire against Python MDP peers written here.
@Suite("Chapter 4 Majordomo")
struct Chapter4MajordomoTests {
    /// Python helpers for the MDP peers: the protocol's bytes, written out
    /// here on purpose so that the Swift library's constants are checked.
    static let mdp = #"""
        import sys, time, zmq
        from wire import show
        C = b"MDPC01"
        W = b"MDPW01"
        READY, REQUEST, REPLY, HEARTBEAT, DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"
        ctx = zmq.Context()
        def sock(kind, endpoint="tcp://localhost:5555", bind=False):
            s = ctx.socket(kind)
            s.setsockopt(zmq.LINGER, 0)
            if bind:
                s.bind(endpoint)
            else:
                s.connect(endpoint)
            return s
        def recv(s, seconds=20):
            if not s.poll(seconds * 1000):
                print("timeout", flush=True)
                sys.exit(1)
            return s.recv_multipart()

        """#

    /// Starts a Python MDP peer: the helpers above, then `code`.
    private func python(_ scenario: Scenario, _ label: String, _ code: String) throws -> ScenarioProcess {
        try scenario.launchPython(label, Self.mdp + code)
    }

    /// The number in "N requests/replies processed", if `line` is that line.
    private func processed(_ line: String) -> Int? {
        line.wholeMatch(of: /(\d+) requests\/replies processed/).flatMap { Int($0.1) }
    }

    // MARK: mdbroker, mdworker, mdclient, mdclient2, mmiecho

    @Test("mdclient and mdclient2 get every echo reply through mdbroker and mdworker; mmiecho finds echo")
    func echoThroughBroker() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("mdbroker")
        try await broker.expectLine(containing: "I: MDP broker/0.2.0 is active at tcp://*:5555")
        try scenario.launch("mdworker")
        let client = try scenario.launch("mdclient", ["--requests", "1000"])
        #expect(try await client.waitForExit(within: .seconds(60)) == 0)
        #expect(client.lines == ["1000 requests/replies processed"], "\(client.output)")
        let client2 = try scenario.launch("mdclient2", ["--requests", "1000"])
        #expect(try await client2.waitForExit(within: .seconds(60)) == 0)
        #expect(client2.lines == ["1000 replies received"], "\(client2.output)")
        let lookup = try scenario.launch("mmiecho")
        #expect(try await lookup.waitForExit(within: .seconds(20)) == 0)
        #expect(lookup.lines == ["Lookup echo service: 200"], "\(lookup.output)")
        #expect(broker.errorOutput.isEmpty, "\(broker.errorOutput)")
    }

    @Test("mdclient stopped by Ctrl-C still says how many requests it completed")
    func clientInterrupted() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("mdbroker")
        // A Python echo worker that reports its progress
        let worker = try python(scenario, "worker", #"""
            s = sock(zmq.DEALER)
            s.send_multipart([b"", W, READY, b"echo"])
            served = 0
            while True:
                frames = recv(s)
                if frames[2] == REQUEST:
                    s.send_multipart([b"", W, REPLY] + frames[3:])
                    served += 1
                    if served == 100:
                        print("served 100", flush=True)
            """#)
        let client = try scenario.launch("mdclient")   // the C's 100,000 requests
        try await worker.expectLine("served 100", within: .seconds(30))
        client.signal(SIGINT)
        #expect(try await client.waitForExit(within: .seconds(15)) == 0)
        let count = client.lines.compactMap(processed).first
        #expect(count.map { $0 >= 99 && $0 < 100_000 } == true, "\(client.output)")
        #expect(client.lines.contains("W: interrupt received, killing client..."), "\(client.output)")
    }

    @Test("A worker killed while it holds a request: the client retries, a new worker serves, the client completes")
    func workerKilled() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("mdbroker")
        // Worker A answers 20 requests, then sits on the 21st
        let stalling = try python(scenario, "stalling", #"""
            s = sock(zmq.DEALER)
            s.send_multipart([b"", W, READY, b"echo"])
            served = 0
            while True:
                frames = recv(s, 60)
                if frames[2] == REQUEST:
                    if served == 20:
                        print("stalling", flush=True)
                        time.sleep(600)
                    s.send_multipart([b"", W, REPLY] + frames[3:])
                    served += 1
            """#)
        let client = try scenario.launch("mdclient", ["-v", "--requests", "50"])
        try await stalling.expectLine("stalling", within: .seconds(30))
        stalling.signal(SIGKILL)
        try scenario.launch("mdworker")
        try await client.expectLine(containing: "W: no reply, reconnecting...", within: .seconds(20))
        #expect(try await client.waitForExit(within: .seconds(30)) == 0)
        #expect(client.lines.last == "50 requests/replies processed", "\(client.output.suffix(500))")
    }

    @Test("The broker expires a killed idle worker: mmi.service answers 200 while it lives, 404 after")
    func workerExpiry() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("mdbroker", ["-v"])
        let worker = try scenario.launch("mdworker")
        try await broker.expectLine(containing: "I: registering new worker: ", within: .seconds(20))
        let before = try scenario.launch("mmiecho")
        #expect(try await before.waitForExit(within: .seconds(20)) == 0)
        #expect(before.lines == ["Lookup echo service: 200"], "\(before.output)")
        worker.signal(SIGKILL)
        // No heartbeat for HEARTBEAT_EXPIRY (7.5 s): the broker forgets it
        try await broker.expectLine(containing: "I: deleting expired worker: ", within: .seconds(30))
        let after = try scenario.launch("mmiecho")
        #expect(try await after.waitForExit(within: .seconds(20)) == 0)
        #expect(after.lines == ["Lookup echo service: 404"], "\(after.output)")
    }

    @Test("The broker killed: the worker says it is disconnected, reconnects to a new broker, and a client is served")
    func brokerKilled() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let first = try scenario.launch("mdbroker")
        try await first.expectLine(containing: "is active at", within: .seconds(20))
        let worker = try scenario.launch("mdworker", ["-v"])
        // The broker's first heartbeat shows the worker is connected
        try await worker.expectLine(containing: "I: received message from broker:", within: .seconds(20))
        first.signal(SIGKILL)
        try await worker.expectLine(containing: "W: disconnected from broker - retrying...", within: .seconds(30))
        let second = try scenario.launch("mdbroker")
        try await second.expectLine(containing: "is active at", within: .seconds(20))
        try await worker.expectLine(containing: "I: connecting to broker at tcp://localhost:5555...", within: .seconds(20))
        let client = try scenario.launch("mdclient", ["--requests", "10"])
        #expect(try await client.waitForExit(within: .seconds(30)) == 0)
        #expect(client.lines == ["10 requests/replies processed"], "\(client.output)")
    }

    // MARK: The wire

    @Test("Python MDP client and worker through the Swift mdbroker: every frame as MDP/0.1 says, mmi 200/404/501")
    func pythonPeersThroughBroker() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("mdbroker")
        try await broker.expectLine(containing: "is active at", within: .seconds(20))
        let worker = try python(scenario, "worker", #"""
            s = sock(zmq.DEALER)
            s.send_multipart([b"", W, READY, b"echo"])
            print("ready", flush=True)
            frames = recv(s)
            while frames[2] == HEARTBEAT:
                frames = recv(s)
            client = frames[3]
            show("request", frames[:3] + [b"CLIENT"] + frames[4:])
            s.send_multipart([b"", W, REPLY, client, b""] + frames[5:])
            frames = recv(s)
            show("idle", frames)
            s.send_multipart([b"", W, DISCONNECT])
            print("done", flush=True)
            time.sleep(1)
            """#)
        try await worker.expectLine("ready", within: .seconds(20))
        let client = try python(scenario, "client", #"""
            s = sock(zmq.REQ)
            def ask(service, *body):
                s.send_multipart([C, service] + list(body))
                show("reply", recv(s))
            ask(b"mmi.service", b"echo")
            ask(b"echo", b"hello", b"world")
            ask(b"mmi.service", b"nosuch")
            ask(b"mmi.other", b"echo")
            """#)
        #expect(try await client.waitForExit(within: .seconds(30)) == 0)
        #expect(client.lines == [
            #"reply ["MDPC01", "mmi.service", "200"]"#,
            #"reply ["MDPC01", "echo", "hello", "world"]"#,
            #"reply ["MDPC01", "mmi.service", "404"]"#,
            #"reply ["MDPC01", "mmi.other", "501"]"#,
        ], "\(client.output)")
        try await worker.expectLine(#"request ["", "MDPW01", "0x02", "CLIENT", "", "hello", "world"]"#, within: .seconds(10))
        // Idle, the worker gets the broker's heartbeat
        try await worker.expectLine(#"idle ["", "MDPW01", "0x04"]"#, within: .seconds(20))
        try await worker.expectLine("done", within: .seconds(10))
        // After DISCONNECT the broker no longer counts the worker
        let lookup = try scenario.launch("mmiecho")
        #expect(try await lookup.waitForExit(within: .seconds(20)) == 0)
        #expect(lookup.lines == ["Lookup echo service: 404"], "\(lookup.output)")
        #expect(broker.errorOutput.isEmpty, "\(broker.errorOutput)")
    }

    @Test("Swift mdworker and mdclient through a minimal Python MDP broker: READY, request, REPLY, HEARTBEAT byte for byte")
    func swiftPeersThroughPythonBroker() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try python(scenario, "broker", #"""
            s = sock(zmq.ROUTER, "tcp://*:5555", bind=True)
            print("bound", flush=True)
            worker = None
            waiting = []     # requests waiting for the worker
            seen = set()
            replies = 0
            next_heartbeat = time.time() + 1
            while replies < 5 or HEARTBEAT not in seen:
                if s.poll(500):
                    frames = s.recv_multipart()
                    sender = frames[0]
                    if frames[2] == C:
                        if "request" not in seen:
                            seen.add("request")
                            show("request", [b"ID"] + frames[1:])
                        waiting.append(frames)
                    elif frames[2] == W:
                        command = frames[3]
                        if command not in seen:
                            seen.add(command)
                            label = {READY: "ready", REPLY: "reply", HEARTBEAT: "heartbeat"}.get(command, "other")
                            shown = [b"ID"] + frames[1:]
                            if command == REPLY:
                                shown[4] = b"CLIENT"
                            show(label, shown)
                        if command == READY:
                            worker = sender
                        elif command == REPLY:
                            s.send_multipart([frames[4], b"", C, b"echo"] + frames[6:])
                            replies += 1
                if worker and waiting:
                    request = waiting.pop(0)
                    s.send_multipart([worker, b"", W, REQUEST, request[0], b""] + request[4:])
                if worker and time.time() > next_heartbeat:
                    s.send_multipart([worker, b"", W, HEARTBEAT])
                    next_heartbeat = time.time() + 1
            print("done", flush=True)
            """#)
        try await broker.expectLine("bound", within: .seconds(20))
        try scenario.launch("mdworker")
        try await broker.expectLine(#"ready ["ID", "", "MDPW01", "0x01", "echo"]"#, within: .seconds(20))
        let client = try scenario.launch("mdclient", ["--requests", "5"])
        #expect(try await client.waitForExit(within: .seconds(30)) == 0)
        #expect(client.lines == ["5 requests/replies processed"], "\(client.output)")
        #expect(broker.lines.contains(#"request ["ID", "", "MDPC01", "echo", "Hello world"]"#), "\(broker.output)")
        #expect(broker.lines.contains(#"reply ["ID", "", "MDPW01", "0x03", "CLIENT", "", "Hello world"]"#), "\(broker.output)")
        try await broker.expectLine(#"heartbeat ["ID", "", "MDPW01", "0x04"]"#, within: .seconds(20))
        #expect(try await broker.waitForExit(within: .seconds(10)) == 0)
    }

    @Test("Malformed messages each log one line and are dropped; the broker then answers a well-formed request")
    func malformedInput() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("mdbroker")
        try await broker.expectLine(containing: "is active at", within: .seconds(20))
        try scenario.launch("mdworker")
        let bad: [String] = [
            #"[b"", b"MDPX01", b"echo", b"x"]"#,           // wrong header
            #"[b"", W, b"\x09"]"#,                          // unknown command
            #"[b"", C, b"echo"]"#,                          // request without body
            #"[b"", W]"#,                                   // no command
            #"[b""]"#,                                      // empty: only the delimiter
            #"[C, b"echo", b"x"]"#,                         // no delimiter
            #"[b"", b"M" * 10_000_000, b"echo", b"x"]"#,    // a 10 MB header frame
            #"[b"", W, REQUEST, b"x"]"#,                    // a worker may not send REQUEST
            #"[b"", W, REPLY]"#,                            // REPLY without envelope
        ]
        let peer = try python(scenario, "peer", #"""
            bad = sock(zmq.DEALER)
            for frames in [\#(bad.joined(separator: ", "))]:
                bad.send_multipart(frames)
            time.sleep(0.5)
            s = sock(zmq.REQ)
            s.send_multipart([C, b"echo", b"still there?"])
            show("reply", recv(s))
            """#)
        try await peer.expectLine(#"reply ["MDPC01", "echo", "still there?"]"#, within: .seconds(30))
        let errors = try await broker.errorLines(atLeast: bad.count)
        #expect(errors.count == bad.count, "\(broker.errorOutput)")
        #expect(errors.allSatisfy { $0.hasPrefix("E: invalid message") }, "\(broker.errorOutput)")
        #expect(errors.allSatisfy { $0.count < 200 }, "one short line each")
    }

    // MARK: Titanic

    /// The entries of the queue file in `scenario`'s .titanic directory.
    private func queueEntries(_ scenario: Scenario) -> [String] {
        let url = scenario.directory.appendingPathComponent(".titanic/queue")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// The UUID in ticlient's "I: request UUID [032] ..." line.
    private func requestUUID(_ line: String) -> String? {
        line.wholeMatch(of: /I: request UUID \[032\] ([0-9A-F]{32})/).map { String($0.1) }
    }

    @Test("ticlient gets its echo reply through titanic, which keeps its queue in .titanic and closes the request")
    func titanicEcho() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("mdbroker")
        try await broker.expectLine(containing: "is active at", within: .seconds(20))
        try scenario.launch("mdworker")
        try scenario.launch("titanic")
        let client = try scenario.launch("ticlient", ["--retry-interval", "500"])
        let line = try await client.expectLine(containing: "I: request UUID ", within: .seconds(30))
        let uuid = try #require(requestUUID(line), "\(line)")
        try await client.expectLine("Reply: Hello world", within: .seconds(30))
        #expect(try await client.waitForExit(within: .seconds(20)) == 0)
        #expect(queueEntries(scenario) == ["+" + uuid])
        // titanic.close removed the request and its reply
        let files = try FileManager.default.contentsOfDirectory(atPath: scenario.directory.appendingPathComponent(".titanic").path)
        #expect(files == ["queue"], "\(files)")
    }

    @Test("titanic killed with a request pending, then restarted in the same directory: the reply arrives, once")
    func titanicKilled() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("mdbroker")
        try await broker.expectLine(containing: "is active at", within: .seconds(20))
        let first = try scenario.launch("titanic")
        // No echo worker yet: the request waits on disk
        let client = try scenario.launch("ticlient", ["--retry-interval", "1000"])
        let line = try await client.expectLine(containing: "I: request UUID ", within: .seconds(30))
        let uuid = try #require(requestUUID(line), "\(line)")
        try await client.expectLine("I: no reply yet, trying again...", within: .seconds(20))
        first.signal(SIGKILL)
        _ = try await first.waitForExit(within: .seconds(10))
        #expect(queueEntries(scenario) == ["-" + uuid])
        #expect(FileManager.default.fileExists(atPath: scenario.directory.appendingPathComponent(".titanic/\(uuid).req").path))

        // An echo worker that reports each request it gets, then titanic again
        let worker = try python(scenario, "worker", #"""
            s = sock(zmq.DEALER)
            s.send_multipart([b"", W, READY, b"echo"])
            while True:
                frames = recv(s, 120)
                if frames[2] == REQUEST:
                    show("request", frames[5:])
                    s.send_multipart([b"", W, REPLY] + frames[3:])
            """#)
        try scenario.launch("titanic")
        try await client.expectLine("Reply: Hello world", within: .seconds(40))
        #expect(try await client.waitForExit(within: .seconds(20)) == 0)
        #expect(client.lines.filter { $0.hasPrefix("Reply:") } == ["Reply: Hello world"])
        #expect(queueEntries(scenario) == ["+" + uuid])
        // Delivered to the service once: a later dispatch pass sends nothing more
        try await Task.sleep(for: .seconds(2))
        #expect(worker.lines == [#"request ["Hello world"]"#], "\(worker.output)")
    }
}
