// Security, step 3: Woodhouse. The PLAIN mechanism: the client presents a
// user name and password, which the authentication handler checks against
// a passwords file. Still unencrypted, so anyone sniffing the network can
// read the password: better than Strawhouse, not secure.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct Woodhouse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "woodhouse",
        abstract: "Security step 3, PLAIN user name and password: PUSH \"Hello\" on tcp://*:9000 to a client that logs in.")

    @Flag(help: "Run only the server: send \"Hello\" once a second until Ctrl-C.") var server = false
    @Flag(help: "Run only the client: wait for one message.") var client = false
    @Option(help: "Where the client connects.") var endpoint = "tcp://127.0.0.1:9000"
    @Option(help: "Seconds the client waits for its message.") var timeout = 5
    @Option(help: "The server's passwords file, one name=password a line (made with admin=secret when missing).") var passwords = "passwords"
    @Option(help: "The client's user name.") var user = "admin"
    @Option(help: "The client's password.") var password = "secret"

    func validate() throws {
        if server && client { throw ValidationError("choose --server or --client, not both") }
    }

    func run() throws {
        let context = try Context()

        // The server: local clients only, and they must log in
        var authenticator: Authenticator?
        let pusher = client ? nil : try context.socket(.push)
        if let pusher {
            if !FileManager.default.fileExists(atPath: passwords) {
                try "admin=secret\n".write(toFile: passwords, atomically: true, encoding: .utf8)
                print("I: wrote \(passwords) with the user admin, password secret")
            }
            authenticator = try Authenticator(context: context, verbose: true)
            try authenticator?.allow("127.0.0.1")
            try authenticator?.configurePlain(passwordsFile: passwords)
            try pusher.set(.plainServer, to: true)
            try pusher.bind("tcp://*:9000")
            if server {
                catchSignals()   // alone: one "Hello" a second to whoever is let in, until Ctrl-C
                while !isInterrupted { try? pusher.send("Hello"); sleep(milliseconds: 1000) }
                return
            }
        }

        // The client: presents its user name and password
        let puller = try context.socket(.pull)
        try puller.set(.plainUsername, to: user)
        try puller.set(.plainPassword, to: password)
        try puller.connect(endpoint)

        try pusher?.send("Hello")
        guard try puller.receiveString(within: .seconds(timeout)) == "Hello" else {
            print("E: no message from the server within \(timeout) s")
            throw ExitCode.failure
        }
        print("Woodhouse test OK")
        authenticator?.stop()
    }
}
