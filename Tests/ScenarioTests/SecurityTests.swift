import Foundation
import Testing

/// The five steps of ZeroMQ's security tutorial: each one alone plays both
/// sides and succeeds; run as a server, each refuses the clients its step
/// is meant to keep out, and its authentication handler says why.
@Suite("Security")
struct SecurityTests {
    @Test("each step alone: the client gets Hello through its security, and says so",
          arguments: ["grasslands", "strawhouse", "woodhouse", "stonehouse", "ironhouse"])
    func tutorialStep(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let step = try scenario.launch(name)
        try await step.expectLine(name.prefix(1).uppercased() + name.dropFirst() + " test OK", within: .seconds(20))
        #expect(try await step.waitForExit() == 0)
        if name != "grasslands" {
            // Every step after the first asks the authentication handler.
            #expect(step.lines.contains { $0.hasPrefix("I: ZAP: allowed 127.0.0.1") })
        }
    }

    @Test("strawhouse: a client from an address not allowed gets nothing; an allowed one is served")
    func strawhouseAddresses() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("strawhouse", ["--server"])
        let stranger = try scenario.launch("strawhouse", ["--client", "--timeout", "2", "--endpoint", "tcp://127.0.0.2:0;127.0.0.1:9000"])
        try await stranger.expectLine(containing: "E: no message from the server", within: .seconds(15))
        #expect(try await stranger.waitForExit() == 1)
        try await server.expectLine("I: ZAP: denied 127.0.0.2 (NULL): address not in the allow list")

        let friend = try scenario.launch("strawhouse", ["--client"])
        #expect(try await friend.waitForExit(within: .seconds(15)) == 0)
        try await server.expectLine(containing: "I: ZAP: allowed 127.0.0.1 (NULL)")
        server.signal(SIGINT)
        #expect(try await server.waitForExit(within: .seconds(2)) == 0)
    }

    @Test("woodhouse: a wrong password gets nothing; a pyzmq client with the right one is served")
    func woodhousePasswords() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("woodhouse", ["--server"])
        try await server.expectLine(containing: "I: wrote passwords")
        let wrong = try scenario.launch("woodhouse", ["--client", "--timeout", "2", "--password", "guess"])
        try await wrong.expectLine(containing: "E: no message from the server", within: .seconds(15))
        #expect(try await wrong.waitForExit() == 1)
        try await server.expectLine("I: ZAP: denied 127.0.0.1 (PLAIN): wrong user name or password for admin")

        let python = try scenario.launchPython("plain", """
            import zmq
            s = zmq.Context().socket(zmq.PULL)
            s.plain_username = b"admin"
            s.plain_password = b"secret"
            s.connect("tcp://127.0.0.1:9000")
            print("got", s.recv_string() if s.poll(10000) else "nothing", flush=True)
            """)
        try await python.expectLine("got Hello", within: .seconds(15))
        try await server.expectLine("I: ZAP: allowed 127.0.0.1 (PLAIN): password of admin")
    }

    @Test("stonehouse: a client without keys or with the wrong server key gets nothing; one with the server's key is served")
    func stonehouseKeys() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("stonehouse", ["--server"])
        try await server.expectLine("I: the server's public certificate is in server.key")
        // No keys at all (the NULL mechanism), then a made-up server key: the
        // CURVE handshake fails before any message can flow.
        let strangers = try scenario.launchPython("strangers", """
            import zmq
            ctx = zmq.Context()
            plain = ctx.socket(zmq.PULL)
            plain.connect("tcp://127.0.0.1:9000")
            print("no keys:", "got " + plain.recv_string() if plain.poll(2000) else "nothing", flush=True)
            wrong = ctx.socket(zmq.PULL)
            wrong.curve_publickey, wrong.curve_secretkey = zmq.curve_keypair()
            wrong.curve_serverkey = zmq.curve_keypair()[0]
            wrong.connect("tcp://127.0.0.1:9000")
            print("wrong server key:", "got " + wrong.recv_string() if wrong.poll(2000) else "nothing", flush=True)
            """)
        try await strangers.expectLine("no keys: nothing", within: .seconds(15))
        try await strangers.expectLine("wrong server key: nothing", within: .seconds(15))

        let friend = try scenario.launch("stonehouse", ["--client"])
        #expect(try await friend.waitForExit(within: .seconds(15)) == 0)
        try await server.expectLine("I: ZAP: allowed 127.0.0.1 (CURVE): any CURVE key allowed")
    }

    @Test("ironhouse: an unknown client key is refused and logged; once its certificate is in .curve it is served, and so is a pyzmq client")
    func ironhouseKnownKeys() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let server = try scenario.launch("ironhouse", ["--server"])
        try await server.expectLine("I: the server's public certificate is in server.key")

        let unknown = try scenario.launch("ironhouse", ["--client", "--timeout", "2"])
        try await unknown.expectLine(containing: "E: no message from the server", within: .seconds(15))
        #expect(try await unknown.waitForExit() == 1)
        try await server.expectLine(containing: "I: ZAP: denied 127.0.0.1 (CURVE): key ")

        // The same client, after its public certificate is put in .curve
        let directory = scenario.directory.path
        try FileManager.default.copyItem(atPath: directory + "/client.key", toPath: directory + "/.curve/client.key")
        let known = try scenario.launch("ironhouse", ["--client"])
        #expect(try await known.waitForExit(within: .seconds(15)) == 0)
        try await server.expectLine(containing: "I: ZAP: allowed 127.0.0.1 (CURVE)")

        // pyzmq reads the server's certificate file and writes its own in
        // the same format, which the server then accepts.
        let python = try scenario.launchPython("curve", """
            import shutil, zmq, zmq.auth
            public_file, secret_file = zmq.auth.create_certificates(".", "pyclient")
            shutil.copy(public_file, ".curve/")
            s = zmq.Context().socket(zmq.PULL)
            s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(secret_file)
            s.curve_serverkey = zmq.auth.load_certificate("server.key")[0]
            s.connect("tcp://127.0.0.1:9000")
            print("got", s.recv_string() if s.poll(10000) else "nothing", flush=True)
            """)
        try await python.expectLine("got Hello", within: .seconds(15))
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(within: .seconds(2)) == 0)
    }

    @Test("each step answers --help and refuses --server with --client",
          arguments: ["grasslands", "strawhouse", "woodhouse", "stonehouse", "ironhouse"])
    func usage(name: String) async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let help = try scenario.launch(name, ["--help"])
        try await help.expectLine(containing: "USAGE: \(name)")
        #expect(try await help.waitForExit() == 0)
        let both = try scenario.launch(name, ["--server", "--client"])
        #expect(try await both.waitForExit() != 0)
    }
}
