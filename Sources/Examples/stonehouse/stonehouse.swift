// Security, step 4: Stonehouse. The CURVE mechanism: every message is
// encrypted, and the client knows the server's public key, so it cannot be
// fooled by an impostor. Any client key is accepted: the server does not
// yet know who its clients are (the address filter still applies).
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Stonehouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stonehouse",
        abstract: "Security step 4, CURVE with any client key: encrypted \"Hello\" from tcp://*:9000.")

    @Flag(help: "Run only the server: send \"Hello\" once a second until Ctrl-C; its public certificate goes to --server-key.") var server = false
    @Flag(help: "Run only the client: wait for one message from the server whose certificate is --server-key.") var client = false
    @Option(help: "Where the client connects.") var endpoint = "tcp://127.0.0.1:9000"
    @Option(help: "Seconds the client waits for its message.") var timeout = 5
    @Option(help: "The server's public certificate file (its secret one is this name + _secret).") var serverKey = "server.key"

    func validate() throws {
        if server && client { throw ValidationError("choose --server or --client, not both") }
    }

    func run() throws {
        let context = try Context()

        // A certificate each. Alone, the program makes both; the server
        // alone keeps its certificate in files, which the client alone reads.
        let clientCert = try Certificate()
        let serverCert = client ? Certificate.load(from: serverKey) : (server ? try Certificate.loadOrCreate(at: serverKey, metadata: ["name": "stonehouse server"]) : try Certificate())
        guard let serverCert else { throw ValidationError("no server certificate in \(serverKey): start stonehouse --server first") }

        // The server: local clients only, any CURVE key
        var authenticator: Authenticator?
        let pusher = client ? nil : try context.socket(.push)
        if let pusher, let keys = serverCert.keyPair {
            authenticator = try Authenticator(context: context, verbose: true)
            try authenticator?.allow("127.0.0.1")
            try authenticator?.configureCurve(location: Authenticator.anyCurveKey)
            try pusher.makeCurveServer(keys: keys)
            try pusher.bind("tcp://*:9000")
            if server {
                print("I: the server's public certificate is in \(serverKey)")
                catchSignals()   // alone: one "Hello" a second to whoever is let in, until Ctrl-C
                while !isInterrupted { try? pusher.send("Hello"); sleep(milliseconds: 1000) }
                return
            }
        }

        // The client: its own key pair, and the server's public key
        let puller = try context.socket(.pull)
        if let keys = clientCert.keyPair { try puller.makeCurveClient(keys: keys, serverKey: serverCert.publicKey) }
        try puller.connect(endpoint)

        try pusher?.send("Hello")
        guard try puller.receiveString(within: .seconds(timeout)) == "Hello" else {
            print("E: no message from the server within \(timeout) s")
            throw ExitCode.failure
        }
        print("Stonehouse test OK")
        authenticator?.stop()
    }
}
