import CLibZMQ

/// The type of a socket, which fixes its messaging pattern.
public enum SocketType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case pair, pub, sub, req, rep, dealer, router, pull, push, xpub, xsub, stream

    /// The libzmq constant for this type.
    public var rawValue: Int32 {
        switch self {
        case .pair: ZMQ_PAIR
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .pull: ZMQ_PULL
        case .push: ZMQ_PUSH
        case .xpub: ZMQ_XPUB
        case .xsub: ZMQ_XSUB
        case .stream: ZMQ_STREAM
        }
    }

    /// The type for a libzmq constant, if it names one.
    public init?(rawValue: Int32) {
        guard let type = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = type
    }

    /// The name libzmq's documentation uses, such as `ROUTER`.
    public var description: String {
        switch self {
        case .pair: "PAIR"
        case .pub: "PUB"
        case .sub: "SUB"
        case .req: "REQ"
        case .rep: "REP"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        case .pull: "PULL"
        case .push: "PUSH"
        case .xpub: "XPUB"
        case .xsub: "XSUB"
        case .stream: "STREAM"
        }
    }
}

/// Flags for a send call.
public struct SendFlags: OptionSet, Sendable {
    /// The libzmq flag bits (`ZMQ_SNDMORE`, `ZMQ_DONTWAIT`).
    public let rawValue: Int32
    /// Flags from libzmq's bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// More frames of the same message follow (`ZMQ_SNDMORE`).
    public static let more = SendFlags(rawValue: ZMQ_SNDMORE)
    /// Fail with ``ZMQError/again`` rather than block (`ZMQ_DONTWAIT`).
    public static let dontWait = SendFlags(rawValue: ZMQ_DONTWAIT)
}

/// Flags for a receive call.
public struct ReceiveFlags: OptionSet, Sendable {
    /// The libzmq flag bits (`ZMQ_DONTWAIT`).
    public let rawValue: Int32
    /// Flags from libzmq's bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// Fail with ``ZMQError/again`` when no message is waiting (`ZMQ_DONTWAIT`).
    public static let dontWait = ReceiveFlags(rawValue: ZMQ_DONTWAIT)
}

/// The readiness a poller waits for, or a socket reports in ``Socket/events``.
public struct PollEvents: OptionSet, Sendable, Hashable {
    /// The libzmq event bits (`ZMQ_POLLIN`, `ZMQ_POLLOUT`, `ZMQ_POLLERR`).
    public let rawValue: Int16
    /// Events from libzmq's bits.
    public init(rawValue: Int16) { self.rawValue = rawValue }
    /// A message can be received without blocking (`ZMQ_POLLIN`).
    public static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// A message can be sent without blocking (`ZMQ_POLLOUT`).
    public static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
    /// An error condition on a file descriptor (`ZMQ_POLLERR`).
    public static let error = PollEvents(rawValue: Int16(ZMQ_POLLERR))
}
