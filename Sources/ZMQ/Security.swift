#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibZMQ

/// Z85, ØMQ's printable encoding of binary keys (RFC 32): every 4 bytes
/// become 5 characters, so a 32-byte CURVE key is 40 characters of text.
public enum Z85 {
    /// The Z85 text of `bytes`, or nil when their count is not a multiple of 4.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var text = [CChar](repeating: 0, count: bytes.count * 5 / 4 + 1)
        let done = text.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { zmq_z85_encode(out.baseAddress, $0.baseAddress, bytes.count) }
        }
        guard done != nil else { return nil }
        return String(decoding: text.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The bytes that `text` encodes, or nil when it is not valid Z85 (its
    /// length is not a multiple of 5, or it holds a character outside the alphabet).
    public static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 5 == 0,
              characters.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x27 && $0 != 0x2C && $0 != 0x3B && $0 != 0x5C && $0 != 0x5F && $0 != 0x60 && $0 != 0x7C && $0 != 0x7E })
        else { return nil }
        // Empty text is no bytes (libzmq would be handed no buffer and fail)
        guard !characters.isEmpty else { return [] }
        var bytes = [UInt8](repeating: 0, count: characters.count * 4 / 5)
        let cString = characters.map { CChar(bitPattern: $0) } + [0]
        let done = bytes.withUnsafeMutableBufferPointer { out in
            cString.withUnsafeBufferPointer { zmq_z85_decode(out.baseAddress, $0.baseAddress) }
        }
        return done == nil ? nil : bytes
    }
}

/// CURVE key pairs (`zmq_curve_keypair`), as the 40-character Z85 text that
/// the CURVE socket options take.
public struct CurveKeyPair: Sendable, Equatable {
    /// The public key, Z85 text: give it to peers.
    public let publicKey: String
    /// The secret key, Z85 text: keep it.
    public let secretKey: String

    /// Makes a new random key pair. Throws `ENOTSUP` when libzmq was built without CURVE.
    public init() throws(ZMQError) {
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        try check(zmq_curve_keypair(&publicText, &secretText), "make a CURVE key pair")
        publicKey = keyText(publicText)
        secretKey = keyText(secretText)
    }

    /// A key pair from its secret key (`zmq_curve_public` derives the public
    /// key); throws `EINVAL` when `secretKey` is not 40 characters of Z85.
    public init(secretKey: String) throws(ZMQError) {
        guard secretKey.utf8.count == 40, Z85.decode(secretKey) != nil else {
            throw ZMQError(code: EINVAL, operation: "read a CURVE secret key")
        }
        var publicText = [CChar](repeating: 0, count: 41)
        try check(zmq_curve_public(&publicText, secretKey), "derive a CURVE public key")
        publicKey = keyText(publicText)
        self.secretKey = secretKey
    }
}

/// The text of a NUL-terminated key buffer that libzmq filled.
private func keyText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension SocketOption where Value == Bool {
    /// This socket is a PLAIN server: it asks peers for a user name and password (`ZMQ_PLAIN_SERVER`).
    public static var plainServer: Self { .init(code: ZMQ_PLAIN_SERVER, name: "plain server") }
    /// This socket is a CURVE server: it holds the long-term secret key peers must know the public half of (`ZMQ_CURVE_SERVER`).
    public static var curveServer: Self { .init(code: ZMQ_CURVE_SERVER, name: "curve server") }
}

extension SocketOption where Value == String {
    /// The user name a PLAIN client presents (`ZMQ_PLAIN_USERNAME`).
    public static var plainUsername: Self { .init(code: ZMQ_PLAIN_USERNAME, name: "plain username") }
    /// The password a PLAIN client presents (`ZMQ_PLAIN_PASSWORD`).
    public static var plainPassword: Self { .init(code: ZMQ_PLAIN_PASSWORD, name: "plain password") }
    /// This socket's long-term CURVE public key, Z85 text (`ZMQ_CURVE_PUBLICKEY`).
    public static var curvePublicKey: Self { .init(code: ZMQ_CURVE_PUBLICKEY, name: "curve public key") }
    /// This socket's long-term CURVE secret key, Z85 text (`ZMQ_CURVE_SECRETKEY`).
    public static var curveSecretKey: Self { .init(code: ZMQ_CURVE_SECRETKEY, name: "curve secret key") }
    /// The public key of the CURVE server a client connects to, Z85 text (`ZMQ_CURVE_SERVERKEY`).
    public static var curveServerKey: Self { .init(code: ZMQ_CURVE_SERVERKEY, name: "curve server key") }
    /// The authentication domain this socket's peers are checked in by the ZAP handler (`ZMQ_ZAP_DOMAIN`).
    public static var zapDomain: Self { .init(code: ZMQ_ZAP_DOMAIN, name: "zap domain") }
}

extension Socket {
    /// Makes this socket a CURVE server with `keys` (its own long-term key pair).
    public func makeCurveServer(keys: CurveKeyPair) throws(ZMQError) {
        try set(.curveServer, to: true)
        try set(.curveSecretKey, to: keys.secretKey)
    }

    /// Makes this socket a CURVE client of the server whose public key is
    /// `serverKey`, presenting `keys` as its own long-term key pair.
    public func makeCurveClient(keys: CurveKeyPair, serverKey: String) throws(ZMQError) {
        try set(.curvePublicKey, to: keys.publicKey)
        try set(.curveSecretKey, to: keys.secretKey)
        try set(.curveServerKey, to: serverKey)
    }
}
