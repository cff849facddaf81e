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
        if let pusher, server { return try sendHelloForever(pusher) }

        // The client: a plain PULL socket
        let puller = try context.socket(.pull)
        try puller.connect(endpoint)

        try pusher?.send("Hello")
        try receiveHello(puller, within: timeout)
        print("Grasslands test OK")
    }
}

/// The server alone: one "Hello" a second, to whichever clients are allowed in.
func sendHelloForever(_ pusher: Socket) throws {
    catchSignals()
    while !isInterrupted {
        do { try pusher.send("Hello") } catch {
            if error.isInterrupted { break }
            throw error
        }
        sleep(milliseconds: 1000)
    }
}

/// The client: one "Hello" within `seconds`, or a line saying none came.
func receiveHello(_ puller: Socket, within seconds: Int) throws {
    try puller.set(.receiveTimeout, to: Int32(seconds * 1000))
    let message: String
    do { message = try puller.receiveString() } catch {
        guard error.isAgain else { throw error }
        print("E: no message from the server within \(seconds) s")
        throw ExitCode.failure
    }
    guard message == "Hello" else {
        print("E: unexpected message: \(message)")
        throw ExitCode.failure
    }
}
