/// One frame as a line of the guide's dump format, such as `[005] HELLO`:
/// what CZMQ's `zframe_print` shows after its prefix
/// (`print("Worker: " + dumpLine(of: frame))`).
public func dumpLine(of frame: Frame) -> String {
    // dumpText gives a rule line, then one line for the frame.
    let text = dumpText(of: [frame])
    return String(text.drop { $0 != "\n" }.dropFirst().dropLast())
}
