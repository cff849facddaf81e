// Fuzz target: ZMsg.load, which reads a saved message back from a file a
// process may not have written (zmsg_load): any bytes, no crash; what it
// loads saves and loads back the same.
import Foundation
import FuzzSupport
import ZHelpers

/// The entry point: libFuzzer's driver, calling fuzzZMsgLoad(_:_:) with each input.
@_cdecl("FuzzZMsgLoad_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzZMsgLoad)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZMsgLoad(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let message = ZMsg.load(from: bytes) else { return 0 }
    // Saved again the way save(to:) writes it, it loads back unchanged
    var saved = Data()
    for frame in message.frames {
        withUnsafeBytes(of: UInt64(frame.count).littleEndian) { saved.append(contentsOf: $0) }
        saved.append(contentsOf: frame)
    }
    if ZMsg.load(from: saved) != message { fatalError("fuzz property failed: load(save(m)) != m") }
    // A slice that does not start at index 0 loads the same
    let shifted = (Data([0]) + bytes).dropFirst()
    if ZMsg.load(from: shifted) != message { fatalError("fuzz property failed: a slice loads differently") }
    return 0
}
