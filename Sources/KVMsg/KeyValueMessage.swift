// kvmsg: the key-value message of Clone models 4 to 6 (chapter 5).
//
// On the wire a message is five frames, exactly as the C class sends them:
//   0. the key, a short string
//   1. the sequence number, 8 bytes, most significant byte first
//   2. the UUID of the update, 16 bytes (empty when not set)
//   3. the properties, "name=value\n" lines (empty when none)
//   4. the body, any bytes; an empty body deletes the key
// Model 4 of the guide still sends the three frames of kvsimple (key,
// sequence, body): it uses the KVSimple library.
import Foundation
import ZMQ

/// Why received frames are not a key-value message.
public enum KVMsgError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not the five frames of a kvmsg.
    case frameCount(Int)
    /// The sequence frame is not 8 bytes long.
    case sequenceSize(Int)
    /// The UUID frame is neither empty nor 16 bytes long.
    case uuidSize(Int)
    /// The properties frame is not "name=value\n" lines of UTF-8 text.
    case properties

    public var description: String {
        switch self {
        case .frameCount(let count): "\(count) frames"
        case .sequenceSize(let size): "sequence of \(size) bytes, not 8"
        case .uuidSize(let size): "UUID of \(size) bytes, not 16"
        case .properties: "properties are not name=value lines"
        }
    }
}

/// One key-value update of the Clone models 4 to 6 (the guide's `kvmsg`
/// class): a key, a sequence number, a UUID, properties and a body.
public struct KeyValueMessage: Equatable, Sendable, CustomStringConvertible {
    /// One "name=value" property.
    public struct Property: Equatable, Sendable {
        /// The name, without "=" or newline.
        public var name: String
        /// The value, without newline.
        public var value: String

        /// A property `name`=`value`.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The number of frames of a kvmsg on the wire.
    public static let frameCount = 5

    /// The key, such as "/client/4242".
    public var key: String
    /// The update's number in the server's sequence (0 for a client's update).
    public var sequence: Int64
    /// The update's UUID: 16 bytes, or empty when it has none.
    public var uuid: [UInt8]
    /// The properties, in the order they were set.
    public private(set) var properties: [Property]
    /// The value; an empty body means "delete this key".
    public var body: [UInt8]

    /// A message with `key`, `sequence` and `body`, no UUID and no properties.
    public init(key: String = "", sequence: Int64 = 0, body: [UInt8] = []) {
        self.key = key
        self.sequence = sequence
        self.uuid = []
        self.properties = []
        self.body = body
    }

    /// A message whose body is the UTF-8 bytes of `body`.
    public init(key: String, sequence: Int64 = 0, body: String) {
        self.init(key: key, sequence: sequence, body: Array(body.utf8))
    }

    /// Decodes the five frames of a received message.
    /// - Throws: ``KVMsgError`` when the frames are not a kvmsg.
    public init(frames: [[UInt8]]) throws(KVMsgError) {
        guard frames.count == Self.frameCount else { throw .frameCount(frames.count) }
        guard frames[2].isEmpty || frames[2].count == 16 else { throw .uuidSize(frames[2].count) }
        self.init(key: String(decoding: frames[0], as: UTF8.self),
                  sequence: try Self.sequence(of: frames[1]), body: frames[4])
        uuid = frames[2]
        properties = try Self.decodeProperties(frames[3])
    }

    /// The five frames this message is sent as.
    public var frames: [[UInt8]] {
        [Array(key.utf8), Self.sequenceBytes(sequence), uuid, encodedProperties, body]
    }

    /// The body as text (UTF-8).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Sets the body to the UTF-8 bytes of `text`.
    public mutating func setBody(_ text: String) { body = Array(text.utf8) }

    // MARK: Sequence numbers

    /// The sequence number as its 8 bytes on the wire, most significant first.
    public static func sequenceBytes(_ sequence: Int64) -> [UInt8] {
        let value = UInt64(bitPattern: sequence)
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// The sequence number that 8 bytes on the wire hold.
    public static func sequence(of bytes: [UInt8]) throws(KVMsgError) -> Int64 {
        guard bytes.count == 8 else { throw .sequenceSize(bytes.count) }
        return Int64(bitPattern: bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    // MARK: UUID

    /// Gives the message a new random UUID (`kvmsg_set_uuid`).
    public mutating func setUUID() {
        let value = UUID().uuid
        uuid = withUnsafeBytes(of: value) { Array($0) }
    }

    // MARK: Properties

    /// The value of property `name`, or "" when it has none (`kvmsg_get_prop`).
    public func property(_ name: String) -> String {
        properties.first { $0.name == name }?.value ?? ""
    }

    /// Sets property `name` to `value`, replacing an earlier value
    /// (`kvmsg_set_prop`). A name with "=" or a newline, or a value with a
    /// newline, could not be read back: such characters are dropped.
    public mutating func setProperty(_ name: String, to value: String) {
        // By scalar: "\r\n" and "=" with a combining mark are single Characters
        let name = String(String.UnicodeScalarView(name.unicodeScalars.filter { $0 != "=" && $0 != "\n" }))
        let value = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\n" }))
        properties.removeAll { $0.name == name }
        properties.append(Property(name: name, value: value))
    }

    /// The properties frame: each property as a "name=value\n" line.
    public var encodedProperties: [UInt8] {
        Array(properties.map { "\($0.name)=\($0.value)\n" }.joined().utf8)
    }

    /// The properties a frame holds.
    /// - Throws: ``KVMsgError/properties`` unless the frame is UTF-8 lines,
    ///   each ending in a newline and holding a non-empty name, "=" and a value.
    public static func decodeProperties(_ frame: [UInt8]) throws(KVMsgError) -> [Property] {
        guard !frame.isEmpty else { return [] }
        guard frame.last == UInt8(ascii: "\n"), String(validating: frame, as: UTF8.self) != nil else {
            throw .properties
        }
        // Split on the bytes, not on Characters: "\r\n" is one Character, so
        // a text split would hide a newline inside a value.
        var properties: [Property] = []
        for line in frame.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")), equals != line.startIndex else { throw .properties }
            properties.append(Property(name: String(decoding: line[..<equals], as: UTF8.self),
                                       value: String(decoding: line[(equals + 1)...], as: UTF8.self)))
        }
        return properties
    }

    // MARK: Time to live

    /// The "ttl" property as a number: seconds to live in a client's update,
    /// the absolute expiry time (milliseconds, ``clockMilliseconds()``'s
    /// clock) once the server has stored it; 0 when absent or not a number,
    /// as C's atoi reads it.
    public var ttl: Int64 { Int64(property("ttl")) ?? 0 }

    /// Turns a relative "ttl" in seconds into the absolute time it expires,
    /// counted from `now` in milliseconds, as the server does before storing
    /// an update. A message with no TTL is left unchanged.
    public mutating func makeTTLAbsolute(now: Int64) {
        let seconds = ttl
        guard seconds != 0 else { return }
        // A peer's TTL may be any number: saturate rather than overflow
        let (milliseconds, overflowed) = seconds.multipliedReportingOverflow(by: 1000)
        let span = overflowed ? (seconds > 0 ? Int64.max : Int64.min) : milliseconds
        let (expiry, past) = now.addingReportingOverflow(span)
        setProperty("ttl", to: String(past ? (span > 0 ? Int64.max : Int64.min) : expiry))
    }

    /// Whether the message has an absolute TTL that has passed at `now`.
    public func hasExpired(now: Int64) -> Bool {
        let expiry = ttl
        return expiry != 0 && now >= expiry
    }

    // MARK: Sending, receiving, storing

    /// Sends the message as five frames (`kvmsg_send`). With `.more` in
    /// `flags`, the last frame is sent with more to follow too.
    public func send(to socket: Socket, flags: SendFlags = []) throws(ZMQError) {
        try socket.send(multipart: frames, flags: flags)
    }

    /// Receives the next message from `socket` (`kvmsg_recv`): every frame of
    /// it, decoded. A malformed message is consumed whole and returned as a
    /// failure, so the caller can log it and go on.
    public static func receive(from socket: Socket) throws(ZMQError) -> Result<KeyValueMessage, KVMsgError> {
        let frames = try socket.receiveMultipart()
        do throws(KVMsgError) {
            return .success(try KeyValueMessage(frames: frames))
        } catch {
            return .failure(error)
        }
    }

    /// Stores the message in `map` under its key, or removes the key when
    /// the body is empty (`kvmsg_store`).
    public func store(in map: inout [String: KeyValueMessage]) {
        map[key] = body.isEmpty ? nil : self
    }

    /// Whether the key starts with `subtree` (every key is in subtree "").
    public func isInSubtree(_ subtree: String) -> Bool {
        key.utf8.starts(with: subtree.utf8)
    }

    /// One line as `kvmsg_dump` prints it: sequence, key, size, properties,
    /// then the body in hexadecimal.
    public var description: String {
        var line = "[seq:\(sequence)][key:\(key)][size:\(body.count)] "
        if !properties.isEmpty {
            line += "[" + properties.map { "\($0.name)=\($0.value);" }.joined() + "]"
        }
        return line + body.map { String(format: "%02X", $0) }.joined()
    }
}

/// One line that sums up a map, to compare two processes' maps: its size
/// and a 64-bit FNV-1a hash of its entries in byte order of the keys, each
/// as key, a zero byte, body, a zero byte ("I: map size=3
/// digest=0123456789ABCDEF"), as every Clone model prints it with
/// `--digest` (KVSimple's `mapDigestLine` computes the same for models 1
/// to 4). The scenario tests compute the same hash in Python.
public func mapDigestLine(_ map: [String: KeyValueMessage]) -> String {
    mapDigestLine(values: map.mapValues(\.body))
}

/// ``mapDigestLine(_:)`` of a map of text values, such as
/// `CloneClient.map()` returns.
public func mapDigestLine(_ map: [String: String]) -> String {
    mapDigestLine(values: map.mapValues { Array($0.utf8) })
}

private func mapDigestLine(values map: [String: [UInt8]]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for key in map.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
        let entry = Array(key.utf8) + [0] + (map[key] ?? []) + [0]
        for byte in entry {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
    }
    return "I: map size=\(map.count) digest=" + String(format: "%016llX", hash)
}
