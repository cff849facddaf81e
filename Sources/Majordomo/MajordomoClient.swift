import ZHelpers
import ZMQ

/// The Majordomo client API, synchronous (the guide's `mdcliapi`): one
/// request at a time over a REQ socket, resent on a fresh socket when no
/// reply comes within ``timeout``, abandoned after ``retries`` attempts.
///
/// ```swift
/// let session = try MajordomoClient(broker: "tcp://localhost:5555")
/// if let reply = try session.send(service: "echo", request: ZMsg(strings: ["Hello"])) { ... }
/// ```
public final class MajordomoClient {
    /// The broker's endpoint.
    public let broker: String
    /// Whether activity is traced on standard output.
    public let verbose: Bool
    /// Milliseconds to wait for each reply.
    public var timeout = MDP.clientTimeout
    /// Attempts per request before abandoning it.
    public var retries = MDP.clientRetries

    private let context: Context
    private var socket: Socket?

    /// Connects to `broker`, on `context` if given (else a context of its own).
    public init(broker: String, verbose: Bool = false, context: Context? = nil) throws(ZMQError) {
        self.broker = broker
        self.verbose = verbose
        if let context { self.context = context } else { self.context = try Context() }
        try connectToBroker()
    }

    deinit { socket?.close() }

    /// Connects, or reconnects on a new socket, to the broker.
    private func connectToBroker() throws(ZMQError) {
        socket?.close()
        let socket = try context.socket(.req)
        try socket.set(.linger, to: 0)
        try socket.connect(broker)
        self.socket = socket
        if verbose { logLine("I: connecting to broker at \(broker)...") }
    }

    /// Sends `request` to `service` and waits for the reply, retrying as
    /// needed. Returns the reply's body, or nil when every attempt timed out
    /// or a signal interrupted the wait.
    public func send(service: String, request: ZMsg) throws(ZMQError) -> ZMsg? {
        let message = MDP.clientRequest(service: service, body: request)
        if verbose {
            logLine("I: send request to '\(service)' service:")
            message.dump()
        }
        var retriesLeft = retries
        while retriesLeft > 0 && !isInterrupted {
            guard let socket else { break }
            do {
                try message.send(to: socket)
                var poller = Poller()
                poller.add(socket)
                try poller.poll(timeoutMilliseconds: timeout)
                if poller.isReadable(0) {
                    let reply = try ZMsg.receive(from: socket)
                    if verbose {
                        logLine("I: received reply:")
                        reply.dump()
                    }
                    do {
                        return try MDP.clientReply(reply, service: service)
                    } catch {
                        printError("E: malformed reply dropped: \(error)")
                    }
                }
            } catch {
                if error.isInterrupted { break }
                throw error
            }
            retriesLeft -= 1
            if retriesLeft > 0 {
                if verbose { logLine("W: no reply, reconnecting...") }
                try connectToBroker()
            } else if verbose {
                logLine("W: permanent error, abandoning")
            }
        }
        if isInterrupted { print("W: interrupt received, killing client...") }
        return nil
    }
}
