import Foundation
import Testing

/// dakee, the request/reply chat of the "ZeroMQ Basics" article.
@Suite("dakee chat")
struct DakeeTests {
    @Test("two sides chat: requests and replies cross, queued requests all arrive in order")
    func chat() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let alice = try scenario.launch("dakee", ["--port", "5555", "--peer", "127.0.0.1:5556"])
        let bob = try scenario.launch("dakee", ["--port", "5556", "--peer", "localhost:5555"])

        try alice.send(line: "hello from alice")          // a request to bob
        try await bob.expectLine("hello from alice")
        try bob.send(line: "hi alice")                     // bob owes a reply: this is it
        try await alice.expectLine("hi alice")

        // Three requests typed before any answer: queued, none lost, in order.
        for line in ["one", "two", "three"] { try alice.send(line: line) }
        for (line, answer) in [("one", "ack one"), ("two", "ack two"), ("three", "ack three")] {
            try await bob.expectLine(line)
            try bob.send(line: answer)
            try await alice.expectLine(answer)
        }

        // Bob can ask too.
        try bob.send(line: "question from bob")
        try await alice.expectLine("question from bob")
        try alice.send(line: "answer from alice")
        try await bob.expectLine("answer from alice")

        alice.signal(SIGINT)                                // Ctrl-C
        #expect(try await alice.waitForExit(within: .seconds(3)) == 0)
        bob.closeInput()                                    // end of input
        #expect(try await bob.waitForExit(within: .seconds(5)) == 0)
    }

    @Test("on the wire a request and a reply are one frame each: the typed line")
    func wire() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        // The Python peer is the other side: REP on 5556, REQ to dakee's 5555.
        let peer = try scenario.launchPython("peer", """
            import zmq
            from wire import show
            c = zmq.Context()
            rep = c.socket(zmq.REP); rep.bind("tcp://*:5556")
            req = c.socket(zmq.REQ); req.connect("tcp://localhost:5555")
            print("ready", flush=True)
            show("request", rep.recv_multipart())
            rep.send(b"reply from python")
            req.send(b"request from python")
            show("reply", req.recv_multipart())
            """)
        try await peer.expectLine("ready")
        let dakee = try scenario.launch("dakee", ["--peer", "127.0.0.1:5556"])
        try dakee.send(line: "typed line")
        try await peer.expectLine("request [\"typed line\"]")
        try await dakee.expectLine("reply from python")
        try await dakee.expectLine("request from python")
        try dakee.send(line: "typed answer")
        try await peer.expectLine("reply [\"typed answer\"]")
        #expect(try await peer.waitForExit() == 0)
        dakee.closeInput()
        #expect(try await dakee.waitForExit() == 0)
    }

    @Test("bad arguments print the usage line and exit non-zero")
    func badArguments() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        for arguments in [["--port", "0"], ["--port", "x"], ["--peer", "no-port"], ["--peer", "host:99999"], ["extra"]] {
            let dakee = try scenario.launch("dakee", arguments)
            #expect(try await dakee.waitForExit() != 0, "\(arguments)")
            #expect(dakee.errorOutput.contains("Usage: dakee"), "\(arguments): \(dakee.errorOutput)")
        }
        let help = try scenario.launch("dakee", ["--help"])
        #expect(try await help.waitForExit() == 0)
        #expect(help.output.contains("USAGE: dakee [--port <port>] [--peer <peer>]"))
    }
}
