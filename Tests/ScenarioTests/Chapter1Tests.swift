import Foundation
import Testing

/// Chapter 1, Basics: each example with its Swift partner and with a Python
/// (pyzmq) peer that reports the frames that crossed the wire.
@Suite("Chapter 1")
struct Chapter1Tests {
    @Test("hwclient and hwserver: ten requests, ten replies")
    func helloWorld() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("hwserver")
        let client = try scenario.launch("hwclient")
        try await client.expectLine("Connecting to hello world server...")
        for n in 0..<10 {
            try await client.expectLine("Sending Hello \(n)...")
            try await client.expectLine("Received World \(n)", within: .seconds(15))
        }
        #expect(try await client.waitForExit() == 0)
        #expect(server.lines.filter { $0 == "Received Hello" }.count == 10)
    }

    @Test("hwclient sends exactly one frame, Hello, to a Python REP server")
    func helloClientOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let peer = try scenario.launchPython("rep", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REP)
            s.bind("tcp://*:5555")
            print("bound", flush=True)
            for _ in range(10):
                show("request", s.recv_multipart())
                s.send(b"World")
            """)
        try await peer.expectLine("bound")
        let client = try scenario.launch("hwclient")
        for n in 0..<10 {
            try await peer.expectLine("request [\"Hello\"]")
            try await client.expectLine("Received World \(n)")
        }
        #expect(try await client.waitForExit() == 0)
    }

    @Test("hwserver replies exactly one frame, World, to a Python REQ client")
    func helloServerOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("hwserver")
        let peer = try scenario.launchPython("req", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.REQ)
            s.connect("tcp://localhost:5555")
            for _ in range(3):
                s.send(b"Hello")
                show("reply", s.recv_multipart())
            """)
        for _ in 0..<3 {
            try await peer.expectLine("reply [\"World\"]", within: .seconds(15))
        }
        #expect(try await peer.waitForExit() == 0)
        #expect(server.lines.filter { $0 == "Received Hello" }.count == 3)
    }

    @Test("version prints the version of the libzmq it runs against")
    func version() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let peer = try scenario.launchPython("version", "import zmq; print(zmq.zmq_version())")
        let expected = try await peer.expectLine(within: .seconds(10)) { !$0.isEmpty }
        let example = try scenario.launch("version")
        try await example.expectLine("Current 0MQ version is \(expected)")
        #expect(try await example.waitForExit() == 0)
    }

    @Test("wuserver publishes well-formed weather updates for every zipcode")
    func weatherServer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("wuserver")
        let peer = try scenario.launchPython("sub", """
            import zmq
            from wire import show
            s = zmq.Context().socket(zmq.SUB)
            s.connect("tcp://localhost:5556")
            s.setsockopt(zmq.SUBSCRIBE, b"")
            for _ in range(200):
                show("update", s.recv_multipart())
            """)
        try await peer.waitForExit(within: .seconds(20))
        let updates = peer.lines.filter { $0.hasPrefix("update ") }
        #expect(updates.count == 200)
        for line in updates {
            // One frame: five-digit zipcode, temperature -80...134, humidity 10...59.
            let match = line.wholeMatch(of: /update \["(\d{5}) (-?\d+) (\d+)"\]/)
            #expect(match != nil, "malformed update: \(line)")
            if let match, let temperature = Int(match.2), let humidity = Int(match.3) {
                #expect((-80...134).contains(temperature))
                #expect((10...59).contains(humidity))
            }
        }
        // Uniformly random zipcodes: 200 of them do not all share a first digit.
        #expect(Set(updates.map { $0.dropFirst(9).prefix(1) }).count > 1)
    }

    @Test("wuclient averages the 100 updates of its zipcode and ignores the others")
    func weatherClient() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // Zipcode 10001 alternates 60 and 80 °F, so any 100 updates in a row
        // average 70; the other zipcodes (999 °F) must be filtered out.
        let publisher = try scenario.launchPython("pub", """
            import time, zmq
            s = zmq.Context().socket(zmq.PUB)
            s.bind("tcp://*:5556")
            n = 0
            while True:
                s.send_string("10001 %d 50" % (60 if n % 2 == 0 else 80))
                s.send_string("10002 999 50")
                s.send_string("20001 999 50")
                n += 1
                time.sleep(0.001)
            """)
        let client = try scenario.launch("wuclient")
        try await client.expectLine("Collecting updates from weather server...")
        try await client.expectLine("Average temperature for zipcode '10001 ' was 70F", within: .seconds(20))
        #expect(try await client.waitForExit() == 0)
        _ = publisher
    }

    @Test("wuclient with a zipcode argument against wuserver")
    func weatherPair() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try scenario.launch("wuserver")
        let client = try scenario.launch("wuclient", ["1"])
        let line = try await client.expectLine(within: .seconds(30), "the average line") {
            $0.hasPrefix("Average temperature for zipcode '1' was ")
        }
        let value = Int(line.dropFirst("Average temperature for zipcode '1' was ".count).dropLast())
        #expect(value.map { (-80...134).contains($0) } == true, "\(line)")
        #expect(try await client.waitForExit() == 0)
    }

    @Test("taskvent, taskwork and tasksink: the batch is shared and timed")
    func divideAndConquer() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let sink = try scenario.launch("tasksink")
        let workers = try (0..<2).map { _ in try scenario.launch("taskwork") }
        // A Python worker shows exactly what the ventilator sends.
        let peer = try scenario.launchPython("worker", """
            import time, zmq
            from wire import show
            c = zmq.Context()
            r = c.socket(zmq.PULL); r.connect("tcp://localhost:5557")
            s = c.socket(zmq.PUSH); s.connect("tcp://localhost:5558")
            print("connected", flush=True)
            while True:
                frames = r.recv_multipart()
                show("task", frames)
                time.sleep(int(frames[0]) / 1000)
                s.send(b"")
            """)
        try await peer.expectLine("connected")
        let ventilator = try scenario.launch("taskvent")
        try await ventilator.expectText("Press Enter when the workers are ready: ")
        // Nothing prints when a PUSH peer finishes connecting: give the
        // three workers a moment to do so, so that the batch is shared.
        try await Task.sleep(for: .milliseconds(500))
        try ventilator.send(line: "")
        try await ventilator.expectLine(containing: "Sending tasks to workers...")
        let costLine = try await ventilator.expectLine(containing: "Total expected cost: ")
        let cost = try #require(Int(costLine.split(separator: " ")[3]))
        #expect(try await ventilator.waitForExit() == 0)

        let total = try await sink.expectLine(within: .seconds(30), "the elapsed time") {
            $0.contains("Total elapsed time: ")
        }
        #expect(try await sink.waitForExit() == 0)
        // 100 progress marks, a colon every ten, then the time.
        let marks = String(total.prefix { $0 == ":" || $0 == "." })
        #expect(marks.count == 100)
        #expect(marks.filter { $0 == ":" }.count == 10)
        let elapsed = try #require(Int(total.split(separator: " ")[3]))

        // Every task went to exactly one worker: the workloads they show add
        // up to the ventilator's expected cost.
        let swiftLoads = workers.flatMap { worker in
            worker.output.split(separator: ".").compactMap { Int($0) }
        }
        let pythonLoads = peer.lines.compactMap { line -> Int? in
            guard let match = line.wholeMatch(of: /task \["(\d+)"\]/) else { return nil }
            return Int(match.1)
        }
        #expect(swiftLoads.count + pythonLoads.count == 100)
        #expect((swiftLoads + pythonLoads).allSatisfy { (1...100).contains($0) })
        #expect(swiftLoads.reduce(0, +) + pythonLoads.reduce(0, +) == cost)
        // Three workers in parallel beat one, and nobody beats the largest share.
        #expect(elapsed < cost)
        #expect(elapsed >= max(swiftLoads.reduce(0, +), pythonLoads.reduce(0, +)) / 2)
    }
}
