import Foundation
import Testing

/// Chapter 2, Sockets and Patterns (first part): reading several sockets,
/// the request-reply broker and its proxy form, the weather proxy, and the
/// divide-and-conquer pipeline with a kill signal.
@Suite("Chapter 2a")
struct Chapter2aTests {
    // MARK: msreader, mspoller

    @Test("msreader and mspoller drain both the task ventilator and the weather server",
          arguments: ["msreader", "mspoller"])
    func drainsBothSources(example: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // Python peers in the places of taskvent (PUSH bound on 5557) and
        // wuserver (a PUB bound on 5556). Both hold at most one message of
        // their own and block when the reader's side is full, which for 4 kB
        // messages is a couple of thousand of them (receive queue plus kernel
        // buffers). Pushing and publishing 10000 each therefore succeeds only
        // if the example keeps reading both sockets. The weather side is an
        // XPUB with XPUB_NODROP so that it waits instead of dropping, and
        // shows the subscription it receives.
        let peers = try scenario.launchPython("sources", """
            import sys, threading, zmq
            from wire import show
            COUNT, SIZE = 10000, 4000
            context = zmq.Context()
            def ventilator():
                s = context.socket(zmq.PUSH)
                s.setsockopt(zmq.SNDHWM, 1)
                s.setsockopt(zmq.SNDTIMEO, 10000)
                s.setsockopt(zmq.LINGER, 0)
                s.bind("tcp://*:5557")
                task = b"50".ljust(SIZE, b" ")
                for n in range(COUNT):
                    try:
                        s.send(task)
                    except zmq.Again:
                        print("tasks stuck after", n, flush=True)
                        return
                print("tasks all sent", flush=True)
            def weather():
                s = context.socket(zmq.XPUB)
                s.setsockopt(zmq.XPUB_NODROP, 1)
                s.setsockopt(zmq.SNDHWM, 1)
                s.setsockopt(zmq.SNDTIMEO, 10000)
                s.setsockopt(zmq.LINGER, 0)
                s.bind("tcp://*:5556")
                event = s.recv()
                show("subscribe" if event[:1] == b"\\x01" else "unsubscribe", [event[1:]])
                update = b"10001 70 50 ".ljust(SIZE, b"~")
                for n in range(COUNT):
                    s.send(b"20001 99 10")   # filtered out: another zipcode
                    try:
                        s.send(update)
                    except zmq.Again:
                        print("updates stuck after", n, flush=True)
                        return
                print("updates all sent", flush=True)
            threads = [threading.Thread(target=ventilator), threading.Thread(target=weather)]
            for t in threads: t.start()
            for t in threads: t.join()
            """)
        let reader = try scenario.launch(example)
        try await peers.waitForExit(within: .seconds(40))
        let lines = Set(peers.lines)
        #expect(lines.contains("subscribe [\"10001 \"]"), "\(peers.report("subscription"))")
        #expect(lines.contains("tasks all sent"), "\(peers.report("tasks"))")
        #expect(lines.contains("updates all sent"), "\(peers.report("updates"))")
        // It prints nothing and runs until stopped, as in the guide.
        #expect(!reader.isFinished)
        #expect(reader.output.isEmpty)
    }

    // MARK: rrclient, rrworker, rrbroker, msgqueue

    @Test("rrclient gets ten World replies through the broker, the requests shared among the rrworkers",
          arguments: ["rrbroker", "msgqueue"], [1, 3])
    func requestReplyBroker(broker: String, workerCount: Int) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch(broker)
        let workers = try (0..<workerCount).map { _ in try scenario.launch("rrworker") }
        // Every worker must be connected before the first request, or the
        // DEALER could not share the requests among all of them.
        try await waitForConnections(in: scenario, toPort: 5560, count: workerCount)
        let client = try scenario.launch("rrclient")
        for n in 0..<10 {
            // Each request takes a worker one second.
            try await client.expectLine("Received reply \(n) [World]", within: .seconds(15))
        }
        #expect(try await client.waitForExit() == 0)
        let counts = workers.map { worker in worker.lines.filter { $0 == "Received request: [Hello]" }.count }
        #expect(counts.reduce(0, +) == 10, "requests per worker: \(counts)")
        #expect(counts.allSatisfy { $0 >= 1 }, "requests per worker: \(counts)")
        #expect(workers.allSatisfy { $0.lines.allSatisfy { $0 == "Received request: [Hello]" } })
    }

    @Test("the broker passes the client's envelope to a Python DEALER worker and its reply back",
          arguments: ["rrbroker", "msgqueue"])
    func brokerOnTheWire(broker: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch(broker)
        let worker = try scenario.launchPython("dealer", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.DEALER)
            s.connect("tcp://localhost:5560")
            for _ in range(10):
                frames = s.recv_multipart()
                show("request", frames)
                s.send_multipart(frames[:-1] + [b"World"])
            """)
        try await waitForConnections(in: scenario, toPort: 5560, count: 1)
        let client = try scenario.launch("rrclient")
        for n in 0..<10 {
            // The ROUTER's identity for the client, the REQ's empty delimiter, the body.
            try await worker.expectLine(within: .seconds(10), "request n°\(n)") {
                $0.wholeMatch(of: /request \["[^"]+", "", "Hello"\]/) != nil
            }
            try await client.expectLine("Received reply \(n) [World]")
        }
        #expect(try await client.waitForExit() == 0)
        #expect(try await worker.waitForExit() == 0)
    }

    // MARK: wuproxy

    @Test("weather updates from wuserver reach a subscriber of wuproxy on tcp://localhost:8100")
    func weatherProxy() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("wuserver")
        let proxy = try scenario.launch("wuproxy")
        let subscriber = try scenario.launchPython("sub", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.SUB)
            s.connect("tcp://localhost:8100")
            s.setsockopt(zmq.SUBSCRIBE, b"1")
            for _ in range(100):
                show("update", s.recv_multipart())
            """)
        #expect(try await subscriber.waitForExit(within: .seconds(30)) == 0)
        let updates = subscriber.lines.filter { $0.hasPrefix("update ") }
        #expect(updates.count == 100)
        for line in updates {
            // One frame, as wuserver sent it, and only zipcodes the subscription asked for.
            let match = line.wholeMatch(of: /update \["1\d{4} (-?\d+) (\d+)"\]/)
            #expect(match != nil, "unexpected update: \(line)")
        }
        #expect(!proxy.isFinished)
    }

    @Test("wuproxy with explicit endpoints passes subscriptions upstream and updates downstream unchanged")
    func weatherProxyOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let publisher = try scenario.launchPython("xpub", """
            import time, zmq
            from wire import show
            s = zmq.Context().socket(zmq.XPUB)
            s.bind("tcp://*:6000")
            event = s.recv()
            show("subscribe" if event[:1] == b"\\x01" else "unsubscribe", [event[1:]])
            while True:
                s.send(b"10001 70 50")
                s.send(b"20002 99 10")
                time.sleep(0.01)
            """)
        try scenario.launch("wuproxy", ["--frontend", "tcp://127.0.0.1:6000", "--backend", "tcp://127.0.0.1:9100"])
        let subscriber = try scenario.launchPython("sub", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.SUB)
            s.connect("tcp://127.0.0.1:9100")
            s.setsockopt(zmq.SUBSCRIBE, b"10001 ")
            for _ in range(20):
                show("update", s.recv_multipart())
            """)
        try await publisher.expectLine("subscribe [\"10001 \"]", within: .seconds(15))
        #expect(try await subscriber.waitForExit(within: .seconds(20)) == 0)
        let updates = subscriber.lines.filter { $0.hasPrefix("update ") }
        #expect(updates.count == 20)
        #expect(updates.allSatisfy { $0 == "update [\"10001 70 50\"]" }, "\(updates)")
    }

    @Test("wuproxy's endpoints default to loopback; the guide's LAN addresses appear only as help text")
    func weatherProxyHelp() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let help = try scenario.launch("wuproxy", ["--help"])
        #expect(try await help.waitForExit() == 0)
        let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("(default: tcp://localhost:5556)"), "\(text)")
        #expect(text.contains("(default: tcp://*:8100)"), "\(text)")
        #expect(text.contains("tcp://192.168.55.210:5556"), "\(text)")
        #expect(text.contains("tcp://10.1.1.0:8100"), "\(text)")
        let bad = try scenario.launch("wuproxy", ["--no-such-option"])
        #expect(try await bad.waitForExit() != 0)
    }

    // MARK: taskwork2, tasksink2

    @Test("after the batch tasksink2 publishes KILL and every taskwork2 exits by itself")
    func killSignal() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let sink = try scenario.launch("tasksink2")
        let workers = try (0..<3).map { _ in try scenario.launch("taskwork2") }
        // A Python subscriber on the control socket shows what the sink sends there.
        let control = try scenario.launchPython("control", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.SUB)
            s.connect("tcp://localhost:5559")
            s.setsockopt(zmq.SUBSCRIBE, b"")
            print("connected", flush=True)
            show("control", s.recv_multipart())
            """)
        try await control.expectLine("connected")
        let ventilator = try scenario.launch("taskvent")
        try await ventilator.expectText("Press Enter when the workers are ready: ")
        try await waitForConnections(in: scenario, toPort: 5557, count: workers.count)
        try ventilator.send(line: "")
        let costLine = try await ventilator.expectLine(containing: "Total expected cost: ")
        let cost = try #require(Int(costLine.split(separator: " ")[3]))
        #expect(try await ventilator.waitForExit() == 0)

        let total = try await sink.expectLine(within: .seconds(30), "the elapsed time") {
            $0.contains("Total elapsed time: ")
        }
        let marks = String(total.prefix { $0 == ":" || $0 == "." })
        #expect(marks.count == 100)
        #expect(marks.filter { $0 == ":" }.count == 10)
        #expect(try await sink.waitForExit() == 0)

        // The kill signal is one frame, KILL, and each worker stops on it with status 0.
        try await control.expectLine("control [\"KILL\"]")
        for worker in workers {
            #expect(try await worker.waitForExit(within: .seconds(10)) == 0, "\(worker.report("exit"))")
        }
        // Between them the workers did the whole batch, each task once.
        let loads = workers.flatMap { $0.output.split(separator: ".").compactMap { Int($0) } }
        #expect(loads.count == 100)
        #expect(loads.reduce(0, +) == cost)
    }
}

/// Waits until `count` TCP connections to local port `port` are established
/// in the scenario's network namespace: nothing prints when a ZeroMQ peer
/// finishes connecting, so a Python probe watches the kernel's socket table.
private func waitForConnections(in scenario: Scenario, toPort port: Int, count: Int) async throws {
    let probe = try scenario.launchPython("connections-\(port)", """
        import sys, time
        port, wanted = int(sys.argv[1]), int(sys.argv[2])
        while True:
            found = 0
            for table in ("/proc/net/tcp", "/proc/net/tcp6"):
                try:
                    rows = open(table).read().splitlines()[1:]
                except OSError:
                    continue
                for row in rows:
                    fields = row.split()
                    # state 01 is ESTABLISHED; fields[1] is the local address:port in hex
                    if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        found += 1
            if found >= wanted:
                print("connected", found, flush=True)
                break
            time.sleep(0.02)
        """, [String(port), String(count)])
    try await probe.expectLine(within: .seconds(15), "\(count) connections to port \(port)") {
        $0.hasPrefix("connected ")
    }
}
