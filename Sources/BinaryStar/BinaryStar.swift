import ZHelpers
import ZMQ

/// The Binary Star reactor: a primary/backup pair of servers of which one
/// at a time serves clients. The Swift counterpart of the guide's `bstar`
/// class.
///
/// Each server publishes its state to its peer once per heartbeat and
/// listens to the peer's; client requests arrive on the "voter" socket and
/// run the application's handler only while this server may serve.
/// ```swift
/// let star = try BinaryStar(context: context, primary: true,
///                           local: "tcp://*:5003", remote: "tcp://localhost:5004")
/// try star.setVoter(endpoint: "tcp://*:5001", type: .router) { _, socket in ... }
/// try star.run()
/// ```
public final class BinaryStar {
    /// The states of a server.
    public typealias State = BinaryStarMachine.State

    /// The reactor the server runs on; add your own readers and timers.
    public let reactor: Reactor
    /// Logs each state message sent and received.
    public var isVerbose = false
    /// The current state.
    public var state: State { machine.state }

    private var machine: BinaryStarMachine
    private let context: Context
    private let statePublisher: Socket
    private let stateSubscriber: Socket
    private var voter: Socket?
    private var voterHandler: ((Reactor, Socket) throws -> Void)?
    private var activeHandler: ((Reactor) throws -> Void)?
    private var passiveHandler: ((Reactor) throws -> Void)?

    /// Creates a primary or backup server that publishes its state on
    /// `local` (bound) and hears its peer's on `remote` (connected).
    public init(context: Context, primary: Bool, local: String, remote: String) throws {
        self.context = context
        machine = BinaryStarMachine(primary: primary)
        reactor = Reactor()
        statePublisher = try context.socket(.pub)
        try statePublisher.limitSubscriptions()
        try statePublisher.set(.linger, to: 0)
        try statePublisher.bind(local)
        stateSubscriber = try context.socket(.sub)
        try stateSubscriber.set(.linger, to: 0)
        try stateSubscriber.subscribe("")
        try stateSubscriber.connect(remote)

        reactor.addTimer(every: .milliseconds(BinaryStarMachine.heartbeat)) { [unowned self] _ in
            try sendState()
        }
        reactor.addReader(stateSubscriber) { [unowned self] reactor in
            try receiveState(reactor)
        }
    }

    /// Binds the socket clients talk to. Each request on it is a client's
    /// vote: `handler` runs (and must read the request) only when this
    /// server may serve; otherwise the request is read and dropped.
    public func setVoter(endpoint: String, type: SocketType,
                         handler: @escaping (Reactor, Socket) throws -> Void) throws {
        precondition(voter == nil, "a Binary Star server has one voter")
        let socket = try context.socket(type)
        try socket.set(.linger, to: 0)
        try socket.bind(endpoint)
        voter = socket
        voterHandler = handler
        reactor.addReader(socket) { [unowned self] reactor in
            try voterReady(reactor, socket)
        }
    }

    /// Calls `handler` each time this server becomes active.
    public func onActive(_ handler: @escaping (Reactor) throws -> Void) {
        activeHandler = handler
    }

    /// Calls `handler` each time this server becomes passive.
    public func onPassive(_ handler: @escaping (Reactor) throws -> Void) {
        passiveHandler = handler
    }

    /// Runs the reactor until Ctrl-C, a handler stops it, or a fatal
    /// state (dual actives, dual passives) ends it. The peer counts as
    /// alive for its first timeout, so a primary that restarts does not
    /// serve while its backup may still be active.
    public func run() throws {
        precondition(voter != nil, "set a voter before running")
        machine.peerSeen(at: clockMilliseconds())
        try reactor.run()
    }

    // MARK: Reactor handlers

    private func sendState() throws {
        try statePublisher.send(String(machine.state.rawValue))
        if isVerbose { logLine("D: sent state \(machine.state)") }
    }

    private func receiveState(_ reactor: Reactor) throws {
        let frames = try stateSubscriber.receiveMultipart()
        guard frames.count == 1, let event = BinaryStarMachine.Event(stateMessage: frames[0]) else {
            printError("E: malformed state message from peer (\(frames.count) frames: \(frames.first.map { dumpLine(of: $0) } ?? "")), dropped")
            return
        }
        if isVerbose { logLine("D: peer is \(BinaryStarMachine.State(rawValue: event.rawValue).map { "\($0)" } ?? "?")") }
        machine.peerSeen(at: clockMilliseconds())
        try apply(event, reactor)
    }

    private func voterReady(_ reactor: Reactor, _ socket: Socket) throws {
        if try apply(.clientRequest, reactor) {
            try voterHandler?(reactor, socket)
        } else {
            // Nobody may answer it: read and drop the whole request
            _ = try socket.receiveMultipart()
        }
    }

    /// Runs the machine; true if the event is accepted.
    @discardableResult
    private func apply(_ event: BinaryStarMachine.Event, _ reactor: Reactor) throws -> Bool {
        let before = machine.state
        switch machine.handle(event, at: clockMilliseconds()) {
        case .accepted(let log):
            if let log { logLine(log) }
            if machine.state != before {
                if machine.state == .active { try activeHandler?(reactor) }
                if machine.state == .passive { try passiveHandler?(reactor) }
            }
            return true
        case .rejected:
            return false
        case .fatal(let log):
            logLine(log)
            reactor.stop()
            return false
        }
    }
}
