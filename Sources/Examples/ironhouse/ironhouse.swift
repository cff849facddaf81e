// Security, step 5: Ironhouse. CURVE both ways: the client checks the
// server's key, and the server's authentication handler now admits only
// clients whose public certificates are in its .curve directory. This is
// the strongest of the five; only the end points themselves remain to attack.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct Ironhouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ironhouse",
        abstract: "Security step 5, CURVE with known client keys only: encrypted \"Hello\" from tcp://*:9000.")

    @Flag(help: "Run only the server: send \"Hello\" once a second until Ctrl-C, to clients whose certificates are in .curve.") var server = false
    @Flag(help: "Run only the client: wait for one message, presenting --certificate.") var client = false
    @Option(help: "Where the client connects.") var endpoint = "tcp://127.0.0.1:9000"
    @Option(help: "Seconds the client waits for its message.") var timeout = 5
    @Option(help: "The server's public certificate file (its secret one is this name + _secret).") var serverKey = "server.key"
    @Option(help: "The client's certificate (made when missing); copy its public file into .curve to let it in.") var certificate = "client.key"

    func validate() throws {
        if server && client { throw ValidationError("choose --server or --client, not both") }
    }

    func run() throws {
        let context = try Context()

        // The directory of allowed client certificates. Alone, the program
        // puts its client's public certificate there itself: in practice
        // that is done by hand, or by some other trusted channel.
        try FileManager.default.createDirectory(atPath: ".curve", withIntermediateDirectories: true)
        let clientCert = client ? try Certificate.loadOrCreate(at: certificate, metadata: ["name": "ironhouse client"]) : try Certificate()
        if !client && !server { try clientCert.savePublic(to: ".curve/testcert.pub") }
        let serverCert = client ? Certificate.load(from: serverKey) : (server ? try Certificate.loadOrCreate(at: serverKey, metadata: ["name": "ironhouse server"]) : try Certificate())
        guard let serverCert else { throw ValidationError("no server certificate in \(serverKey): start ironhouse --server first") }

        // The server: local clients whose keys are in .curve
        var authenticator: Authenticator?
        let pusher = client ? nil : try context.socket(.push)
        if let pusher, let keys = serverCert.keyPair {
            authenticator = try Authenticator(context: context, verbose: true)
            try authenticator?.allow("127.0.0.1")
            try authenticator?.configureCurve(location: ".curve")
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
        print("Ironhouse test OK")
        authenticator?.stop()
    }
}
