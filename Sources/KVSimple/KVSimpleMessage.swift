// kvsimple: the key-value message of Clone models 1 to 3 (chapter 5).
//
// On the wire a message is three frames, exactly as the C class sends them:
//   0. the key, a short string
//   1. the sequence number, 8 bytes, most significant byte first
//   2. the body, any bytes
import ZMQ

/// One key-value update of the Clone models 1 to 3 (the guide's `kvsimple`
/// class): a key, a sequence number and a body, sent as three frames.
public struct KVSimpleMessage: Equatable, Sendable, CustomStringConvertible {
    /// The key; the Clone examples use short decimal strings such as `"4242"`.
    public var key: String
    /// The update's number in the server's sequence (0 for a client's update).
    public var sequence: Int64
    /// The value, any bytes.
    public var body: [UInt8]

    /// A message with `key`, `sequence` and `body`.
    public init(key: String, sequence: Int64, body: [UInt8] = []) {
        self.key = key
        self.sequence = sequence
        self.body = body
    }

    /// A message whose body is the UTF-8 bytes of `body`.
    public init(key: String, sequence: Int64, body: String) {
        self.init(key: key, sequence: sequence, body: Array(body.utf8))
    }

    /// Decodes the three frames of a received message.
    /// - Throws: ``KVSimpleError`` when there are not exactly three frames or
    ///   the sequence frame is not 8 bytes long.
    public init(frames: [[UInt8]]) throws(KVSimpleError) {
        guard frames.count == 3 else { throw .frameCount(frames.count) }
        let sequenceFrame = frames[1]
        guard sequenceFrame.count == 8 else { throw .sequenceSize(sequenceFrame.count) }
        var sequence: UInt64 = 0
        for byte in sequenceFrame { sequence = sequence << 8 | UInt64(byte) }
        self.init(key: String(decoding: frames[0], as: UTF8.self),
                  sequence: Int64(bitPattern: sequence), body: frames[2])
    }

    /// The body as text (UTF-8).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The sequence number as its 8 bytes on the wire, most significant first.
    public static func sequenceBytes(_ sequence: Int64) -> [UInt8] {
        let value = UInt64(bitPattern: sequence)
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// The three frames this message is sent as.
    public var frames: [[UInt8]] {
        [Array(key.utf8), Self.sequenceBytes(sequence), body]
    }

    /// Sends the message as three frames (`kvmsg_send`). With `.more` in
    /// `flags`, the last frame is sent with more to follow too.
    public func send(to socket: Socket, flags: SendFlags = []) throws(ZMQError) {
        try socket.send(Array(key.utf8), flags: flags.union(.more))
        try socket.send(Self.sequenceBytes(sequence), flags: flags.union(.more))
        try socket.send(body, flags: flags)
    }

    /// Receives the next message from `socket` (`kvmsg_recv`): every frame of
    /// it, decoded. A malformed message is consumed whole and returned as
    /// a failure, so the caller can log it and go on.
    public static func receive(from socket: Socket) throws(ZMQError) -> Result<KVSimpleMessage, KVSimpleError> {
        let frames = try socket.receiveMultipart()
        do throws(KVSimpleError) {
            return .success(try KVSimpleMessage(frames: frames))
        } catch {
            return .failure(error)
        }
    }

    /// Stores the message in `map` under its key (`kvmsg_store`).
    public func store(in map: inout [String: KVSimpleMessage]) {
        map[key] = self
    }

    /// The guide's `kvmsg_dump` line: `[seq:1][key:4242][size:6] 313233343536`.
    public var description: String {
        let hex = body.map { byte -> String in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        return "[seq:\(sequence)][key:\(key)][size:\(body.count)] \(hex)"
    }
}

/// Why received frames are not a kvsimple message.
public enum KVSimpleError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message had this many frames instead of three.
    case frameCount(Int)
    /// The sequence frame had this many bytes instead of eight.
    case sequenceSize(Int)

    public var description: String {
        switch self {
        case .frameCount(let count): "\(count) frames instead of 3 (key, sequence, body)"
        case .sequenceSize(let size): "a sequence of \(size) bytes instead of 8"
        }
    }
}

/// A digest of a whole key-value map, to compare the maps of two programs
/// (a server's and a client's) by one line.
///
/// It is the 64-bit FNV-1a hash of every entry in the byte order of the
/// keys, each entry as its key's bytes, a zero byte, its body, a zero byte.
/// The sequence numbers are left out: a client's copy of a value carries
/// the sequence it arrived with, the server's may differ (model 3).
public func mapDigest(_ map: [String: KVSimpleMessage]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ byte: UInt8) {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    let keys = map.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
    for key in keys {
        guard let entry = map[String(decoding: key, as: UTF8.self)] else { continue }
        key.forEach(mix); mix(0)
        entry.body.forEach(mix); mix(0)
    }
    return hash
}

/// The line the Clone examples print with `--digest` when they end:
/// `I: map size=N digest=0123456789ABCDEF`.
public func mapDigestLine(_ map: [String: KVSimpleMessage]) -> String {
    let digits = String(mapDigest(map), radix: 16, uppercase: true)
    return "I: map size=\(map.count) digest=" + String(repeating: "0", count: 16 - digits.count) + digits
}
