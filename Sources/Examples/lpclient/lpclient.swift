// Lazy Pirate client: reliable request-reply from the client side alone.
// It polls its REQ socket for each reply; after REQUEST_TIMEOUT without one
// it throws the socket away, opens a new one and sends the same request
// again; after REQUEST_RETRIES sends in all it gives up.
// Start lpserver (or spqueue or ppqueue with workers), then kill and restart it.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct LPClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lpclient",
        abstract: "Lazy Pirate client: REQ to tcp://localhost:5555, resends after 2.5 s, abandons after three sends.")

    static let requestTimeout = 2500                 // msecs (more than the server's second of work)
    static let requestRetries = 3                    // sends of one request before we abandon
    static let serverEndpoint = "tcp://localhost:5555"

    /// A new REQ socket connected to the server. Its linger is zero, so that
    /// closing it drops a request nobody took, as CZMQ's sockets do.
    static func connect(_ context: Context) throws(ZMQError) -> Socket {
        let client = try context.socket(.req)
        try client.set(.linger, to: 0)
        try client.connect(serverEndpoint)
        return client
    }

    /// The number at the start of `text`, as C's atoi reads it (0 when there is none).
    static func leadingNumber(_ text: String) -> Int {
        Int(text.prefix { ("0"..."9").contains($0) }.prefix(18)) ?? 0
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        print("I: connecting to server...")
        var client = try Self.connect(context)

        var sequence = 0
        var retriesLeft = Self.requestRetries
        requests: while retriesLeft > 0 && !isInterrupted {
            // One request, then work until its reply comes or we give up
            sequence += 1
            let request = String(sequence)
            try client.send(request)

            var expectReply = true
            while expectReply {
                var poller = Poller()
                let reply = poller.add(client)
                do {
                    try poller.poll(timeoutMilliseconds: Self.requestTimeout)
                } catch {
                    if error.isInterrupted { break requests }
                    throw error
                }

                if poller.isReadable(reply) {
                    // A reply: it must carry the number we sent
                    let frames: [[UInt8]]
                    do { frames = try client.receiveMultipart() } catch {
                        if error.isInterrupted { break requests }
                        throw error
                    }
                    let text = (frames.first ?? []).string
                    if Self.leadingNumber(text) == sequence {
                        print("I: server replied OK (\(text))")
                        retriesLeft = Self.requestRetries
                        expectReply = false
                    } else {
                        print("E: malformed reply from server: \(text)")
                    }
                } else {
                    retriesLeft -= 1
                    if retriesLeft == 0 {
                        print("E: server seems to be offline, abandoning")
                        break
                    }
                    print("W: no response from server, retrying...")
                    // The old socket waits for a reply that may never come:
                    // close it, open a new one and send the request again
                    client.close()
                    print("I: reconnecting to server...")
                    client = try Self.connect(context)
                    try client.send(request)
                }
            }
        }
        client.close()
    }
}
