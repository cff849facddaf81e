#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ZMQ

// The guide's zhelpers.h, in Swift: the small functions every C example includes.

extension Socket {
    /// Sends `string` as a frame with more to follow (the guide's `s_sendmore`).
    public func sendMore(_ string: String) throws(ZMQError) {
        try send(string, flags: .more)
    }

    /// Sends `bytes` as a frame with more to follow.
    public func sendMore(_ bytes: [UInt8]) throws(ZMQError) {
        try send(bytes, flags: .more)
    }

    /// Receives every frame of the next message and prints it in the guide's
    /// dump format (the guide's `s_dump`).
    public func dump() throws(ZMQError) {
        print(dumpText(of: try receiveMultipart()), terminator: "")
    }

    /// Gives the socket a random printable identity such as `1A2B-3C4D`
    /// (the guide's `s_set_id`) and returns it.
    @discardableResult
    public func setRandomIdentity() throws(ZMQError) -> String {
        let identity = randomIdentity()
        try set(.routingID, to: Array(identity.utf8))
        return identity
    }
}

/// A random printable identity in the guide's `%04X-%04X` form.
public func randomIdentity() -> String {
    hex4(randof(0x10000)) + "-" + hex4(randof(0x10000))
}

private func hex4(_ value: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// The guide's dump format: a rule, then each frame as `[size] ` and its
/// bytes, as text when every byte is printable ASCII, else as upper-case hex.
public func dumpText(of frames: [[UInt8]]) -> String {
    var text = "----------------------------------------\n"
    for frame in frames {
        text += "[" + zeroPadded(frame.count, width: 3) + "] " + frameContent(frame[...]) + "\n"
    }
    return text
}

/// The bytes as text when every one is printable ASCII, else as upper-case
/// hex, built in one buffer: a peer's 10 MB frame costs 20 MB of text, not a
/// string per byte.
func frameContent(_ bytes: ArraySlice<UInt8>) -> String {
    if bytes.allSatisfy({ $0 >= 32 && $0 <= 126 }) {
        return String(decoding: bytes, as: UTF8.self)
    }
    let digits = Array("0123456789ABCDEF".utf8)
    return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
        var index = 0
        for byte in bytes {
            buffer[index] = digits[Int(byte >> 4)]
            buffer[index + 1] = digits[Int(byte & 0x0F)]
            index += 2
        }
        return index
    }
}

private func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// A random integer from 0 to `limit` - 1 (the guide's `randof` macro).
public func randof(_ limit: Int) -> Int {
    limit > 0 ? Int.random(in: 0..<limit) : 0
}

/// Sleeps for `milliseconds` (the guide's `s_sleep`, CZMQ's `zclock_sleep`).
/// Returns early if a signal arrives.
public func sleep(milliseconds: Int) {
    guard milliseconds > 0 else { return }
    var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
    _ = nanosleep(&request, nil)
}

/// The wall clock in milliseconds since 1970 (the guide's `s_clock`, CZMQ's `zclock_time`).
public func clockMilliseconds() -> Int64 {
    var now = timeval()
    gettimeofday(&now, nil)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_usec) / 1000
}

/// Prints `text` after the local date and time, as `YY-MM-DD HH:MM:SS text`
/// (the guide's `s_console`, CZMQ's `zclock_log`).
public func logLine(_ text: String) {
    print(timestampPrefix() + text)
}

/// The `YY-MM-DD HH:MM:SS ` prefix of ``logLine(_:)`` for the current time.
public func timestampPrefix() -> String {
    var now = time(nil)
    var local = tm()
    localtime_r(&now, &local)
    var buffer = [CChar](repeating: 0, count: 32)
    let count = strftime(&buffer, buffer.count, "%y-%m-%d %H:%M:%S ", &local)
    return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Writes a line to standard error, unbuffered.
public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes out whatever standard output holds, for a prompt or progress mark
/// printed without a newline (C's `fflush (stdout)`).
public func flushOutput() {
    fflush(nil)
}
