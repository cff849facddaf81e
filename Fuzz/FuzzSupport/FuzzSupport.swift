// What every fuzz target shares: turning libFuzzer's bytes into frames.
import ZHelpers

/// Splits fuzz input into the frames of a multipart message: each frame is
/// a length byte, then up to that many bytes (fewer at the end of the input).
/// So empty frames, many frames and odd shapes are all a few bytes away.
public func frames(fromFuzz bytes: UnsafeRawBufferPointer) -> [Frame] {
    var frames: [Frame] = []
    var offset = 0
    while offset < bytes.count {
        let length = Int(bytes[offset])
        offset += 1
        let end = min(bytes.count, offset + length)
        frames.append(Frame(bytes[offset..<end]))
        offset = end
    }
    return frames
}

/// Stops the fuzzer with a report when a property of a parser does not hold
/// (libFuzzer saves the input that broke it).
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz property failed: \(message())") }
}

/// libFuzzer's entry point for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with the program's arguments, calling `test` with each
/// input. SwiftPM links an executable with `main` set to `NAME_main`, so each
/// fuzz target defines that (`@_cdecl("FuzzNAME_main")`) and calls this; it
/// also exports its test as `LLVMFuzzerTestOneInput`, which libFuzzer's
/// library refers to.
public func runFuzzer(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32 {
    var count = argc
    var arguments = argv
    return withUnsafeMutablePointer(to: &arguments) { LLVMFuzzerRunDriver(&count, $0, test) }
}
