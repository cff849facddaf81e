import Foundation
import Testing

/// Chapter 3, Advanced Request-Reply (first part): identities and ROUTER
/// brokers, each example with Python (pyzmq) peers where a wire is crossed.
@Suite("Chapter 3a")
struct Chapter3aTests {
    @Test("identity: the ROUTER sees a generated 5-byte identity, then PEER2")
    func identity() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let example = try scenario.launch("identity")
        #expect(try await example.waitForExit() == 0)
        let lines = example.lines
        try #require(lines.count == 8, "\(example.output)")
        let rule = String(repeating: "-", count: 40)
        // The anonymous REQ: libzmq's generated identity is five bytes, a zero
        // byte and a 32-bit number, so the dump shows it in hex. Then the
        // empty delimiter REQ put in, then the request.
        #expect(lines[0] == rule)
        #expect(lines[1].wholeMatch(of: /\[005\] 00[0-9A-F]{8}/) != nil, "\(lines[1])")
        #expect(lines[2] == "[000] ")
        #expect(lines[3] == "[039] ROUTER uses a generated 5 byte identity")
        // The REQ that set its identity is known by it.
        #expect(lines[4] == rule)
        #expect(lines[5] == "[005] PEER2")
        #expect(lines[6] == "[000] ")
        #expect(lines[7] == "[040] ROUTER socket uses REQ's socket identity")
    }

    @Test("rtreq: ten REQ workers share five seconds of work evenly; a Python REQ worker gets one-frame replies")
    func routerToREQ() async throws {
        try await brokerScenario("rtreq", pythonSocket: "REQ", request: "[b\"Hi Boss\"]",
                                 reply: "[\"Work harder\"]")
    }

    @Test("rtdealer: ten DEALER workers share five seconds of work evenly; a Python DEALER worker sees the delimiter")
    func routerToDEALER() async throws {
        try await brokerScenario("rtdealer", pythonSocket: "DEALER", request: "[b\"\", b\"Hi Boss\"]",
                                 reply: "[\"\", \"Work harder\"]")
    }

    /// rtreq and rtdealer: the broker keeps every worker busy for five
    /// seconds, then fires each one, which prints its total. A Python worker
    /// asks three times early on, shows the replies, and leaves; a request
    /// without a delimiter before that is reported and dropped.
    private func brokerScenario(_ name: String, pythonSocket: String, request: String, reply: String) async throws {
        let scenario = try await Scenario(name)
        defer { scenario.stop() }
        let example = try scenario.launch(name)
        let peer = try scenario.launchPython("worker", """
            import zmq
            from wire import show
            c = zmq.Context()
            # A malformed request first: no delimiter. The broker drops it.
            # Then a good request on the same connection: its reply proves
            # the broker read the bad one first, however slow it runs.
            bad = c.socket(zmq.DEALER)
            bad.setsockopt(zmq.LINGER, 0)
            bad.connect("tcp://localhost:5671")
            bad.send(b"no delimiter")
            bad.send_multipart([b"", b"Hi Boss"])
            show("after the bad request", bad.recv_multipart())
            s = c.socket(zmq.\(pythonSocket))
            s.setsockopt(zmq.LINGER, 0)
            s.connect("tcp://localhost:5671")
            for _ in range(3):
                s.send_multipart(\(request))
                show("reply", s.recv_multipart())
            bad.close()
            print("done", flush=True)
            """)
        try await peer.expectLine("after the bad request [\"\", \"Work harder\"]", within: .seconds(20))
        for _ in 0..<3 {
            try await peer.expectLine("reply \(reply)", within: .seconds(5))
        }
        try await peer.expectLine("done")
        #expect(try await peer.waitForExit() == 0)

        // Five seconds of work, then each of the ten workers reports.
        var totals: [Int] = []
        for _ in 0..<10 {
            let line = try await example.expectLine(within: .seconds(20), "a worker's total") {
                $0.wholeMatch(of: /Completed: \d+ tasks/) != nil
            }
            totals.append(try #require(Int(line.split(separator: " ")[1])))
        }
        #expect(try await example.waitForExit() == 0)
        #expect(example.lines.count == 10, "\(example.output)")
        #expect(example.errorOutput.contains("malformed"), "the bad request was not reported")

        // Each task takes 1 to 500 ms, so in five seconds a worker does about
        // twenty. The broker serves whoever asks, so the load is balanced:
        // every worker is within a generous band around the mean.
        let sum = totals.reduce(0, +)
        #expect(sum >= 10 * 5, "\(totals)")
        let mean = Double(sum) / Double(totals.count)
        for total in totals {
            #expect(Double(total) >= 0.4 * mean && Double(total) <= 1.6 * mean, "unbalanced: \(totals)")
        }
    }

    @Test("asyncsrv: for five seconds each client gets back copies of its own requests only, then exits 0")
    func asynchronousServer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let clock = ContinuousClock()
        let start = clock.now
        let example = try scenario.launch("asyncsrv")
        // A fourth client, in Python, with requests no Swift client sends:
        // it notes each request before sending it and shows each reply.
        let peer = try scenario.launchPython("client", """
            import time, zmq
            from wire import show
            s = zmq.Context().socket(zmq.DEALER)
            s.setsockopt(zmq.IDENTITY, b"PY-CLIENT")
            s.setsockopt(zmq.LINGER, 0)
            s.connect("tcp://localhost:5570")
            s.send_multipart([b"one", b"too many"])   # malformed: a worker drops it
            n = 0
            end = time.time() + 4
            next_send = time.time()
            while time.time() < end:
                if time.time() >= next_send:
                    n += 1
                    print("sent %d" % n, flush=True)
                    s.send_string("python #%d" % n)
                    next_send += 0.25
                if s.poll(20):
                    show("reply", s.recv_multipart())
            """)
        #expect(try await peer.waitForExit(within: .seconds(15)) == 0)
        #expect(try await example.waitForExit(within: .seconds(20)) == 0)
        // It runs five seconds, plus up to four for a worker's last replies.
        #expect(clock.now - start >= .seconds(5))

        // The Python client gets replies, each a single frame holding one of
        // its own requests, sent before the reply came.
        var sent: Set<Int> = []
        var replies = 0
        for line in peer.lines {
            if let match = line.wholeMatch(of: /sent (\d+)/), let n = Int(match.1) {
                sent.insert(n)
            } else if let match = line.wholeMatch(of: /reply \["python #(\d+)"\]/), let n = Int(match.1) {
                #expect(sent.contains(n), "reply to a request not sent yet: \(line)")
                replies += 1
            } else {
                Issue.record("unexpected line from the Python client: \(line)")
            }
        }
        #expect(replies > 0, "\(peer.output)")

        // Each Swift client prints each reply as CZMQ's zframe_print does:
        // log level, date and time, its own identity, the frame's size and text.
        // There are three clients, each sending "request #N" once a second;
        // none of them ever gets the Python client's requests.
        var identities: Set<Substring> = []
        for line in example.lines {
            let match = line.wholeMatch(
                of: /D: \d\d-\d\d-\d\d \d\d:\d\d:\d\d ([0-9A-F]{4}-[0-9A-F]{4})\[(\d{3})\] (request #(\d+))/)
            guard let match else {
                Issue.record("unexpected line from asyncsrv: \(line)")
                continue
            }
            identities.insert(match.1)
            #expect(Int(match.2) == match.3.utf8.count, "\(line)")
            if let n = Int(match.4) { #expect((1...10).contains(n), "\(line)") }
        }
        #expect(!example.lines.isEmpty, "no replies reached the Swift clients")
        #expect((1...3).contains(identities.count), "\(identities)")
        #expect(!example.output.contains("python"))
        #expect(!example.output.contains("too many"))
        #expect(example.errorOutput.contains("malformed"), "the bad request was not reported")
    }
}
