import Foundation
import Testing

/// Chapter 3, Advanced Request-Reply: the broker peering simulations.
/// Brokers are named on the command line and reach each other over ipc://
/// endpoints named after them, in the scenario's own directory. Python
/// (pyzmq) peers stand in for a peer broker and show the frames that cross
/// between clusters.
@Suite("Chapter 3c")
struct Chapter3cTests {
    @Test("peering1, peering2 and peering3 without a name print their usage and fail")
    func peeringUsage() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for name in ["peering1", "peering2", "peering3"] {
            let broker = try scenario.launch(name)
            #expect(try await broker.waitForExit() != 0)
            #expect(broker.errorOutput.contains("\(name) me {you}..."), "\(broker.errorOutput)")
        }
    }

    @Test("peering1: three brokers each print both peers' free-worker counts, and stop on Ctrl-C")
    func peering1Cluster() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let names = ["DC1", "DC2", "DC3"]
        let brokers = try names.map { me in
            try scenario.launch("peering1", [me] + names.filter { $0 != me })
        }
        for (me, broker) in zip(names, brokers) {
            try await broker.expectLine("I: preparing broker at \(me)...")
            for peer in names where peer != me {
                try await broker.expectLine("I: connecting to state backend at '\(peer)'")
            }
        }
        // Each peer's count, a random number of free workers from 0 to 9
        for (me, broker) in zip(names, brokers) {
            for peer in names where peer != me {
                try await waitUntil(within: .seconds(15), "\(me) prints \(peer)'s count", broker) {
                    broker.lines.contains { $0.wholeMatch(of: /(\w+) - \d workers free/).map { String($0.1) } == peer }
                }
            }
        }
        for broker in brokers {
            broker.signal(SIGINT)
            #expect(try await broker.waitForExit() == 0)
        }
    }

    @Test("peering1 publishes [name, count] and prints a peer's state; a malformed state is dropped")
    func peering1OnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let peer = try scenario.launchPython("PY", """
            import zmq
            from wire import show
            c = zmq.Context()
            statebe = c.socket(zmq.PUB)
            statebe.bind("ipc://PY-state.ipc")
            statefe = c.socket(zmq.SUB)
            statefe.setsockopt(zmq.SUBSCRIBE, b"")
            statefe.connect("ipc://DC1-state.ipc")
            print("bound", flush=True)
            show("state", statefe.recv_multipart())
            statebe.send(b"junk")
            statebe.send_multipart([b"PY", b"7"])
            show("state", statefe.recv_multipart())
            """)
        try await peer.expectLine("bound")
        let broker = try scenario.launch("peering1", ["DC1", "PY"])
        try await broker.expectLine("I: connecting to state backend at 'PY'")
        // Two frames: the broker's name, then its count (one digit)
        let statePattern = /state \["DC1", "\d"\]/
        try await peer.expectLine(within: .seconds(10), "DC1's state") { $0.wholeMatch(of: statePattern) != nil }
        try await broker.expectLine("PY - 7 workers free")
        try await peer.expectLine(within: .seconds(10), "DC1's next state") { $0.wholeMatch(of: statePattern) != nil }
        #expect(try await peer.waitForExit() == 0)
        #expect(!broker.lines.contains { $0.hasPrefix("junk") })
        #expect(broker.errorOutput.contains("malformed"))
        broker.signal(SIGINT)
        #expect(try await broker.waitForExit() == 0)
    }

    @Test("peering2: two brokers serve their clients, sharing requests across the cloud, and stop on Ctrl-C")
    func peering2Pair() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let one = try scenario.launch("peering2", ["DC1", "DC2"])
        let two = try scenario.launch("peering2", ["DC2", "DC1"])
        try await one.expectLine("I: preparing broker at DC1...")
        try await one.expectLine("I: connecting to cloud frontend at 'DC2'")
        try await two.expectLine("I: preparing broker at DC2...")
        try await two.expectLine("I: connecting to cloud frontend at 'DC1'")
        for broker in [one, two] {
            try await broker.expectText("Press Enter when all brokers are started: ")
        }
        for broker in [one, two] { try broker.send(line: "") }
        // Ten clients a second per broker; a misrouted reply would leave a
        // client blocked, and the flow of replies would dry up.
        for broker in [one, two] {
            try await waitUntil(within: .seconds(20), "30 replies", broker) {
                broker.lines.filter { $0 == "Client: OK" }.count >= 30
            }
            // Workers print each request's body as CZMQ's zframe_print does
            let worker = /D: \d\d-\d\d-\d\d \d\d:\d\d:\d\d Worker: \[005\] HELLO/
            #expect(broker.lines.contains { $0.wholeMatch(of: worker) != nil })
        }
        for broker in [one, two] {
            broker.signal(SIGINT)
            #expect(try await broker.waitForExit() == 0)
        }
    }

    @Test("peering2 sends a client's request to a peer broker and the peer's reply back to that client; it serves a peer's request")
    func peering2Cloud() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let broker = try scenario.launch("peering2", ["DC1", "DC2"])
        try await broker.expectText("Press Enter when all brokers are started: ")
        // The peer broker DC2: its cloud frontend answers DC1's request
        // saying who answered; its cloud backend asks DC1's workers.
        let peer = try scenario.launchPython("DC2", """
            import time, zmq
            from wire import show
            c = zmq.Context()
            cloudfe = c.socket(zmq.ROUTER)
            cloudfe.setsockopt(zmq.IDENTITY, b"DC2")
            joined = cloudfe.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
            cloudfe.bind("ipc://DC2-cloud.ipc")
            cloudbe = c.socket(zmq.ROUTER)
            cloudbe.setsockopt(zmq.IDENTITY, b"DC2")
            cloudbe.setsockopt(zmq.ROUTER_MANDATORY, 1)
            cloudbe.connect("ipc://DC1-cloud.ipc")
            joined.recv_multipart()
            print("peered", flush=True)
            request = cloudfe.recv_multipart()
            show("request", request)
            cloudfe.send_multipart(request[:-1] + [b"OK from DC2"])
            while True:
                try:
                    cloudbe.send_multipart([b"DC1", b"PY-CLIENT", b"", b"HELLO from DC2"])
                    break
                except zmq.ZMQError:
                    time.sleep(0.05)   # not connected yet
            show("reply", cloudbe.recv_multipart())
            """)
        try await peer.expectLine("peered")
        try broker.send(line: "")
        // About one request in five goes to the cloud: from DC1, by its
        // cloud backend, with the client's envelope.
        try await peer.expectLine(within: .seconds(20), "a request from DC1's clients") {
            $0.wholeMatch(of: /request \["DC1", "0x[0-9A-F]{10}", "", "HELLO"\]/) != nil
        }
        // (It may share a line with the prompt, which has no newline.)
        try await broker.expectLine(within: .seconds(10), "the reply from DC2") {
            $0.hasSuffix("Client: OK from DC2")
        }
        // DC2's request, served by one of DC1's workers, comes back to DC2
        try await peer.expectLine(#"reply ["DC1", "PY-CLIENT", "", "OK"]"#)
        #expect(try await peer.waitForExit() == 0)
        try await waitUntil(within: .seconds(5), "DC1's worker shows DC2's request", broker) {
            broker.lines.contains { $0.hasSuffix(" Worker: [014] HELLO from DC2") }
        }
        broker.signal(SIGINT)
        #expect(try await broker.waitForExit() == 0)
    }

    @Test("peering3: three brokers and a peer, overloaded brokers send tasks to the cloud, no task is lost, Ctrl-C stops all")
    func peering3Cluster() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // DC4 stands in for a fourth broker, a peer of DC1 only: it says it
        // has five free workers and echoes every task at once, as a worker does.
        let peer = try scenario.launchPython("DC4", """
            import zmq
            from wire import show
            c = zmq.Context()
            cloudfe = c.socket(zmq.ROUTER)
            cloudfe.setsockopt(zmq.IDENTITY, b"DC4")
            cloudfe.bind("ipc://DC4-cloud.ipc")
            statebe = c.socket(zmq.PUB)
            statebe.bind("ipc://DC4-state.ipc")
            print("bound", flush=True)
            poller = zmq.Poller()
            poller.register(cloudfe, zmq.POLLIN)
            while True:
                statebe.send_multipart([b"DC4", b"5"])
                if poller.poll(100):
                    task = cloudfe.recv_multipart()
                    show("task", task)
                    cloudfe.send_multipart(task)
            """)
        try await peer.expectLine("bound")
        let start = ContinuousClock.now
        let two = try scenario.launch("peering3", ["DC2", "DC1", "DC3"])
        let three = try scenario.launch("peering3", ["DC3", "DC1", "DC2"])
        let one = try scenario.launch("peering3", ["DC1", "DC2", "DC3", "DC4"])
        let brokers = [one, two, three]
        try await one.expectLine("I: preparing broker at DC1...")
        for peer in ["DC2", "DC3", "DC4"] { try await one.expectLine("I: connecting to cloud frontend at '\(peer)'") }
        for peer in ["DC2", "DC3", "DC4"] { try await one.expectLine("I: connecting to state backend at '\(peer)'") }

        // When DC1's five workers are all busy, its clients' tasks go to the
        // cloud: some reach DC4, enveloped with DC1's name and the client's address.
        let taskLine = try await peer.expectLine(within: .seconds(30), "a task from DC1") {
            $0.wholeMatch(of: /task \["DC1", "0x[0-9A-F]{10}", "", "[0-9A-F]{4}"\]/) != nil
        }
        let taskID = String(taskLine.dropLast(2).suffix(4))
        // DC4's answer reaches the client, which reports it to DC1's monitor
        try await waitUntil(within: .seconds(10), "DC1 prints task \(taskID)", one) {
            one.lines.contains(taskID)
        }
        // Every broker's clients get their answers: each monitor prints task ids
        for broker in brokers {
            try await waitUntil(within: .seconds(10), "answered tasks", broker) {
                broker.lines.contains { $0.wholeMatch(of: /[0-9A-F]{4}/) != nil }
            }
        }
        // A client reports a lost task after ten seconds without an answer:
        // run past that, then check none was reported.
        try await Task.sleep(until: start + .seconds(12))
        for broker in brokers {
            #expect(!broker.lines.contains { $0.hasPrefix("E: CLIENT EXIT - lost task") }, "\(broker.report("lost a task"))")
        }
        for broker in brokers { broker.signal(SIGINT) }
        for broker in brokers {
            #expect(try await broker.waitForExit() == 0)
        }
    }
}
