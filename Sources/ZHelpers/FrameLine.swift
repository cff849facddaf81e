/// One frame as a line of the guide's dump format, such as `[005] HELLO`:
/// what CZMQ's `zframe_print` shows after its prefix
/// (`print("Worker: " + dumpLine(of: frame))`). As there, a long frame is
/// cut short, followed by `...`: 70 bytes of text or 35 bytes in hex, so a
/// peer's 10 MB frame prints one short line.
public func dumpLine(of frame: Frame) -> String {
    let isText = frame.allSatisfy { $0 >= 32 && $0 <= 126 }
    let limit = isText ? 70 : 35
    let shown = frameContent(frame.prefix(limit))
    let size = String(frame.count)
    let padded = String(repeating: "0", count: max(0, 3 - size.count)) + size
    return "[" + padded + "] " + shown + (frame.count > limit ? "..." : "")
}
