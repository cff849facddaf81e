// Freelance client, model one: asks an echo service with a REQ socket.
// With one endpoint it retries up to three times (Lazy Pirate); with
// several, it tries each of them once, in turn.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FLClient1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flclient1",
        abstract: "Freelance client, model one: tries each echo service in turn until one answers.")

    static let requestTimeout = 1000   // msecs
    static let maxRetries = 3          // before we abandon

    @Argument(help: "The endpoints of the echo services, e.g. tcp://localhost:5555.")
    var endpoints: [String]

    func validate() throws {
        if endpoints.isEmpty { throw ValidationError("give at least one endpoint") }
    }

    /// Sends the request on a new REQ socket and waits a second for the
    /// reply; the socket is closed either way.
    static func tryRequest(_ context: Context, _ endpoint: String, _ request: ZMsg) throws -> ZMsg? {
        print("I: trying echo service at \(endpoint)...")
        let client = try context.socket(.req)
        try client.set(.linger, to: 0)
        try client.connect(endpoint)
        try request.send(to: client)
        var poller = Poller()
        let item = poller.add(client)
        try poller.poll(timeoutMilliseconds: requestTimeout)
        return poller.isReadable(item) ? try ZMsg.receive(from: client) : nil
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let request = ZMsg(strings: ["Hello world"])
        var reply: ZMsg?

        if endpoints.count == 1 {
            // One endpoint: retry it a few times
            let endpoint = endpoints[0]
            for _ in 0..<Self.maxRetries {
                reply = try Self.tryRequest(context, endpoint, request)
                if reply != nil { break }
                print("W: no response from \(endpoint), retrying...")
            }
        } else {
            // Several endpoints: try each at most once
            for endpoint in endpoints {
                reply = try Self.tryRequest(context, endpoint, request)
                if reply != nil { break }
                print("W: no response from \(endpoint)")
            }
        }
        if reply != nil { print("Service is running OK") }
    }
}
