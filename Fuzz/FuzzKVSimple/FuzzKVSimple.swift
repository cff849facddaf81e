// Fuzz target: KVSimpleMessage(frames:), the Clone models 1-3 reading an
// update off the wire: no crash, and an accepted message sends the same frames.
import FuzzSupport
import KVSimple

/// The entry point: libFuzzer's driver, calling fuzzKVSimple(_:_:) with each input.
@_cdecl("FuzzKVSimple_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzKVSimple)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKVSimple(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let message = try? KVSimpleMessage(frames: input) else { return 0 }
    require(input.count == 3 && input[1].count == 8, "wrong shape accepted")
    require(KVSimpleMessage.sequenceBytes(message.sequence) == input[1], "sequence does not re-encode")
    require(message.body == input[2], "body changed")
    // The key is text: valid UTF-8 comes back byte for byte
    if String(validating: input[0], as: UTF8.self) != nil {
        require(message.frames == input, "frames do not rebuild the input")
    }
    if let again = try? KVSimpleMessage(frames: message.frames) {
        require(again == message, "decode(encode(m)) != m")
    } else {
        require(false, "its own frames are refused")
    }
    var map: [String: KVSimpleMessage] = [:]
    message.store(in: &map)
    _ = message.description
    _ = mapDigestLine(map)
    return 0
}
