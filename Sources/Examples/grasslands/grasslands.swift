// Security, step 1: Grasslands. No security at all (the NULL mechanism):
// anyone who reaches the port can talk, and anyone on the path can read.
// A PUSH server on tcp://*:9000 sends "Hello" to a PULL client. Run alone,
// the program plays both sides, as the tutorial does; --server and --client
// run one side each, so the other can be another process or language.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Grasslands: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grasslands",
        abstract: "Security step 1, no security: PUSH \"Hello\" on tcp://*:9000 to a PULL client.")

    @Flag(help: "Run only the server: send \"Hello\" once a second until Ctrl-C.") var server = false
    @Flag(help: "Run only the client: wait for one message.") var client = false
    @Option(help: "Where the client connects.") var endpoint = "tcp://127.0.0.1:9000"
    @Option(help: "Seconds the client waits for its message.") var timeout = 5

    func validate() throws {
        if server && client { throw ValidationError("choose --server or --client, not both") }
    }

    func run() throws {
        let context = try Context()

        // The server: a plain PUSH socket
        let pusher = client ? nil : try context.socket(.push)
        try pusher?.bind("tcp://*:9000")
        if let pusher, server {
            catchSignals()   // alone: one "Hello" a second to whoever is let in, until Ctrl-C
            while !isInterrupted { try? pusher.send("Hello"); sleep(milliseconds: 1000) }
            return
        }

        // The client: a plain PULL socket
        let puller = try context.socket(.pull)
        try puller.connect(endpoint)

        try pusher?.send("Hello")
        guard try puller.receiveString(within: .seconds(timeout)) == "Hello" else {
            print("E: no message from the server within \(timeout) s")
            throw ExitCode.failure
        }
        print("Grasslands test OK")
    }
}
