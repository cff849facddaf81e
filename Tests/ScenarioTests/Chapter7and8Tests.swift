import Foundation
import Testing

/// Chapter 7, Advanced Architecture using ØMQ: the three file transfer
/// models, over a test file that mktestdata writes into the scenario's
/// directory. Python (pyzmq) peers stand in for the other side of fileio2
/// and fileio3 to check the requests, the chunks and the credit on the wire.
@Suite("Chapter 7 file transfer")
struct Chapter7FileTransferTests {
    static let chunkSize = 250_000

    /// Writes `size` bytes of test data with mktestdata and checks its size.
    private func makeTestData(_ scenario: Scenario, size: Int) async throws {
        let maker = try scenario.launch("mktestdata", ["--size", String(size)])
        #expect(try await maker.waitForExit(within: .seconds(30)) == 0)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: scenario.directory.appendingPathComponent("testdata").path)
        #expect((attributes[.size] as? Int) == size)
    }

    /// The chunks a client counts for a file of `size` bytes: model 1's
    /// server sends every chunk with data, then an empty one; models 2 and 3
    /// stop at the first chunk shorter than the chunk size, which is the
    /// short tail or, for an exact multiple, an empty chunk.
    private func expectedChunks(_ name: String, size: Int) -> Int {
        let full = size / Self.chunkSize
        let tail = size % Self.chunkSize
        return name == "fileio1" ? full + (tail > 0 ? 1 : 0) + 1 : full + 1
    }

    @Test("fileio1, fileio2 and fileio3 transfer the whole file and count every chunk, the short or empty last one included",
          arguments: ["fileio1", "fileio2", "fileio3"], [1_048_576, 1_000_000])
    func wholeFile(name: String, size: Int) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try await makeTestData(scenario, size: size)
        let expected = "\(expectedChunks(name, size: size)) chunks received, \(size) bytes"
        // fileio2 keeps the C's high-water mark of 1, which now and then
        // drops a reply (about one run in twenty here): then it must say so
        // and fail, and another run must get the whole file
        let attempts = name == "fileio2" ? 3 : 1
        for attempt in 1...attempts {
            let transfer = try scenario.launch(name, name == "fileio2" ? ["--timeout", "3"] : [])
            let line = try await transfer.expectLine(within: .seconds(30), "the totals") { $0.hasSuffix(" bytes") }
            let status = try await transfer.waitForExit(within: .seconds(15))
            if line == expected {
                #expect(status == 0)
                return
            }
            #expect(name == "fileio2", "\(line)")
            #expect(status != 0)
            #expect(transfer.errorOutput.contains("the reply was lost"), "\(transfer.errorOutput)")
            let chunks = try #require(Int(line.prefix { $0 != " " }))
            #expect(line == "\(chunks) chunks received, \(chunks * Self.chunkSize) bytes")
            if name != "fileio2" { return }
            if attempt == attempts { Issue.record("fileio2 lost a reply in each of \(attempts) runs") }
        }
    }

    @Test("fileio1, fileio2 and fileio3 without ./testdata say so and fail, creating nothing",
          arguments: ["fileio1", "fileio2", "fileio3"])
    func noTestData(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let transfer = try scenario.launch(name)
        #expect(try await transfer.waitForExit() != 0)
        #expect(transfer.errorOutput.contains("testdata"), "\(transfer.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: scenario.directory.appendingPathComponent("testdata").path))
    }

    @Test("fileio3's server answers each fetch with the file's bytes at that offset, and logs and drops malformed requests")
    func fileio3ServerOnTheWire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let size = 1_100_000
        try await makeTestData(scenario, size: size)
        let server = try scenario.launch("fileio3", ["--role", "server"])
        // A client with a credit of 3, checking each chunk against the file
        let client = try scenario.launchPython("client", """
            import zmq
            from wire import show
            CHUNK = 250000
            data = open("testdata", "rb").read()
            c = zmq.Context()
            d = c.socket(zmq.DEALER)
            d.setsockopt(zmq.LINGER, 0)
            d.connect("tcp://127.0.0.1:6000")
            def fetch(offset, size):
                d.send_multipart([b"fetch", str(offset).encode(), str(size).encode()])
            def check(offset, size):
                frames = d.recv_multipart()
                good = len(frames) == 1 and frames[0] == data[offset:offset + size]
                print("chunk", offset, len(frames[-1]), "matches" if good else "DIFFERS", flush=True)
            offset, asked = 0, []
            for _ in range(3):
                fetch(offset, CHUNK); asked.append(offset); offset += CHUNK
            while asked:
                check(asked.pop(0), CHUNK)
                if offset < len(data) + CHUNK:
                    fetch(offset, CHUNK); asked.append(offset); offset += CHUNK
            # Malformed requests get no answer; the next good one does
            d.send_multipart([b"junk"])
            d.send_multipart([b"fetch", b"abc", b"10"])
            d.send_multipart([b"fetch", b"-5", b"10"])
            d.send_multipart([b"fetch", b"10"])
            d.send_multipart([b"fetch", b"0", b"99999999999"])
            fetch(12345, 1000)
            check(12345, 1000)
            """)
        // Offsets 0, 250000, ... up to one past the end: full, short, empty
        var offset = 0
        while offset < size + Self.chunkSize {
            let expected = max(0, min(Self.chunkSize, size - offset))
            try await client.expectLine("chunk \(offset) \(expected) matches", within: .seconds(20))
            offset += Self.chunkSize
        }
        try await client.expectLine("chunk 12345 1000 matches", within: .seconds(20))
        #expect(try await client.waitForExit() == 0)
        let malformed = server.errorOutput.split(separator: "\n").filter { $0.contains("malformed fetch request") }
        #expect(malformed.count == 5, "\(server.errorOutput)")
        server.signal(SIGINT)
        #expect(try await server.waitForExit() == 0)
    }

    @Test("fileio3's server holds a chunk back rather than drop it when its queue (HWM 20) is full, and survives a client that leaves")
    func fileio3ServerNeverDrops() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let chunks = 40
        try await makeTestData(scenario, size: chunks * Self.chunkSize)
        let server = try scenario.launch("fileio3", ["--role", "server"])
        // A greedy client: twice the HWM in requests at once, then a pause
        // before it reads, with the smallest receive queue it can have
        let greedy = try scenario.launchPython("greedy", """
            import time, zmq
            CHUNK, COUNT = 250000, \(chunks)
            data = open("testdata", "rb").read()
            c = zmq.Context()
            d = c.socket(zmq.DEALER)
            d.setsockopt(zmq.LINGER, 0)
            d.setsockopt(zmq.RCVHWM, 1)
            d.setsockopt(zmq.RCVBUF, 65536)
            d.connect("tcp://127.0.0.1:6000")
            for n in range(COUNT):
                d.send_multipart([b"fetch", str(n * CHUNK).encode(), str(CHUNK).encode()])
            time.sleep(2)
            good = 0
            while d.poll(5000):
                frames = d.recv_multipart()
                if frames == [data[good * CHUNK:(good + 1) * CHUNK]]:
                    good += 1
            print("received in order", good, flush=True)
            # Leave with requests unanswered
            for n in range(COUNT):
                d.send_multipart([b"fetch", b"0", str(CHUNK).encode()])
            """)
        try await greedy.expectLine("received in order \(chunks)", within: .seconds(40))
        #expect(try await greedy.waitForExit() == 0)
        // Still serving after the greedy client left
        let client = try scenario.launchPython("client", """
            import zmq
            from wire import show
            c = zmq.Context()
            d = c.socket(zmq.DEALER)
            d.connect("tcp://127.0.0.1:6000")
            d.send_multipart([b"fetch", b"0", b"5"])
            show("chunk size", [str(len(f)).encode() for f in d.recv_multipart()])
            """)
        try await client.expectLine("chunk size [\"5\"]", within: .seconds(20))
        server.signal(SIGINT)
        #expect(try await server.waitForExit() == 0)
    }

    @Test("fileio3's client never has more than the pipeline (10 chunks) requested and unanswered, and uses all of it")
    func fileio3ClientCredit() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let size = 3_100_000   // 12 full chunks and a short one
        // A server that holds requests back, to see how many the client sends
        let server = try scenario.launchPython("server", """
            import sys, zmq
            CHUNK, SIZE = 250000, int(sys.argv[1])
            c = zmq.Context()
            r = c.socket(zmq.ROUTER)
            r.setsockopt(zmq.LINGER, 0)
            r.bind("tcp://*:6000")
            print("bound", flush=True)
            pending, most, expected, wrong = [], 0, 0, 0
            while True:
                # Take in what arrives: wait long for a first request or a
                # replacement, then 300 ms for any request beyond the credit
                while r.poll(300 if len(pending) >= 10 else 10000):
                    identity, command, offset, size = r.recv_multipart()
                    if command != b"fetch" or int(offset) != expected or int(size) != CHUNK:
                        wrong += 1
                    expected += CHUNK
                    pending.append((identity, int(offset), int(size)))
                    most = max(most, len(pending))
                if not pending:
                    break
                identity, offset, size = pending.pop(0)
                chunk = bytes(max(0, min(size, SIZE - offset)))
                r.send_multipart([identity, chunk])
                if len(chunk) < size:
                    break
            print("most in flight", most, flush=True)
            print("unexpected requests", wrong, flush=True)
            """, [String(size)])
        try await server.expectLine("bound")
        let client = try scenario.launch("fileio3", ["--role", "client"])
        try await client.expectLine("\(size / Self.chunkSize + 1) chunks received, \(size) bytes", within: .seconds(60))
        try await server.expectLine("most in flight 10", within: .seconds(10))
        try await server.expectLine("unexpected requests 0")
        #expect(try await client.waitForExit() == 0)
    }

    @Test("fileio2's client, when a chunk never comes, says so after its timeout instead of waiting forever")
    func fileio2LostReply() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // A server that takes the request and never answers, as if the
        // high-water mark of 1 had dropped the reply
        let server = try scenario.launchPython("server", """
            import zmq
            from wire import show
            c = zmq.Context()
            r = c.socket(zmq.ROUTER)
            r.bind("tcp://*:6000")
            print("bound", flush=True)
            show("request", r.recv_multipart()[1:])
            """)
        try await server.expectLine("bound")
        let client = try scenario.launch("fileio2", ["--role", "client", "--timeout", "2"])
        try await server.expectLine("request [\"fetch\", \"0\", \"250000\"]", within: .seconds(10))
        try await client.expectLine("0 chunks received, 0 bytes", within: .seconds(20))
        #expect(try await client.waitForExit() != 0)
        #expect(client.errorOutput.contains("no chunk within 2 s of asking for offset 0"), "\(client.errorOutput)")
    }
}

/// Chapter 8, A Framework for Distributed Computing: UDP discovery (three
/// models and the interface class), the decentralised chat and EAGAIN.
/// Everything broadcasts to the loopback broadcast address only, and the
/// UDP scenarios first make sure they run in a private network namespace
/// that holds nothing but loopback.
@Suite("Chapter 8 discovery")
struct Chapter8DiscoveryTests {
    /// Fails unless this scenario's processes see loopback alone: no
    /// datagram of these tests may reach a real network.
    private func requireLoopbackOnly(_ scenario: Scenario) async throws {
        let probe = try scenario.launchPython("netcheck", """
            import socket
            print("interfaces", " ".join(sorted(name for _, name in socket.if_nameindex())), flush=True)
            """)
        let line = try await probe.expectLine(containing: "interfaces")
        guard line == "interfaces lo" else {
            throw ScenarioError("refusing to broadcast: this scenario's network namespace has \(line), not loopback alone "
                + "(the harness makes a private namespace only as root on Linux)")
        }
    }

    /// A Python socket on the beacon port that reports each beacon (each
    /// datagram from port 9999) it hears as `beacon [PAYLOAD] +SECONDS`
    /// (seconds since the previous beacon), `count` beacons in all. After
    /// the first it sends `junk` (Python bytes expressions) to the beacon
    /// port, from ports 40001, 40002, ...
    private func beaconObserver(_ scenario: Scenario, count: Int, junk: [String] = []) throws -> ScenarioProcess {
        try scenario.launchPython("observer", """
            import socket, time
            from wire import show
            def udp(port):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                s.bind(("", port))
                return s
            listener = udp(9999)
            print("listening", flush=True)
            last = None
            for n in range(\(count)):
                payload, sender = listener.recvfrom(100)
                while sender[1] != 9999:
                    payload, sender = listener.recvfrom(100)
                now = time.monotonic()
                gap = 0.0 if last is None else now - last
                last = now
                print("beacon", "[" + payload.hex().upper() + "]", "+%.2f" % gap, flush=True)
                if n == 0:
                    for i, datagram in enumerate([\(junk.joined(separator: ", "))]):
                        udp(40001 + i).sendto(datagram, ("127.255.255.255", 9999))
                    print("junk sent", flush=True)
            """)
    }

    /// Parses `beacon [PAYLOAD] +SECONDS`.
    private func beacon(_ line: String) -> (payload: String, gap: Double)? {
        guard let match = line.wholeMatch(of: /beacon \[([0-9A-F]*)\] \+([0-9.]+)/) else { return nil }
        return (String(match.1), Double(match.2) ?? -1)
    }

    /// Waits for `count` beacons from one sender, the first at once, and
    /// checks their payload and their interval (a second, loosely: the
    /// machine is loaded). Returns the gaps.
    private func expectBeacons(_ observer: ScenarioProcess, count: Int, payload: String) async throws -> [Double] {
        var gaps: [Double] = []
        for n in 0..<count {
            let line = try await observer.expectLine(within: .seconds(10), "beacon \(n)") { $0.hasPrefix("beacon ") }
            let heard = try #require(beacon(line), "\(line)")
            #expect(heard.payload == payload)
            if n > 0 { gaps.append(heard.gap) }
        }
        for gap in gaps { #expect(gap > 0.7 && gap < 2.0, "beacon interval \(gap) s") }
        let mean = gaps.reduce(0, +) / Double(max(gaps.count, 1))
        #expect(mean > 0.9 && mean < 1.4, "mean beacon interval \(mean) s")
        return gaps
    }

    @Test("udpping1 and udpping2 broadcast '!' to port 9999 once a second, the first at once; junk datagrams do not stop them",
          arguments: ["udpping1", "udpping2"])
    func beaconsOnTheWire(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try await requireLoopbackOnly(scenario)
        let observer = try beaconObserver(scenario, count: 5, junk: ["b''", "b'hello'", "bytes(16)", "bytes(2000)"])
        try await observer.expectLine("listening")
        let ping = try scenario.launch(name)
        try await ping.expectLine("Pinging peers...")
        _ = try await expectBeacons(observer, count: 5, payload: "21")   // "!"
        let lines = ping.lines
        #expect(lines.filter { $0 == "Pinging peers..." }.count >= 5)
        if name == "udpping1" {
            // Every datagram, whatever it holds, prints its sender
            for port in 40001...40004 { #expect(lines.contains("Found peer 127.0.0.1:\(port)"), "\(lines)") }
            #expect(lines.contains("Found peer 127.0.0.1:9999"))
        } else {
            // Silent when it receives
            #expect(lines.allSatisfy { $0 == "Pinging peers..." }, "\(lines)")
        }
        ping.signal(SIGINT)
        #expect(try await ping.waitForExit() == 0)
    }

    @Test("two udpping1 on one machine both run and find each other as well as themselves")
    func udpping1Pair() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try await requireLoopbackOnly(scenario)
        let first = try scenario.launch("udpping1")
        let second = try scenario.launch("udpping1")
        // Each hears two beacons a second: its own and the other's
        for ping in [first, second] {
            try await waitUntil(within: .seconds(20), "more beacons found than sent", ping) {
                let lines = ping.lines
                let pings = lines.filter { $0 == "Pinging peers..." }.count
                let found = lines.filter { $0 == "Found peer 127.0.0.1:9999" }.count
                return pings >= 2 && found >= pings + 2
            }
        }
        for ping in [first, second] {
            ping.signal(SIGINT)
            #expect(try await ping.waitForExit() == 0)
        }
    }

    @Test("udpping3: two interfaces beacon their UUIDs, each reports the other (not itself) JOINED and, once silent 5 s, LEFT; junk is ignored")
    func udpping3JoinedAndLeft() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        try await requireLoopbackOnly(scenario)
        let observer = try beaconObserver(scenario, count: 20)
        try await observer.expectLine("listening")
        let first = try scenario.launch("udpping3")
        let second = try scenario.launch("udpping3")

        // Their beacons: 16 bytes each, two different UUIDs
        var uuids = Set<String>()
        for n in 0..<20 where uuids.count < 2 {
            let line = try await observer.expectLine(within: .seconds(10), "beacon \(n)") { $0.hasPrefix("beacon ") }
            let heard = try #require(beacon(line), "\(line)")
            #expect(heard.payload.count == 32, "\(line)")
            uuids.insert(heard.payload)
        }
        #expect(uuids.count == 2)

        // Each dumps the other's UUID as JOINED, in upper-case hex
        func joined(_ process: ScenarioProcess) async throws -> String {
            try await process.expectLine("[006] JOINED", within: .seconds(15))
            let line = try await process.expectLine(within: .seconds(5), "a UUID") { $0.hasPrefix("[032] ") }
            return String(line.dropFirst(6))
        }
        let secondSeenByFirst = try await joined(first)
        let firstSeenBySecond = try await joined(second)
        #expect(secondSeenByFirst != firstSeenBySecond)
        #expect(Set([secondSeenByFirst, firstSeenBySecond]) == uuids)

        // Junk, then one beacon of a peer that never speaks again
        let fake = "00112233445566778899AABBCCDDEEFF"
        let sender = try scenario.launchPython("sender", """
            import socket, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            for datagram in [b"", b"!", bytes(15), bytes(17), bytes(2000)]:
                s.sendto(datagram, ("127.255.255.255", 9999))
            s.sendto(bytes.fromhex("\(fake)"), ("127.255.255.255", 9999))
            print("sent", time.monotonic(), flush=True)
            """)
        try await sender.expectLine(containing: "sent")
        let sentAt = ContinuousClock.now
        try await first.expectLine("[006] JOINED", within: .seconds(10))
        try await first.expectLine("[032] \(fake)")
        try await first.expectLine("[004] LEFT", within: .seconds(15))
        try await first.expectLine("[032] \(fake)")
        let silence = ContinuousClock.now - sentAt
        #expect(silence > .milliseconds(4500), "LEFT after \(silence)")

        // The second one dies: the first reports it LEFT after 5 s of silence
        second.signal(SIGKILL)
        let killedAt = ContinuousClock.now
        try await first.expectLine("[004] LEFT", within: .seconds(15))
        try await first.expectLine("[032] \(secondSeenByFirst)")
        #expect(ContinuousClock.now - killedAt > .milliseconds(3500))

        // Nothing else: no junk joined, and never itself
        let firstLines = first.lines
        #expect(firstLines.filter { $0 == "[006] JOINED" }.count == 2, "\(firstLines)")
        #expect(!firstLines.contains("[032] \(firstSeenBySecond)"))
        #expect(first.errorOutput.isEmpty, "\(first.errorOutput)")
        first.signal(SIGINT)
        #expect(try await first.waitForExit() == 0)
    }

    @Test("udpping1, udpping2 and udpping3 refuse a broadcast address that is not IPv4",
          arguments: ["udpping1", "udpping2", "udpping3"])
    func badBroadcastAddress(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let ping = try scenario.launch(name, ["--broadcast", "everywhere"])
        #expect(try await ping.waitForExit() != 0)
        #expect(ping.errorOutput.contains("Usage"), "\(ping.errorOutput)")
    }

    @Test("dechat: two nodes on 127.0.0.1 and 127.0.0.2 hear each other's lines as 'USERNAME: LINE' frames, and end at end of input")
    func dechatPair() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let alice = try scenario.launch("dechat", ["127.0.0.1", "127.0.0.1", "alice"])
        let bob = try scenario.launch("dechat", ["127.0.0.2", "127.0.0.2", "bob"])
        let listener = try scenario.launchPython("listener", """
            import zmq
            from wire import show
            c = zmq.Context()
            s = c.socket(zmq.SUB)
            s.setsockopt(zmq.SUBSCRIBE, b"")
            s.connect("tcp://127.0.0.2:9000")
            while True:
                frames = s.recv_multipart()
                show("heard", frames)
                if frames == [b"bob: hello alice"]:
                    break
            """)
        // A subscriber hears only what is published after it connects: say
        // a line until the other side hears it
        func say(_ speaker: ScenarioProcess, _ text: String, until hearer: ScenarioProcess,
                 hears heard: @escaping (String) -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(20)
            var n = 0
            while !hearer.lines.contains(where: heard) {
                if ContinuousClock.now >= deadline { throw ScenarioError(hearer.report("never heard \(text)")) }
                n += 1
                try speaker.send(line: "\(text) \(n)")
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        try await say(alice, "hello bob", until: bob) { $0.hasPrefix("alice: hello bob ") }
        try await say(bob, "hello alice", until: alice) { $0.hasPrefix("bob: hello alice ") }
        try await say(bob, "are you there", until: listener) { $0.hasPrefix("heard ") }
        try bob.send(line: "hello alice")
        try await listener.expectLine("heard [\"bob: hello alice\"]", within: .seconds(10))
        #expect(try await listener.waitForExit() == 0)
        // Each also hears itself, once its subscriber has joined its own publisher
        try await say(alice, "me again", until: alice) { $0.hasPrefix("alice: me again ") }
        alice.closeInput()
        bob.closeInput()
        #expect(try await alice.waitForExit() == 0)
        #expect(try await bob.waitForExit() == 0)
    }

    @Test("dechat with an address that has no dot, or a fourth argument, prints its usage and fails")
    func dechatUsage() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for arguments in [["nodots", "127.0.0.1", "joe"], ["127.0.0.1", "127.0.0.1", "joe", "extra"]] {
            let chat = try scenario.launch("dechat", arguments)
            #expect(try await chat.waitForExit() != 0)
            #expect(chat.errorOutput.contains("Usage: dechat"), "\(chat.errorOutput)")
        }
    }

    @Test("eagain: a DEALER with send HWM 4 and no peer queues messages 0 to 3, fails on 4 with EAGAIN, and exits at once")
    func eagain() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let process = try scenario.launch("eagain")
        for count in 0...4 {
            try await process.expectLine("Sending message \(count)")
        }
        try await process.expectLine("Resource temporarily unavailable")
        #expect(try await process.waitForExit(within: .seconds(5)) == 0)
        #expect(!process.lines.contains("Sending message 5"))
    }
}
