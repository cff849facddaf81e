// Fuzz target: what a Mongrel2 handler reads from the server
// (Mongrel2Request(parsing:), TNetString.parse) and the flat JSON reader of
// its headers: no crash; a parsed tnetstring written out again reads back
// the same; and where both FlatJSON and Foundation's JSONSerialization
// accept an input they agree on every key and value.
import Foundation
import FuzzSupport
@testable import Mongrel2

/// The entry point: libFuzzer's driver, calling fuzzMongrel2(_:_:) with each input.
@_cdecl("FuzzMongrel2_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzMongrel2)
}

/// A tnetstring written out (the inverse of TNetString.parse).
func encode(_ value: TNetString) -> [UInt8] {
    func wrap(_ data: [UInt8], _ type: Character) -> [UInt8] {
        Array("\(data.count):".utf8) + data + Array(String(type).utf8)
    }
    switch value {
    case .string(let bytes): return wrap(bytes, ",")
    case .integer(let number): return wrap(Array(String(number).utf8), "#")
    case .float(let number): return wrap(Array("\(number)".utf8), "^")
    case .boolean(let flag): return wrap(Array(String(flag).utf8), "!")
    case .null: return wrap([], "~")
    case .list(let items): return wrap(items.flatMap(encode), "]")
    case .dictionary(let pairs): return wrap(pairs.flatMap { encode(.string(Array($0.key.utf8))) + encode($0.value) }, "}")
    }
}

/// Whether a value read from tnetstring bytes can be compared after a round
/// trip: dictionary keys that are not UTF-8 change when decoded, and NaN is
/// never equal to itself.
func comparable(_ value: TNetString) -> Bool {
    switch value {
    case .float(let number): return !number.isNaN
    case .list(let items): return items.allSatisfy(comparable)
    case .dictionary(let pairs): return pairs.allSatisfy { !$0.key.contains("\u{FFFD}") && comparable($0.value) }
    default: return true
    }
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMongrel2(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))

    if let request = try? Mongrel2Request(parsing: bytes) {
        require(!request.sender.isEmpty && !request.connectionID.isEmpty && !request.path.isEmpty, "empty field")
        _ = request.isDisconnect
        _ = Mongrel2Reply.http(to: request, body: request.body)
    }
    if let (value, next) = try? TNetString.parse(bytes[...]) {
        require(next <= bytes.count, "parse went past the end")
        if comparable(value) {
            let written = encode(value)
            guard let (again, end) = try? TNetString.parse(written[...]) else {
                require(false, "a written tnetstring does not parse")
                return 0
            }
            require(again == value && end == written.count, "parse(encode(v)) != v")
        }
    }
    if let flat = FlatJSON.object(bytes[...]),
       let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] {
        require(Set(flat.keys) == Set(object.keys), "FlatJSON and JSONSerialization read different keys")
        for (key, value) in object {
            let text = flat[key] ?? ""
            switch value {
            case let string as String:
                require(text == string, "FlatJSON read \(key) as \(text.debugDescription), not \(string.debugDescription)")
            case is NSNull:
                require(text == "null", "null read as \(text)")
            case let number as NSNumber:
                if text == "true" || text == "false" {
                    require(number.boolValue == (text == "true"), "boolean \(key) differs")
                } else {
                    require(Double(text) == number.doubleValue, "number \(key): \(text) vs \(number)")
                }
            default:
                require(false, "FlatJSON accepted a nested value for \(key)")
            }
        }
    }
    return 0
}
