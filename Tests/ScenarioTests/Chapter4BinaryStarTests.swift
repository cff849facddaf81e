import Foundation
import Testing

/// Chapter 4, Reliable Request-Reply: Binary Star. Both servers (the proof
/// of concept bstarsrv and bstarsrv2 on the BinaryStar class) are proven
/// the same way: SIGKILL of the active server under a running bstarcli,
/// restart of the dead one, a backup alone, and a pyzmq peer that plays
/// the primary on the wire.
@Suite("Chapter 4 Binary Star", .serialized)
struct Chapter4BinaryStarTests {
    @Test("bstarsrv and bstarsrv2 without -p or -b print their usage and fail", arguments: ["bstarsrv", "bstarsrv2"])
    func usage(server: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for arguments in [[], ["-p", "-b"], ["-x"]] {
            let process = try scenario.launch(server, arguments)
            #expect(try await process.waitForExit() != 0)
            try await waitUntil(within: .seconds(5), "the usage line", process) {
                process.errorOutput.contains("Usage: \(server) { -p | -b }")
            }
        }
    }

    @Test("killing the active server: bstarcli fails over and keeps counting; the restarted primary goes passive",
          arguments: ["bstarsrv", "bstarsrv2"])
    func failover(server: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let primary = try scenario.launch(server, ["-p"])
        try await primary.expectLine("I: Primary active, waiting for backup (passive)")
        let backup = try scenario.launch(server, ["-b"])
        try await backup.expectLine("I: Backup passive, waiting for primary (active)")
        // The pair settle: the primary goes active, the backup passive
        try await primary.expectLine(containing: "I: connected to backup (passive), ready", within: .seconds(15))
        try await backup.expectLine(containing: "I: connected to primary (active), ready", within: .seconds(15))

        let client = try scenario.launch("bstarcli")
        try await client.expectLine("I: connecting to server at tcp://localhost:5001...")
        try await client.expectLine(within: .seconds(30), "a third reply") { $0.hasPrefix("I: server replied OK (3)") }

        // SIGKILL the active primary while the client is sending
        primary.signal(SIGKILL)
        let killed = ContinuousClock.now
        let before = replies(of: client).count
        try await client.expectLine("W: no response from server, failing over", within: .seconds(10))
        try await client.expectLine("I: connecting to server at tcp://localhost:5002...", within: .seconds(10))
        try await backup.expectLine(containing: "I: failover successful, ready", within: .seconds(15))
        try await client.expectLine(within: .seconds(15), "a reply from the backup") { $0.hasPrefix("I: server replied OK") }
        let failover = ContinuousClock.now - killed
        print("\(server): failover took \(failover) from SIGKILL of the primary to the backup's first reply")
        #expect(failover < .seconds(15))

        // The client did not lose its place: 1, 2, 3, ... with no gap or repeat
        try await client.expectLine(within: .seconds(10), "another reply") { $0.hasPrefix("I: server replied OK") }
        let numbers = replies(of: client)
        #expect(numbers.count >= before + 2)
        #expect(numbers == Array(1...numbers.count), "\(numbers)")

        // The restarted primary finds the backup active and goes passive
        let restarted = try scenario.launch(server, ["-p"])
        try await restarted.expectLine(containing: "I: connected to backup (active), ready", within: .seconds(15))
        #expect(restarted.lines.contains { $0.hasSuffix("ready passive") || $0.hasSuffix("ready as passive") })
        // and the client goes on with the backup
        let served = replies(of: client).count
        try await waitUntil(within: .seconds(10), "more replies", client) { replies(of: client).count >= served + 2 }
        let after = replies(of: client)
        #expect(after == Array(1...after.count), "\(after)")
        #expect(!backup.isFinished && !restarted.isFinished)
    }

    @Test("a backup alone never serves: bstarcli gets no reply (no split brain)", arguments: ["bstarsrv", "bstarsrv2"])
    func backupAlone(server: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let backup = try scenario.launch(server, ["-b"])
        try await backup.expectLine("I: Backup passive, waiting for primary (active)")
        let client = try scenario.launch("bstarcli")
        // 5001 (nobody), then 5002 (the backup), then 5001 again: both unanswered
        for _ in 0..<3 {
            try await client.expectLine("W: no response from server, failing over", within: .seconds(15))
        }
        #expect(client.lines.contains("I: connecting to server at tcp://localhost:5002..."))
        #expect(replies(of: client).isEmpty)
        #expect(!backup.lines.contains { $0.contains("ready") })
    }

    @Test("on the wire: one-frame ASCII states, a client vote after the peer's silence, dropped requests and bad states",
          arguments: ["bstarsrv", "bstarsrv2"])
    func wire(server: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let backup = try scenario.launch(server, ["-b"])
        try await backup.expectLine("I: Backup passive, waiting for primary (active)")
        // A pyzmq peer plays an active primary, then dies silently, then
        // comes back claiming to be passive
        let peer = try scenario.launchPython("primary", """
            import time, zmq
            from wire import show
            c = zmq.Context()
            pub = c.socket(zmq.PUB); pub.bind("tcp://*:5003")
            sub = c.socket(zmq.SUB); sub.setsockopt(zmq.SUBSCRIBE, b""); sub.connect("tcp://localhost:5004")
            client = c.socket(zmq.DEALER); client.connect("tcp://localhost:5002")
            show("state", sub.recv_multipart())       # the backup's own state
            pub.send(b"junk")                         # malformed: dropped
            pub.send_multipart([b"3", b"3"])          # two frames: dropped
            for i in range(8):                        # an active primary
                pub.send(b"3"); time.sleep(0.3)
            client.send_multipart([b"", b"early"])    # peer alive: dropped, never queued
            for i in range(4):
                pub.send(b"3"); time.sleep(0.3)
            print("silent", flush=True)
            time.sleep(3)                             # past the backup's expiry
            client.send_multipart([b"", b"vote"])     # the client's vote
            show("reply", client.recv_multipart())
            deadline = time.time() + 5
            while time.time() < deadline:             # read the backup's states
                f = sub.recv_multipart()
                if f == [b"3"]:
                    show("state", f); break
            """)
        try await peer.expectLine(#"state ["2"]"#, within: .seconds(15))
        try await backup.expectLine(containing: "I: connected to primary (active), ready", within: .seconds(10))
        try await peer.expectLine("silent", within: .seconds(15))
        try await backup.expectLine(containing: "I: failover successful, ready", within: .seconds(15))
        try await peer.expectLine(#"reply ["", "vote"]"#, within: .seconds(10))
        try await peer.expectLine(#"state ["3"]"#, within: .seconds(10))
        #expect(try await peer.waitForExit() == 0)
        #expect(!peer.lines.contains { $0.contains("early") })
        #expect(backup.errorOutput.components(separatedBy: "malformed").count - 1 == 2, "\(backup.errorOutput)")
        #expect(!backup.isFinished)
    }

    @Test("a primary alone: bstarsrv serves at once (the proof of concept); bstarsrv2 drops requests for its first 2 s, then a request makes it active",
          arguments: ["bstarsrv", "bstarsrv2"])
    func primaryAlone(server: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let primary = try scenario.launch(server, ["-p"])
        try await primary.expectLine("I: Primary active, waiting for backup (passive)")
        let client = try scenario.launchPython("client", """
            import time, zmq
            from wire import show
            s = zmq.Context().socket(zmq.DEALER); s.connect("tcp://localhost:5001")
            s.send_multipart([b"", b"early"])
            time.sleep(3)
            s.send_multipart([b"", b"late"])
            show("reply", s.recv_multipart())
            if s.poll(1000): show("reply", s.recv_multipart())
            """)
        if server == "bstarsrv" {
            try await client.expectLine(#"reply ["", "early"]"#, within: .seconds(10))
            try await client.expectLine(#"reply ["", "late"]"#, within: .seconds(10))
        } else {
            try await client.expectLine(#"reply ["", "late"]"#, within: .seconds(10))
            try await primary.expectLine(containing: "I: request from client, ready as active")
        }
        #expect(try await client.waitForExit() == 0)
        #expect(client.lines.filter { $0.hasPrefix("reply") }.count == (server == "bstarsrv" ? 2 : 1))
    }

    @Test("dual actives and dual passives end the server", arguments: ["bstarsrv", "bstarsrv2"])
    func fatal(server: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // A backup that a pyzmq primary makes passive, then claims passive too
        let backup = try scenario.launch(server, ["-b"])
        try await backup.expectLine("I: Backup passive, waiting for primary (active)")
        let peer = try scenario.launchPython("primary", """
            import time, zmq
            c = zmq.Context()
            pub = c.socket(zmq.PUB); pub.bind("tcp://*:5003")
            for i in range(10):
                pub.send(b"3"); time.sleep(0.3)
            for i in range(20):
                pub.send(b"4"); time.sleep(0.3)
            """)
        try await backup.expectLine(containing: "I: connected to primary (active), ready", within: .seconds(15))
        try await backup.expectLine(containing: "E: fatal error - dual passives, aborting", within: .seconds(15))
        #expect(try await backup.waitForExit(within: .seconds(10)) == 0)
        peer.terminate()

        // A primary that a pyzmq backup makes active, then claims active too
        let primary = try scenario.launch(server, ["-p"])
        try await primary.expectLine("I: Primary active, waiting for backup (passive)")
        let peer2 = try scenario.launchPython("backup", """
            import time, zmq
            c = zmq.Context()
            pub = c.socket(zmq.PUB); pub.bind("tcp://*:5004")
            for i in range(10):
                pub.send(b"2"); time.sleep(0.3)
            for i in range(20):
                pub.send(b"3"); time.sleep(0.3)
            """)
        try await primary.expectLine(containing: "I: connected to backup (passive), ready", within: .seconds(15))
        try await primary.expectLine(containing: "E: fatal error - dual actives, aborting", within: .seconds(15))
        #expect(try await primary.waitForExit(within: .seconds(10)) == 0)
        peer2.terminate()
    }
}
