import Foundation
import Testing

/// Chapter 5, Advanced Pub-Sub: Clone models 4 to 6. Convergence is checked
/// by map: with `--digest`, servers and clients print `I: map size=N
/// digest=X` as they end (a hash of every key and value), and the Python
/// peers compute the same line from the snapshots they take themselves, of
/// the whole store and of the clients' subtree.
@Suite("Chapter 5, Clone models 4 to 6")
struct Chapter5CloneTests {
    /// Python helpers: the map digest as the examples print it (64-bit
    /// FNV-1a over each key, 0, value, 0 in byte order of the keys), and a
    /// snapshot taken over a DEALER, checking each message's frames.
    /// `frames` is 3 (kvsimple, model 4) or 5 (kvmsg, models 5 and 6).
    static let pythonHelpers = """
        import time, zmq
        from wire import show

        def digest(kvmap):
            h = 0xcbf29ce484222325
            for key in sorted(kvmap):
                for b in key + b"\\0" + kvmap[key] + b"\\0":
                    h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
            return "I: map size=%d digest=%016X" % (len(kvmap), h)

        def check(frames, count):
            assert len(frames) == count, frames
            assert len(frames[1]) == 8, frames
            if count == 5:
                assert len(frames[2]) in (0, 16), frames
                assert frames[3] == b"" or frames[3].endswith(b"\\n"), frames
            return int.from_bytes(frames[1], "big")

        def snapshot(context, subtree, count, label=None, port=5556):
            s = context.socket(zmq.DEALER)
            s.connect("tcp://localhost:%d" % port)
            s.send_multipart([b"ICANHAZ?", subtree])
            kvmap = {}
            while True:
                frames = s.recv_multipart()
                sequence = check(frames, count)
                if frames[0] == b"KTHXBAI":
                    if label:
                        show(label, frames)
                    break
                kvmap[frames[0]] = frames[-1]
            s.close()
            return sequence, kvmap

        def quiet(context, count, pause=3.0, port=5556):
            # Snapshots until the sequence number stops moving
            last = None
            for _ in range(20):
                sequence, _ = snapshot(context, b"", count, port=port)
                if sequence == last:
                    return sequence
                last = sequence
                time.sleep(pause)
            raise SystemExit("never quiet")

        """

    @Test("the programs print their usage and fail on a bad argument")
    func usage() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for name in ["clonesrv4", "clonecli4", "clonesrv5", "clonecli5", "clonesrv6", "clonecli6"] {
            let program = try scenario.launch(name, ["--no-such-option"])
            #expect(try await program.waitForExit() != 0, "\(name)")
            #expect(program.errorOutput.contains("Usage: \(name)"), "\(name): \(program.errorOutput)")
        }
        // A server of model 6 is either the primary or the backup
        for arguments in [[], ["-p", "-b"]] {
            let server = try scenario.launch("clonesrv6", arguments)
            #expect(try await server.waitForExit() != 0, "\(arguments)")
            #expect(server.errorOutput.contains("Usage: clonesrv6"), "\(server.errorOutput)")
        }
    }

    @Test("model 4: clients see only /client/, a late one catches up, maps converge; bad input dropped")
    func model4() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("clonesrv4", ["--digest"])
        let clients = try (0..<2).map { _ in try scenario.launch("clonecli4", ["--updates", "3", "--digest"]) }
        for client in clients {
            try await client.expectLine(within: .seconds(15), "the snapshot") { $0.hasPrefix("I: received snapshot=") }
        }
        for client in clients {
            for sequence in 1...6 { try await client.expectLine("I: received update=\(sequence)", within: .seconds(20)) }
        }
        // A Python peer: a key outside the subtree, malformed updates, a key
        // inside it; then snapshots of the subtree and of everything
        let peer = try scenario.launchPython("peer", Self.pythonHelpers + """
            c = zmq.Context()
            sub = c.socket(zmq.SUB)
            sub.setsockopt(zmq.SUBSCRIBE, b"")
            sub.connect("tcp://localhost:5557")
            push = c.socket(zmq.PUSH)
            push.connect("tcp://localhost:5558")
            time.sleep(1)   # the subscription has to reach the server
            bad = c.socket(zmq.DEALER)
            bad.connect("tcp://localhost:5556")
            bad.send(b"ICANHAZ?")                       # no subtree
            bad.send_multipart([b"WHAT?", b""])
            push.send_multipart([b"/other/1", b"\\0" * 8, b"outside"])
            push.send_multipart([b"/client/bad", b"\\0\\0\\1", b"short sequence"])
            push.send_multipart([b"/client/bad", b"\\0" * 8])
            push.send_multipart([b"/client/python", b"\\0" * 8, b"inside"])
            show("update", sub.recv_multipart())
            show("update", sub.recv_multipart())
            sequence, mine = snapshot(c, b"/client/", 3, "end")
            print("subtree", all(k.startswith(b"/client/") for k in mine), b"/client/python" in mine)
            print("client", digest(mine))
            sequence, everything = snapshot(c, b"", 3)
            print("other", everything.get(b"/other/1"))
            print("server", digest(everything))
            print("bad answered", bad.poll(500))
            """)
        try await peer.expectLine("update [\"/other/1\", \"0x0000000000000007\", \"outside\"]", within: .seconds(15))
        try await peer.expectLine("update [\"/client/python\", \"0x0000000000000008\", \"inside\"]", within: .seconds(15))
        // KTHXBAI, the sequence number in 8 bytes big-endian, the subtree
        try await peer.expectLine("end [\"KTHXBAI\", \"0x0000000000000008\", \"/client/\"]", within: .seconds(15))
        try await peer.expectLine("subtree True True")
        let clientMap = try await peer.expectLine(containing: "client I: map").dropFirst("client ".count)
        try await peer.expectLine("other b'outside'")
        let serverMap = try await peer.expectLine(containing: "server I: map").dropFirst("server ".count)
        try await peer.expectLine("bad answered 0")
        #expect(try await peer.waitForExit() == 0)
        #expect(clientMap != serverMap)
        #expect(server.errorOutput.components(separatedBy: "E: malformed update dropped").count == 3, "\(server.errorOutput)")
        #expect(server.errorOutput.components(separatedBy: "E: bad request").count == 3, "\(server.errorOutput)")

        // The subscribers never see /other/1 (sequence 7), only /client/python (8)
        for client in clients {
            try await client.expectLine("I: received update=8", within: .seconds(10))
            #expect(!client.lines.contains("I: received update=7"))
        }
        // A late client that sends nothing: the snapshot brings it up to date
        let late = try scenario.launch("clonecli4", ["--updates", "0", "--digest"])
        try await late.expectLine("I: received snapshot=8", within: .seconds(15))

        server.signal(SIGINT)
        try await server.expectLine(" Interrupted")
        try await server.expectLine("8 messages handled")
        try await server.expectLine(String(serverMap))
        for client in clients + [late] {
            client.signal(SIGINT)
            try await client.expectLine(" Interrupted")
            try await client.expectLine(String(clientMap))
        }
        for process in [server] + clients + [late] { #expect(try await process.waitForExit() == 0) }
    }

    @Test("model 5: values with a TTL expire and are deleted everywhere; maps converge, a late client's too")
    func model5() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("clonesrv5", ["--digest"])
        // TTLs of 0 (for ever), 1 or 2 seconds, so the run is short
        let clients = try (0..<2).map { _ in
            try scenario.launch("clonecli5", ["--updates", "4", "--max-ttl", "3", "--digest"])
        }
        for client in clients {
            try await client.expectLine(within: .seconds(15), "the snapshot") { $0.hasPrefix("I: received snapshot=") }
        }
        let peer = try scenario.launchPython("peer", Self.pythonHelpers + """
            import uuid
            c = zmq.Context()
            sub = c.socket(zmq.SUB)
            sub.setsockopt(zmq.SUBSCRIBE, b"/python/")
            sub.connect("tcp://localhost:5557")
            push = c.socket(zmq.PUSH)
            push.connect("tcp://localhost:5558")
            time.sleep(1)   # the subscription has to reach the server
            push.send_multipart([b"/python/bad", b"\\0" * 4, b"", b"", b"short sequence"])
            push.send_multipart([b"/python/bad", b"\\0" * 8, b"", b"missing body"])
            push.send_multipart([b"/python/bad", b"\\0" * 8, b"", b"ttl\\n", b"garbage properties"])
            tag = uuid.uuid4().bytes
            push.send_multipart([b"/python/ttl", b"\\0" * 8, tag, b"ttl=1\\n", b"short-lived"])
            push.send_multipart([b"/python/keep", b"\\0" * 8, b"", b"", b"for ever"])
            first = sub.recv_multipart()
            check(first, 5)
            print("published", first[0], first[2] == tag, first[3], first[4])
            sub.recv_multipart()
            gone = sub.recv_multipart()
            later = check(gone, 5) > check(first, 5)
            print("deleted", gone[0], gone[2] == tag, gone[3].startswith(b"ttl="), gone[4], later)
            sequence = quiet(c, 5)
            print("quiet", sequence)
            sequence, mine = snapshot(c, b"/client/", 5, "end")
            print("client", digest(mine))
            sequence, everything = snapshot(c, b"", 5)
            print("python keys", sorted(k for k in everything if k.startswith(b"/python/")))
            print("server", digest(everything))
            """)
        // The update goes out as it came, its TTL still relative; the delete
        // is the same key and UUID with an empty body, later in the sequence
        try await peer.expectLine("published b'/python/ttl' True b'ttl=1\\n' b'short-lived'", within: .seconds(20))
        try await peer.expectLine("deleted b'/python/ttl' True True b'' True", within: .seconds(20))
        let quiet = try await peer.expectLine(containing: "quiet ", within: .seconds(60)).dropFirst("quiet ".count)
        try await peer.expectLine(within: .seconds(15), "the end of the snapshot") {
            $0.hasPrefix("end [\"KTHXBAI\", \"0x") && $0.hasSuffix("\", \"\", \"\", \"/client/\"]")
        }
        let clientMap = try await peer.expectLine(containing: "client I: map").dropFirst("client ".count)
        try await peer.expectLine("python keys [b'/python/keep']")
        let serverMap = try await peer.expectLine(containing: "server I: map").dropFirst("server ".count)
        #expect(try await peer.waitForExit() == 0)
        #expect(server.errorOutput.components(separatedBy: "E: malformed update dropped").count == 4, "\(server.errorOutput)")
        #expect(server.output.contains("I: publishing delete="))

        // A late client catches up through the snapshot
        let late = try scenario.launch("clonecli5", ["--updates", "0", "--digest"])
        try await late.expectLine("I: received snapshot=\(quiet)", within: .seconds(15))

        server.signal(SIGINT)
        try await server.expectLine(String(serverMap), within: .seconds(10))
        for client in clients + [late] {
            client.signal(SIGINT)
            try await client.expectLine("\(quiet) messages in")
            try await client.expectLine(String(clientMap))
        }
        for process in [server] + clients + [late] { #expect(try await process.waitForExit() == 0) }
    }

    /// The sequence numbers in a clone client's lines "I: received from SERVER KIND=N".
    static func numbers(_ lines: [String], from server: String, _ kind: String) -> [Int] {
        lines.compactMap { line in
            guard let range = line.range(of: "I: received from \(server) \(kind)=") else { return nil }
            return Int(line[range.upperBound...])
        }
    }

    @Test("model 6: SIGKILL of the active primary; the client resumes from the backup with no gap and no duplicate, maps converge")
    func model6Failover() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let primary = try scenario.launch("clonesrv6", ["-p"])
        let backup = try scenario.launch("clonesrv6", ["-b", "--digest"])
        // The backup follows the primary from a snapshot of its state
        try await backup.expectLine(containing: "I: received snapshot=", within: .seconds(20))
        let client = try scenario.launch("clonecli6", ["--updates", "14", "--max-ttl", "4", "--digest"])
        try await client.expectLine(containing: "I: received from tcp://localhost:5556 snapshot=", within: .seconds(15))

        // A Python peer: HUGZ on the wire, malformed updates, and a value
        // that lives 60 seconds sent to both servers, as clients do
        let peer = try scenario.launchPython("peer", Self.pythonHelpers + """
            import uuid
            c = zmq.Context()
            sub = c.socket(zmq.SUB)
            sub.setsockopt(zmq.SUBSCRIBE, b"HUGZ")
            sub.connect("tcp://localhost:5557")
            show("hugz", sub.recv_multipart())
            other = c.socket(zmq.SUB)
            other.setsockopt(zmq.SUBSCRIBE, b"/other/")
            other.connect("tcp://localhost:5557")
            pub = c.socket(zmq.PUB)
            pub.connect("tcp://localhost:5558")
            pub.connect("tcp://localhost:5568")
            time.sleep(1)   # both connections up before we publish
            pub.send_multipart([b"/client/bad", b"\\0" * 7, b"", b"", b"short sequence"])
            pub.send_multipart([b"/client/bad", b"\\0" * 8, b"", b"=x\\n", b"garbage properties"])
            pub.send_multipart([b"/client/long", b"\\0" * 8, uuid.uuid4().bytes, b"ttl=60\\n", b"long-lived"])
            pub.send_multipart([b"/other/key", b"\\0" * 8, uuid.uuid4().bytes, b"", b"outside the subtree"])
            print("outside", check(other.recv_multipart(), 5))
            """)
        try await peer.expectLine(within: .seconds(15), "HUGZ") {
            $0.wholeMatch(of: /hugz \["HUGZ", "0x[0-9A-F]{16}", "", "", ""\]/) != nil
        }
        // The sequence number of the update outside the subtree, which the client never sees
        let outside = try await peer.expectLine(containing: "outside ", within: .seconds(15))
        let skipped = Int(outside.dropFirst("outside ".count)) ?? -1
        #expect(try await peer.waitForExit() == 0)
        #expect(primary.errorOutput.components(separatedBy: "E: malformed update dropped").count == 3, "\(primary.errorOutput)")

        // Kill the active primary between two of the client's updates
        try await client.expectLine(containing: "I: received from tcp://localhost:5556 update=6", within: .seconds(20))
        primary.signal(SIGKILL)
        try await client.expectLine(containing: "I: server at tcp://localhost:5556 didn't give HUGZ", within: .seconds(15))
        let resumed = try await client.expectLine(containing: "I: received from tcp://localhost:5566 snapshot=", within: .seconds(15))
        try await backup.expectLine(containing: "I: failover successful, ready as active")

        // Quiet (the client stops after 14 updates; the TTLs end within 4 s):
        // the backup's snapshot of /client/ then equals the client's map
        let check = try scenario.launchPython("check", Self.pythonHelpers + """
            c = zmq.Context()
            sequence = quiet(c, 5, port=5566)
            print("quiet", sequence)
            sequence, mine = snapshot(c, b"/client/", 5, "end", port=5566)
            print("long", mine.get(b"/client/long"))
            print("client", digest(mine))
            sequence, everything = snapshot(c, b"", 5, port=5566)
            print("other", everything.get(b"/other/key"))
            print("server", digest(everything))
            """)
        let quiet = try await check.expectLine(containing: "quiet ", within: .seconds(60)).dropFirst("quiet ".count)
        let end = try await check.expectLine(containing: "end ")
        #expect(end == "end [\"KTHXBAI\", \"0x\(String(format: "%016llX", Int64(quiet) ?? -1))\", \"\", \"\", \"/client/\"]")
        // The backup kept the value's TTL as an absolute time: it is not expired
        try await check.expectLine("long b'long-lived'")
        let clientMap = try await check.expectLine(containing: "client I: map").dropFirst("client ".count)
        try await check.expectLine("other b'outside the subtree'")
        let serverMap = try await check.expectLine(containing: "server I: map").dropFirst("server ".count)
        #expect(try await check.waitForExit() == 0)
        #expect(clientMap != serverMap)

        // A late client tries the dead primary first, then catches up from the backup
        let late = try scenario.launch("clonecli6", ["--updates", "0", "--digest"])
        try await late.expectLine(containing: "I: received from tcp://localhost:5566 snapshot=\(quiet)", within: .seconds(30))

        backup.signal(SIGINT)
        try await backup.expectLine(String(serverMap), within: .seconds(10))
        for process in [client, late] {
            process.signal(SIGINT)
            try await process.expectLine(String(clientMap), within: .seconds(10))
        }
        for process in [backup, client, late] { #expect(try await process.waitForExit() == 0) }

        // No gap and no duplicate: updates 1...N from the primary (but the
        // one outside the subtree); the backup's snapshot at N plus the clients' updates it held as
        // pending and published on taking over; then its updates, each the next
        let fromPrimary = Self.numbers(client.lines, from: "tcp://localhost:5556", "update")
        let fromBackup = Self.numbers(client.lines, from: "tcp://localhost:5566", "update")
        let snapshot = Int(resumed.split(separator: "=").last ?? "") ?? -1
        let pending = backup.lines.filter { $0.contains("I: publishing pending=") }.count
        #expect(fromPrimary == Array(1...fromPrimary.count + 1).filter { $0 != skipped }, "\(fromPrimary), \(skipped) skipped")
        #expect(snapshot == fromPrimary.count + 1 + pending, "snapshot \(snapshot), \(fromPrimary.count) from the primary, \(pending) pending")
        #expect(!fromBackup.isEmpty)
        #expect(fromBackup == Array((snapshot + 1)..<(snapshot + 1 + fromBackup.count)), "\(fromBackup)")
        #expect(fromBackup.last.map(String.init) == String(quiet))
    }
}
