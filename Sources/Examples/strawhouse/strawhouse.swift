// Security, step 2: Strawhouse. Still no encryption, but an authentication
// handler (ZAP) now decides who may connect, by IP address: it keeps out
// the careless, not a real attacker, who can fake an address. The same
// PUSH server and PULL client as Grasslands; the handler logs each decision.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Strawhouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strawhouse",
        abstract: "Security step 2, address filtering: only allowed addresses may PULL \"Hello\" from tcp://*:9000.")

    @Flag(help: "Run only the server: send \"Hello\" once a second until Ctrl-C.") var server = false
    @Flag(help: "Run only the client: wait for one message.") var client = false
    @Option(help: "Where the client connects (tcp://SOURCE:0;127.0.0.1:9000 picks its address).") var endpoint = "tcp://127.0.0.1:9000"
    @Option(help: "Seconds the client waits for its message.") var timeout = 5
    @Option(help: "An address the server allows (repeat for more).") var allow: [String] = ["127.0.0.1"]

    func validate() throws {
        if server && client { throw ValidationError("choose --server or --client, not both") }
    }

    func run() throws {
        let context = try Context()

        // The server: the authenticator allows only the listed addresses.
        // A ZAP domain makes libzmq ask it about NULL-mechanism peers too.
        var authenticator: Authenticator?
        let pusher = client ? nil : try context.socket(.push)
        if let pusher {
            authenticator = try Authenticator(context: context, verbose: true)
            for address in allow { try authenticator?.allow(address) }
            try pusher.set(.zapDomain, to: "global")
            try pusher.bind("tcp://*:9000")
            if server {
                catchSignals()   // alone: one "Hello" a second to whoever is let in, until Ctrl-C
                while !isInterrupted { try? pusher.send("Hello"); sleep(milliseconds: 1000) }
                return
            }
        }

        // The client: nothing to configure; its address is its credential
        let puller = try context.socket(.pull)
        try puller.connect(endpoint)

        try pusher?.send("Hello")
        guard try puller.receiveString(within: .seconds(timeout)) == "Hello" else {
            print("E: no message from the server within \(timeout) s")
            throw ExitCode.failure
        }
        print("Strawhouse test OK")
        authenticator?.stop()
    }
}
