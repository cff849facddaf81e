import ZHelpers
import ZMQ

/// The Majordomo client API, asynchronous (the guide's `mdcliapi2`): a
/// DEALER socket, so any number of requests may be sent before their
/// replies are read. It does not retry: a lost request stays lost.
///
/// ```swift
/// let session = try MajordomoAsyncClient(broker: "tcp://localhost:5555")
/// for _ in 0..<10 { try session.send(service: "echo", request: ZMsg(strings: ["Hello"])) }
/// while let reply = try session.receive() { ... }
/// ```
public final class MajordomoAsyncClient {
    /// The broker's endpoint.
    public let broker: String
    /// Whether activity is traced on standard output.
    public let verbose: Bool
    /// Milliseconds ``receive()`` waits for a reply.
    public var timeout = MDP.clientTimeout

    private let context: Context
    private var socket: Socket

    /// Connects to `broker`, on `context` if given (else a context of its own).
    public init(broker: String, verbose: Bool = false, context: Context? = nil) throws(ZMQError) {
        self.broker = broker
        self.verbose = verbose
        if let context { self.context = context } else { self.context = try Context() }
        socket = try self.context.socket(.dealer)
        try socket.set(.linger, to: 0)
        try socket.connect(broker)
        if verbose { logLine("I: connecting to broker at \(broker)...") }
    }

    deinit { socket.close() }

    /// Sends `request` to `service` without waiting: `["", MDPC01, service, body...]`.
    public func send(service: String, request: ZMsg) throws(ZMQError) {
        var message = MDP.clientRequest(service: service, body: request)
        message.push(Frame())   // the delimiter a REQ socket would add
        if verbose {
            logLine("I: send request to '\(service)' service:")
            message.dump()
        }
        try message.send(to: socket)
    }

    /// Waits up to ``timeout`` for the next reply and returns its body; nil
    /// on timeout or when a signal interrupted the wait. A malformed reply
    /// is reported and skipped.
    public func receive() throws(ZMQError) -> ZMsg? {
        var poller = Poller()
        poller.add(socket)
        do {
            while try poller.poll(timeoutMilliseconds: timeout) > 0 {
                var reply = try ZMsg.receive(from: socket)
                if verbose {
                    logLine("I: received reply:")
                    reply.dump()
                }
                do {
                    guard reply.pop() == [] else { throw MDP.Violation("no empty delimiter frame") }
                    return try MDP.clientReply(reply)
                } catch {
                    printError("E: malformed reply dropped: \(error)")
                }
            }
        } catch {
            if !error.isInterrupted { throw error }
        }
        if isInterrupted {
            print("W: interrupt received, killing client...")
        } else if verbose {
            logLine("W: permanent error, abandoning request")
        }
        return nil
    }
}
