import ZMQ

// Reading what a peer sent, whole, and taking it apart without trusting it.
//
// A peer decides how many frames a message has. A REP server that reads one
// frame of a two-frame request and answers leaves the rest unread, and its
// reply is refused (EFSM: the REP socket still owes a receive); a broker that
// indexes frames[2] of a one-frame message crashes. The helpers here read
// the whole message and check its shape, so an example drops what is
// malformed with one line on standard error and keeps serving.

extension Socket {
    /// Receives the whole of the next message, a request on a REP socket or
    /// a reply on a REQ socket, and returns its first frame as text (UTF-8;
    /// invalid bytes are replaced).
    ///
    /// The guide's servers expect one frame; a peer may send more (a DEALER
    /// can send anything). Reading them all keeps the socket's send/receive
    /// order, so the reply that follows is always allowed; the extra frames
    /// are discarded.
    public func receiveWholeString() throws(ZMQError) -> String {
        let frames = try receiveMultipart()
        return frames.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// A message as a ROUTER socket receives it, taken apart: the reply envelope
/// (the routing identities, up to the empty delimiter frame) and the body
/// (the frames after the delimiter).
///
/// `[client, "", "HELLO"]` has the envelope `[client]` and the body `["HELLO"]`;
/// a message routed through two ROUTERs has two identities in its envelope.
public struct Envelope: Equatable, Sendable {
    /// The routing identities, outermost first.
    public var addresses: [Frame]
    /// The frames after the empty delimiter.
    public var body: [Frame]

    /// Creates an envelope from its parts.
    public init(addresses: [Frame], body: [Frame]) {
        self.addresses = addresses
        self.body = body
    }

    /// Splits `frames` at the first empty frame after at least one address.
    /// Nil when there is no address, no delimiter, or more than
    /// `maxAddresses` addresses (a hostile peer's endless envelope).
    public init?(parsing frames: [Frame], maxAddresses: Int = 8) {
        guard let delimiter = frames.firstIndex(where: { $0.isEmpty }),
              delimiter > 0, delimiter <= maxAddresses else { return nil }
        addresses = Array(frames[..<delimiter])
        body = Array(frames[(delimiter + 1)...])
    }

    /// The frames on the wire: addresses, the empty delimiter, the body.
    public var frames: [Frame] { addresses + [[]] + body }
}

extension ZMsg {
    /// Takes the message apart into its envelope and body (see ``Envelope``).
    /// Nil when it has no well-formed envelope.
    public var envelope: Envelope? { Envelope(parsing: frames) }
}

/// What a worker sent to a load-balancing broker's backend ROUTER, taken
/// apart: `[worker, "", READY]` says the worker is free; `[worker, "",
/// client, "", reply...]` is a reply to route back to the client, and frees
/// the worker too.
public struct WorkerMessage: Equatable, Sendable {
    /// The worker's identity: the one address of the outer envelope.
    public var worker: Frame
    /// The reply to route to the client, its envelope first; nil for READY
    /// and for a malformed reply.
    public var reply: ZMsg?
    /// Whether the body was neither READY nor a reply with a client envelope
    /// (the worker answered a malformed request, say). The worker is still
    /// free again; the reply has nowhere to go.
    public var isMalformedReply: Bool

    /// Parses a message received on the backend ROUTER. Nil when it cannot
    /// come from a worker: the outer envelope is not exactly one address and
    /// a delimiter, or nothing follows it.
    public init?(parsing frames: [Frame], ready: Frame) {
        guard let outer = Envelope(parsing: frames, maxAddresses: 1), !outer.body.isEmpty else { return nil }
        worker = outer.addresses[0]
        if outer.body == [ready] {
            reply = nil
            isMalformedReply = false
        } else if Envelope(parsing: outer.body) != nil {
            reply = ZMsg(outer.body)
            isMalformedReply = false
        } else {
            reply = nil
            isMalformedReply = true
        }
    }
}
