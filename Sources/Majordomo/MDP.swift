import ZHelpers

/// The Majordomo Protocol, MDP/0.1 (the guide's `mdp.h`): the protocol
/// headers, the five worker commands, the reliability settings the guide's
/// broker, worker and client share, and the building and checking of each
/// message shape. Nothing else in the project spells these bytes.
///
/// Frames on the wire (after the ROUTER identity at the broker):
/// - client request: `["", "MDPC01", service, body...]` (the empty frame is
///   added by a REQ socket, or by hand on a DEALER)
/// - broker reply to a client: `["", "MDPC01", service, body...]`
/// - worker to broker: `["", "MDPW01", command, ...]`: READY `[service]`,
///   REPLY `[client, "", body...]`, HEARTBEAT `[]`, DISCONNECT `[]`
/// - broker to worker: `["", "MDPW01", command, ...]`: REQUEST
///   `[client, "", body...]`, HEARTBEAT `[]`, DISCONNECT `[]`
public enum MDP {
    /// The header of every client message: MDP/Client version 0.1.
    public static let clientHeader: Frame = Array("MDPC01".utf8)
    /// The header of every worker message: MDP/Worker version 0.1.
    public static let workerHeader: Frame = Array("MDPW01".utf8)

    /// The worker commands, each one byte on the wire.
    public enum Command: UInt8, CaseIterable, Sendable {
        case ready = 1, request, reply, heartbeat, disconnect

        /// The command's frame: its single byte.
        public var frame: Frame { [rawValue] }

        /// The command's name, as the guide's verbose traces print it.
        public var name: String {
            switch self {
            case .ready: "READY"
            case .request: "REQUEST"
            case .reply: "REPLY"
            case .heartbeat: "HEARTBEAT"
            case .disconnect: "DISCONNECT"
            }
        }

        /// The command a frame holds, or nil when it is not exactly one known byte.
        public init?(frame: Frame) {
            guard frame.count == 1, let command = Command(rawValue: frame[0]) else { return nil }
            self = command
        }
    }

    /// Heartbeats a peer may miss before it is thought dead (3-5 is reasonable).
    public static let heartbeatLiveness = 3
    /// Milliseconds between heartbeats.
    public static let heartbeatInterval = 2500
    /// Milliseconds of silence after which the broker forgets a worker.
    public static let heartbeatExpiry = heartbeatInterval * heartbeatLiveness
    /// Milliseconds a worker waits before reconnecting to a silent broker.
    public static let reconnectDelay = 2500
    /// Milliseconds a client waits for a reply.
    public static let clientTimeout = 2500
    /// Attempts a synchronous client makes before it abandons a request.
    public static let clientRetries = 3

    /// The prefix of the broker's internal services (Majordomo Management Interface).
    public static let serviceManagementPrefix = "mmi."
    /// The management service that reports whether a service has a worker.
    public static let serviceLookup = "mmi.service"

    /// Whether `name` is reserved for the broker's management interface.
    public static func isManagementService(_ name: Frame) -> Bool {
        name.starts(with: serviceManagementPrefix.utf8)
    }

    // MARK: Building messages

    /// A client request as it leaves a REQ socket: `[MDPC01, service, body...]`.
    public static func clientRequest(service: String, body: ZMsg) -> ZMsg {
        var message = body
        message.push(service)
        message.push(clientHeader)
        return message
    }

    /// A worker's message to the broker as a DEALER sends it:
    /// `["", MDPW01, command, option?, body...]`.
    public static func workerMessage(_ command: Command, option: Frame? = nil, body: ZMsg = ZMsg()) -> ZMsg {
        var message = body
        if let option { message.push(option) }
        message.push(command.frame)
        message.push(workerHeader)
        message.push(Frame())
        return message
    }

    /// The broker's message to a worker, routed by the worker's identity:
    /// `[identity, "", MDPW01, command, body...]`.
    public static func brokerToWorker(_ identity: Frame, _ command: Command, body: ZMsg = ZMsg()) -> ZMsg {
        var message = body
        message.push(command.frame)
        message.push(workerHeader)
        message.wrap(identity)
        return message
    }

    /// The broker's reply to a client, routed by the client's identity:
    /// `[client, "", MDPC01, service, body...]`.
    public static func brokerToClient(_ client: Frame, service: Frame, body: ZMsg) -> ZMsg {
        var message = body
        message.push(service)
        message.push(clientHeader)
        message.wrap(client)
        return message
    }

    // MARK: Reading messages

    /// Why a message broke the protocol.
    public struct Violation: Error, Equatable, Sendable, CustomStringConvertible {
        /// One line saying what was wrong.
        public let description: String
        /// Creates a violation with its explanation.
        public init(_ description: String) { self.description = description }
    }

    /// A message the broker received on its ROUTER socket, checked.
    public enum BrokerInput: Equatable, Sendable {
        /// A client's request: the client's identity, the service, the body (at least one frame).
        case client(sender: Frame, service: Frame, body: ZMsg)
        /// A worker's command: the worker's identity, the command and what follows it.
        case worker(sender: Frame, command: Command, rest: ZMsg)

        /// Checks a message as the ROUTER delivers it: `[sender, "", header, ...]`.
        /// A worker's READY must name a service; a REPLY must carry a client envelope.
        public init(_ message: ZMsg) throws(Violation) {
            var message = message
            guard let sender = message.pop(), !sender.isEmpty else { throw Violation("empty message") }
            guard let empty = message.pop(), empty.isEmpty else { throw Violation("no empty delimiter frame") }
            guard let header = message.pop() else { throw Violation("no protocol header") }
            if header == MDP.clientHeader {
                guard let service = message.pop() else { throw Violation("client request without service") }
                guard !message.isEmpty else { throw Violation("client request without body") }
                self = .client(sender: sender, service: service, body: message)
            } else if header == MDP.workerHeader {
                guard let frame = message.pop() else { throw Violation("worker message without command") }
                guard let command = Command(frame: frame) else { throw Violation("unknown worker command") }
                switch command {
                case .ready:
                    guard message.first != nil else { throw Violation("READY without service") }
                case .reply:
                    guard message.count >= 2, message.frames[1].isEmpty else {
                        throw Violation("REPLY without client envelope")
                    }
                case .request:
                    throw Violation("REQUEST sent by a worker")
                case .heartbeat, .disconnect:
                    break
                }
                self = .worker(sender: sender, command: command, rest: message)
            } else {
                throw Violation("invalid header")
            }
        }
    }

    /// A message a worker received from the broker, checked.
    public enum WorkerInput: Equatable, Sendable {
        /// A request: the client's identity to reply to and the body.
        case request(replyTo: Frame, body: ZMsg)
        /// The broker is alive.
        case heartbeat
        /// The broker asks the worker to reconnect.
        case disconnect

        /// Checks a message as a DEALER delivers it: `["", MDPW01, command, ...]`.
        public init(_ message: ZMsg) throws(Violation) {
            var message = message
            guard message.count >= 3 else { throw Violation("too few frames") }
            guard message.pop() == [] else { throw Violation("no empty delimiter frame") }
            guard message.pop() == MDP.workerHeader else { throw Violation("invalid header") }
            guard let frame = message.pop(), let command = Command(frame: frame) else {
                throw Violation("unknown command")
            }
            switch command {
            case .request:
                guard let client = message.unwrap(), !client.isEmpty else { throw Violation("REQUEST without client envelope") }
                self = .request(replyTo: client, body: message)
            case .heartbeat: self = .heartbeat
            case .disconnect: self = .disconnect
            case .ready, .reply: throw Violation("\(command.name) sent by the broker")
            }
        }
    }

    /// Checks a reply as a REQ socket delivers it, `[MDPC01, service, body...]`,
    /// and returns the body. `service`, when given, must match.
    public static func clientReply(_ message: ZMsg, service: String? = nil) throws(Violation) -> ZMsg {
        var message = message
        guard message.count >= 3 else { throw Violation("too few frames") }
        guard message.pop() == clientHeader else { throw Violation("invalid header") }
        let replyService = message.pop()
        if let service, replyService != Array(service.utf8) { throw Violation("reply from another service") }
        return message
    }
}
