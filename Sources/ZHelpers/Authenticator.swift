import Foundation
import ZMQ

/// One ZAP request (RFC 27), the question libzmq asks the authentication
/// handler about each new peer of a socket that has security on.
public struct ZAPRequest: Equatable, Sendable {
    /// The protocol version; "1.0".
    public var version: String
    /// libzmq's id for the request, echoed in the reply.
    public var requestID: [UInt8]
    /// The socket's ZAP domain (``ZMQ/SocketOption/zapDomain``), often empty.
    public var domain: String
    /// The peer's IP address, as text.
    public var address: String
    /// The peer's routing id, when it set one.
    public var routingID: [UInt8]
    /// "NULL", "PLAIN" or "CURVE".
    public var mechanism: String
    /// PLAIN: user name and password; CURVE: the client's 32-byte public key.
    public var credentials: [[UInt8]]

    /// Reads a request from its frames; nil unless it has the six frames
    /// every request has, version "1.0", and the credentials its mechanism needs.
    public init?(frames: [[UInt8]]) {
        guard frames.count >= 6 else { return nil }
        version = String(decoding: frames[0], as: UTF8.self)
        requestID = frames[1]
        domain = String(decoding: frames[2], as: UTF8.self)
        address = String(decoding: frames[3], as: UTF8.self)
        routingID = frames[4]
        mechanism = String(decoding: frames[5], as: UTF8.self)
        credentials = Array(frames.dropFirst(6))
        guard version == "1.0" else { return nil }
        switch mechanism {
        case "NULL": guard credentials.isEmpty else { return nil }
        case "PLAIN": guard credentials.count == 2 else { return nil }
        case "CURVE": guard credentials.count == 1, credentials[0].count == 32 else { return nil }
        default: return nil
        }
    }
}

/// What the ``Authenticator`` allows: its decisions, apart from the thread
/// and sockets, so they can be tested on their own.
public struct AuthenticationPolicy: Sendable {
    /// Addresses allowed; when any are listed, every other address is refused.
    public var allowed: Set<String> = []
    /// Addresses refused (used only while ``allowed`` is empty).
    public var denied: Set<String> = []
    /// PLAIN user names and their passwords; nil refuses every PLAIN peer.
    public var passwords: [String: String]?
    /// CURVE: nil refuses every CURVE peer; ``Authenticator/anyCurveKey``
    /// allows any; otherwise a directory of public certificates to allow.
    public var curveLocation: String?

    public init() {}

    /// Whether `request`'s peer may talk to the socket, why, and the user id
    /// to give it.
    public func decide(_ request: ZAPRequest) -> (allowed: Bool, reason: String, userID: String) {
        if !allowed.isEmpty, !allowed.contains(request.address) {
            return (false, "address not in the allow list", "")
        }
        if allowed.isEmpty, denied.contains(request.address) {
            return (false, "address in the deny list", "")
        }
        switch request.mechanism {
        case "NULL":
            return (true, "NULL mechanism", "")
        case "PLAIN":
            let user = String(decoding: request.credentials[0], as: UTF8.self)
            let password = String(decoding: request.credentials[1], as: UTF8.self)
            guard let passwords else { return (false, "PLAIN is not configured", "") }
            guard passwords[user] == password else { return (false, "wrong user name or password for \(user)", "") }
            return (true, "password of \(user)", user)
        case "CURVE":
            guard let key = Z85.encode(request.credentials[0]) else { return (false, "malformed key", "") }
            guard let curveLocation else { return (false, "CURVE is not configured", "") }
            if curveLocation == Authenticator.anyCurveKey { return (true, "any CURVE key allowed", key) }
            guard Certificate.publicKeys(inDirectory: curveLocation).contains(key) else {
                return (false, "key \(key) not in \(curveLocation)", "")
            }
            return (true, "key \(key) is known", key)
        default:
            return (false, "unknown mechanism", "")
        }
    }

    /// Reads a passwords file: one `name=password` a line; blank lines and
    /// lines starting with `#` are skipped.
    public static func loadPasswords(from path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var passwords: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            passwords[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return passwords
    }
}

/// An authentication handler for every socket of a context (the role of
/// CZMQ's zauth): a thread that answers libzmq's ZAP requests on
/// `inproc://zeromq.zap.01` by an ``AuthenticationPolicy``.
///
/// Start it before binding the sockets it guards; each method returns once
/// the thread has applied the change.
///
/// ```swift
/// let auth = try Authenticator(context: context, verbose: true)
/// try auth.allow("127.0.0.1")
/// try auth.configureCurve(location: ".curve")
/// ```
public final class Authenticator {
    /// The ``configureCurve(location:)`` location that allows any client key.
    public static let anyCurveKey = "*"
    /// Where libzmq sends its ZAP requests.
    public static let endpoint = "inproc://zeromq.zap.01"

    private let actor: ZActor

    /// Starts the handler. With `verbose`, it prints a line for each peer
    /// it allows or refuses.
    public init(context: Context, verbose: Bool = false) throws {
        actor = try ZActor(context) { context, pipe in
            try Self.serve(context: context, pipe: pipe, verbose: verbose)
        }
        guard try actor.pipe.receiveString() == "READY" else {
            throw ZMQError(code: EPROTO, operation: "start the authenticator")
        }
    }

    deinit { actor.stop() }

    /// Allows only these addresses (and any added later); all others are refused.
    public func allow(_ addresses: String...) throws { try command(["ALLOW"] + addresses) }
    /// Refuses these addresses (while no address is allowed explicitly).
    public func deny(_ addresses: String...) throws { try command(["DENY"] + addresses) }
    /// Checks PLAIN peers against a passwords file of `name=password` lines.
    public func configurePlain(passwordsFile: String) throws { try command(["PLAIN", passwordsFile]) }
    /// Checks CURVE peers against the public certificates in the directory
    /// `location` (read at each request), or allows any with ``anyCurveKey``.
    public func configureCurve(location: String) throws { try command(["CURVE", location]) }

    /// Ends the handler thread; sockets that still need it then refuse new peers.
    public func stop() { actor.stop() }

    private func command(_ frames: [String]) throws {
        try actor.pipe.send(multipart: frames.map { Array($0.utf8) })
        let answer = try actor.pipe.receiveString()
        guard answer == "OK" else { throw ZMQError(code: EINVAL, operation: "authenticator: \(answer)") }
    }

    private static func serve(context: Context, pipe: Socket, verbose: Bool) throws {
        let handler = try context.socket(.rep)
        try handler.set(.linger, to: 0)
        try handler.bind(endpoint)
        try pipe.send("READY")
        var policy = AuthenticationPolicy()
        var poller = Poller()
        let pipeItem = poller.add(pipe)
        let handlerItem = poller.add(handler)
        while true {
            try poller.poll()
            if poller.isReadable(pipeItem) {
                let frames = try pipe.receiveMultipart().map { String(decoding: $0, as: UTF8.self) }
                guard let name = frames.first, name != ZActor.terminate else { return }
                try pipe.send(apply(name, Array(frames.dropFirst()), to: &policy))
            }
            if poller.isReadable(handlerItem) {
                let frames = try handler.receiveMultipart()
                guard let request = ZAPRequest(frames: frames) else {
                    printError("E: ZAP: malformed request of \(frames.count) frames, refused")
                    let id = frames.count > 1 ? frames[1] : []
                    try handler.send(multipart: [Array("1.0".utf8), id, Array("400".utf8), Array("malformed request".utf8), [], []])
                    continue
                }
                let decision = policy.decide(request)
                if verbose {
                    print("I: ZAP: \(decision.allowed ? "allowed" : "denied") \(request.address) (\(request.mechanism)): \(decision.reason)")
                }
                try handler.send(multipart: [
                    Array("1.0".utf8), request.requestID,
                    Array((decision.allowed ? "200" : "400").utf8), Array((decision.allowed ? "OK" : decision.reason).utf8),
                    Array(decision.userID.utf8), [],
                ])
            }
        }
    }

    /// Applies one command to the policy; the answer for the pipe.
    private static func apply(_ name: String, _ arguments: [String], to policy: inout AuthenticationPolicy) -> String {
        switch name {
        case "ALLOW": policy.allowed.formUnion(arguments)
        case "DENY": policy.denied.formUnion(arguments)
        case "PLAIN":
            guard let path = arguments.first, let passwords = try? AuthenticationPolicy.loadPasswords(from: path) else {
                return "cannot read passwords file \(arguments.first ?? "")"
            }
            policy.passwords = passwords
        case "CURVE":
            guard let location = arguments.first else { return "CURVE needs a location" }
            policy.curveLocation = location
        default:
            return "unknown command \(name)"
        }
        return "OK"
    }
}
