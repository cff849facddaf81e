import Foundation

/// A value of a tnetstring (Mongrel2's "typed netstring": `LENGTH:DATA` and
/// a type character), the encoding Mongrel2 uses on its handler sockets.
public indirect enum TNetString: Equatable, Sendable {
    case string([UInt8])
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case null
    case list([TNetString])
    case dictionary([(key: String, value: TNetString)])

    public static func == (lhs: TNetString, rhs: TNetString) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.float(a), .float(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case (.null, .null): return true
        case let (.list(a), .list(b)): return a == b
        case let (.dictionary(a), .dictionary(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value as text: a string's bytes as UTF-8, a number or boolean
    /// written out; nil for null, lists and dictionaries.
    public var text: String? {
        switch self {
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .integer(let value): return String(value)
        case .float(let value): return String(value)
        case .boolean(let value): return String(value)
        default: return nil
        }
    }

    /// Reads one tnetstring from the front of `bytes`; returns it and the
    /// index just past it. Throws on anything malformed, never traps.
    public static func parse(_ bytes: ArraySlice<UInt8>, depth: Int = 0) throws(Mongrel2Error) -> (TNetString, Int) {
        guard depth < 32 else { throw .malformed("tnetstring nested too deep") }
        guard let colon = bytes.prefix(10).firstIndex(of: UInt8(ascii: ":")) else {
            throw .malformed("tnetstring without a length")
        }
        let digits = bytes[bytes.startIndex..<colon]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let length = Int(String(decoding: digits, as: UTF8.self)) else {
            throw .malformed("tnetstring length is not a number")
        }
        let start = colon + 1
        guard length <= bytes.endIndex - start - 1 else { throw .malformed("tnetstring shorter than its length") }
        let end = start + length
        let data = bytes[start..<end]
        let next = end + 1
        switch bytes[end] {
        case UInt8(ascii: ","):
            return (.string(Array(data)), next)
        case UInt8(ascii: "#"):
            guard let value = Int(String(decoding: data, as: UTF8.self)) else { throw .malformed("bad tnetstring integer") }
            return (.integer(value), next)
        case UInt8(ascii: "^"):
            guard let value = Double(String(decoding: data, as: UTF8.self)) else { throw .malformed("bad tnetstring float") }
            return (.float(value), next)
        case UInt8(ascii: "!"):
            switch String(decoding: data, as: UTF8.self) {
            case "true": return (.boolean(true), next)
            case "false": return (.boolean(false), next)
            default: throw .malformed("bad tnetstring boolean")
            }
        case UInt8(ascii: "~"):
            guard data.isEmpty else { throw .malformed("tnetstring null with data") }
            return (.null, next)
        case UInt8(ascii: "]"):
            var items: [TNetString] = []
            var index = start
            while index < end {
                let (item, after) = try parse(bytes[index..<end], depth: depth + 1)
                items.append(item)
                index = after
            }
            return (.list(items), next)
        case UInt8(ascii: "}"):
            var pairs: [(key: String, value: TNetString)] = []
            var index = start
            while index < end {
                let (key, afterKey) = try parse(bytes[index..<end], depth: depth + 1)
                guard case .string(let name) = key, afterKey < end else { throw .malformed("tnetstring dictionary key") }
                let (value, afterValue) = try parse(bytes[afterKey..<end], depth: depth + 1)
                pairs.append((String(decoding: name, as: UTF8.self), value))
                index = afterValue
            }
            return (.dictionary(pairs), next)
        default:
            throw .malformed("unknown tnetstring type")
        }
    }
}

/// Why a message from Mongrel2 could not be read.
public enum Mongrel2Error: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self { case .malformed(let why): return "malformed Mongrel2 request: \(why)" }
    }
}

/// One request as Mongrel2 hands it to a handler: `SENDER CONNECTION PATH
/// HEADERS BODY`, where the headers are a JSON or tnetstring dictionary in
/// a tnetstring, and the body a tnetstring.
public struct Mongrel2Request: Sendable {
    /// The UUID of the Mongrel2 server that sent it; replies are addressed to it.
    public let sender: String
    /// The id of the client's connection at that server.
    public let connectionID: String
    /// The path of the request (or of the route, for a JSON message).
    public let path: String
    /// The headers, including Mongrel2's own (METHOD, PATH, VERSION, URI, QUERY...).
    public let headers: [String: String]
    /// The body, possibly empty.
    public let body: [UInt8]

    /// The HTTP method, or "JSON" for Mongrel2's own messages.
    public var method: String { headers["METHOD"] ?? "" }

    /// Whether this is Mongrel2 telling the handler a client went away
    /// (METHOD "JSON", body `{"type":"disconnect"}`).
    public var isDisconnect: Bool {
        guard method == "JSON",
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return false }
        return object["type"] as? String == "disconnect"
    }

    /// Reads a request from the bytes of one message. Throws
    /// ``Mongrel2Error/malformed(_:)`` for anything else.
    public init(parsing message: [UInt8]) throws(Mongrel2Error) {
        var fields: [String] = []
        var index = message.startIndex
        for _ in 0..<3 {
            guard let space = message[index...].firstIndex(of: UInt8(ascii: " ")) else {
                throw .malformed("fewer than four space-separated parts")
            }
            fields.append(String(decoding: message[index..<space], as: UTF8.self))
            index = space + 1
        }
        guard fields.allSatisfy({ !$0.isEmpty }) else { throw .malformed("an empty sender, connection id or path") }
        sender = fields[0]
        connectionID = fields[1]
        path = fields[2]

        let (rawHeaders, afterHeaders) = try TNetString.parse(message[index...])
        headers = try Self.headers(from: rawHeaders)
        let (rawBody, _) = try TNetString.parse(message[afterHeaders...])
        guard case .string(let bytes) = rawBody else { throw .malformed("the body is not a string") }
        body = bytes
    }

    /// The headers of either encoding, as text.
    private static func headers(from value: TNetString) throws(Mongrel2Error) -> [String: String] {
        switch value {
        case .dictionary(let pairs):
            var result: [String: String] = [:]
            for (key, value) in pairs { result[key] = value.text ?? "" }
            return result
        case .string(let json):
            // Mongrel2 writes a flat object of strings: read that directly,
            // and leave anything else to Foundation.
            if let flat = FlatJSON.object(json[...]) { return flat }
            guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
                throw .malformed("headers are not a JSON object")
            }
            return object.mapValues { "\($0)" }
        default:
            throw .malformed("headers are neither JSON nor a dictionary")
        }
    }
}

/// Replies in the format Mongrel2 reads from its handlers: `SENDER
/// LENGTH:IDS, DATA`, where IDS are the space-separated connection ids the
/// data goes to, and DATA is sent to those clients as it is.
public enum Mongrel2Reply {
    /// The raw reply carrying `data` to `connectionIDs` of server `sender`.
    /// Empty data asks Mongrel2 to close those connections.
    public static func raw(sender: String, connectionIDs: [String], data: [UInt8]) -> [UInt8] {
        let ids = connectionIDs.joined(separator: " ")
        return Array("\(sender) \(ids.utf8.count):\(ids), ".utf8) + data
    }

    /// An HTTP response to `request`, with a Content-Length.
    public static func http(to request: Mongrel2Request, body: [UInt8], code: Int = 200, status: String = "OK",
                            headers: [(String, String)] = [("Content-Type", "text/plain")]) -> [UInt8] {
        let head = (["HTTP/1.1 \(code) \(status)"] + (headers + [("Content-Length", String(body.count))]).map { "\($0): \($1)" })
            .joined(separator: "\r\n") + "\r\n\r\n"
        return raw(sender: request.sender, connectionIDs: [request.connectionID], data: Array(head.utf8) + body)
    }
}

/// A reader for the one shape of JSON Mongrel2 sends its handlers: an
/// object whose values are strings (or numbers, booleans and null, kept as
/// their text). Anything else, nested values included, gives nil.
enum FlatJSON {
    static func object(_ bytes: ArraySlice<UInt8>) -> [String: String]? {
        var reader = Reader(bytes: bytes, index: bytes.startIndex)
        var result: [String: String] = [:]
        guard reader.skip(UInt8(ascii: "{")) else { return nil }
        if reader.skip(UInt8(ascii: "}")) { return reader.atEnd ? result : nil }
        repeat {
            guard let key = reader.string(), reader.skip(UInt8(ascii: ":")), let value = reader.scalar() else { return nil }
            result[key] = value
        } while reader.skip(UInt8(ascii: ","))
        return reader.skip(UInt8(ascii: "}")) && reader.atEnd ? result : nil
    }

    struct Reader {
        let bytes: ArraySlice<UInt8>
        var index: Int

        var atEnd: Bool {
            mutating get { skipSpace(); return index == bytes.endIndex }
        }

        mutating func skipSpace() {
            while index < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func skip(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.endIndex, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string, a number, true, false or null, as text.
        mutating func scalar() -> String? {
            skipSpace()
            guard index < bytes.endIndex else { return nil }
            if bytes[index] == UInt8(ascii: "\"") { return string() }
            let start = index
            while index < bytes.endIndex, ![UInt8(ascii: ","), UInt8(ascii: "}"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            guard word == "true" || word == "false" || word == "null" || Double(word) != nil else { return nil }
            return word
        }

        /// A quoted string with its escapes decoded.
        mutating func string() -> String? {
            guard skip(UInt8(ascii: "\"")) else { return nil }
            var out: [UInt8] = []
            while index < bytes.endIndex {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.endIndex else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeScalar() else { return nil }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    out.append(byte)
                }
            }
            return nil
        }

        /// The code point of a \uXXXX escape (the \u already read),
        /// joining a surrogate pair.
        mutating func unicodeScalar() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(high) {
                guard skip(UInt8(ascii: "\\")), skip(UInt8(ascii: "u")), let low = hex4(), (0xDC00..<0xE000).contains(low) else {
                    return nil
                }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }

        mutating func hex4() -> UInt32? {
            guard bytes.endIndex - index >= 4,
                  let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
            index += 4
            return value
        }
    }
}
