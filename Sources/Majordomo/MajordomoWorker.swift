import ZHelpers
import ZMQ

/// The Majordomo worker API (the guide's `mdwrkapi`): registers a service
/// with the broker over a DEALER socket, exchanges heartbeats, reconnects
/// when the broker falls silent, and hands each request to the caller.
///
/// ```swift
/// let session = try MajordomoWorker(broker: "tcp://localhost:5555", service: "echo")
/// var reply: ZMsg? = nil
/// while let request = try session.receive(reply: reply) { reply = request }
/// ```
public final class MajordomoWorker {
    /// The broker's endpoint.
    public let broker: String
    /// The service this worker offers.
    public let service: String
    /// Whether activity is traced on standard output.
    public let verbose: Bool
    /// Milliseconds between heartbeats; a new value applies to the next heartbeat.
    public var heartbeat = MDP.heartbeatInterval {
        didSet { heartbeatAt = min(heartbeatAt, clockMilliseconds() + Int64(heartbeat)) }
    }
    /// Milliseconds to wait before reconnecting to a silent broker.
    public var reconnect = MDP.reconnectDelay

    private let context: Context
    private var socket: Socket?
    private var heartbeatAt: Int64 = 0   // when to send the next HEARTBEAT
    private var liveness = 0             // heartbeats the broker may still miss
    private var replyTo: Frame?          // the client of the request in hand

    /// Connects to `broker` and sends READY for `service`, on `context` if
    /// given (else a context of its own).
    public init(broker: String, service: String, verbose: Bool = false, context: Context? = nil) throws(ZMQError) {
        self.broker = broker
        self.service = service
        self.verbose = verbose
        if let context { self.context = context } else { self.context = try Context() }
        try connectToBroker()
    }

    deinit { socket?.close() }

    /// Sends one command to the broker.
    private func send(_ command: MDP.Command, option: Frame? = nil, body: ZMsg = ZMsg()) throws(ZMQError) {
        guard let socket else { return }
        let message = MDP.workerMessage(command, option: option, body: body)
        if verbose {
            logLine("I: sending \(command.name) to broker")
            message.dump()
        }
        try message.send(to: socket)
    }

    /// Connects, or reconnects on a new socket, and registers the service.
    private func connectToBroker() throws(ZMQError) {
        socket?.close()
        let socket = try context.socket(.dealer)
        try socket.set(.linger, to: 0)
        try socket.connect(broker)
        self.socket = socket
        if verbose { logLine("I: connecting to broker at \(broker)...") }
        try send(.ready, option: Array(service.utf8))
        liveness = MDP.heartbeatLiveness
        heartbeatAt = clockMilliseconds() + Int64(heartbeat)
    }

    /// Sends `reply` (if any) to the client of the last request, then waits
    /// for the next request and returns its body. Returns nil when a signal
    /// interrupted the wait.
    public func receive(reply: ZMsg?) throws(ZMQError) -> ZMsg? {
        if let reply, let client = replyTo {
            var message = reply
            message.wrap(client)
            try send(.reply, body: message)
            replyTo = nil
        }
        do {
            while !isInterrupted {
                guard let socket else { break }
                var poller = Poller()
                poller.add(socket)
                try poller.poll(timeoutMilliseconds: heartbeat)
                if poller.isReadable(0) {
                    let message = try ZMsg.receive(from: socket)
                    if verbose {
                        logLine("I: received message from broker:")
                        message.dump()
                    }
                    liveness = MDP.heartbeatLiveness
                    var input: MDP.WorkerInput?
                    do {
                        input = try MDP.WorkerInput(message)
                    } catch {
                        printError("E: invalid input message (\(error)), dropped")
                    }
                    switch input {
                    case .request(let client, let body):
                        replyTo = client
                        return body
                    case .disconnect:
                        try connectToBroker()
                    case .heartbeat, nil:
                        break
                    }
                } else {
                    liveness -= 1
                    if liveness == 0 {
                        if verbose { logLine("W: disconnected from broker - retrying...") }
                        sleep(milliseconds: reconnect)
                        if isInterrupted { break }
                        try connectToBroker()
                    }
                }
                if clockMilliseconds() > heartbeatAt {
                    try send(.heartbeat)
                    heartbeatAt = clockMilliseconds() + Int64(heartbeat)
                }
            }
        } catch {
            if !error.isInterrupted { throw error }
        }
        if isInterrupted { print("W: interrupt received, killing worker...") }
        return nil
    }
}
