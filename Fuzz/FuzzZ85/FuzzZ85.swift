// Fuzz target: Z85.decode, which reads keys given as text (certificate
// files, arguments): no crash, and what decodes encodes back to the same
// text; any bytes encode and decode back.
import FuzzSupport
import ZMQ

/// The entry point: libFuzzer's driver, calling fuzzZ85(_:_:) with each input.
@_cdecl("FuzzZ85_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzZ85)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZ85(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    let text = String(decoding: bytes, as: UTF8.self)
    if let decoded = Z85.decode(text) {
        require(decoded.count == text.utf8.count * 4 / 5, "decoded length")
        require(Z85.encode(decoded) == text, "encode(decode(t)) != t")
    }
    let whole = Array(bytes.prefix(bytes.count / 4 * 4))
    if let encoded = Z85.encode(whole) {
        require(Z85.decode(encoded) == whole, "decode(encode(b)) != b")
    } else {
        require(false, "encode refused a multiple of 4 bytes")
    }
    return 0
}
