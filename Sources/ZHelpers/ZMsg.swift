import Foundation
import ZMQ

/// One frame of a multipart message: its bytes.
public typealias Frame = [UInt8]

/// A multipart message, the Swift counterpart of CZMQ's `zmsg`: a list of
/// frames sent and received as one unit, with the envelope operations of
/// request-reply routing (``wrap(_:)`` and ``unwrap()``).
///
/// It is a value: CZMQ's `zmsg_dup` is plain assignment, and sending does not
/// consume it as `zmsg_send` does.
public struct ZMsg: Equatable, Sendable, CustomStringConvertible {
    /// The frames, first to last.
    public var frames: [Frame]

    /// Creates a message from frames.
    public init(_ frames: [Frame] = []) { self.frames = frames }

    /// Creates a message with one text frame per string.
    public init(strings: [String]) { self.frames = strings.map { Array($0.utf8) } }

    /// Receives the next whole message from `socket` (`zmsg_recv`).
    public static func receive(from socket: Socket, flags: ReceiveFlags = []) throws(ZMQError) -> ZMsg {
        ZMsg(try socket.receiveMultipart(flags: flags))
    }

    /// Sends every frame to `socket` (`zmsg_send`). An empty message sends nothing.
    public func send(to socket: Socket) throws(ZMQError) {
        guard !frames.isEmpty else { return }
        try socket.send(multipart: frames)
    }

    /// The number of frames (`zmsg_size`).
    public var count: Int { frames.count }
    /// Whether the message has no frames.
    public var isEmpty: Bool { frames.isEmpty }
    /// The total number of bytes in all frames (`zmsg_content_size`).
    public var contentSize: Int { frames.reduce(0) { $0 + $1.count } }
    /// The first frame, if any.
    public var first: Frame? { frames.first }
    /// The last frame, if any (the body of a routed request).
    public var last: Frame? { frames.last }

    /// Puts a frame before the others (`zmsg_push`).
    public mutating func push(_ frame: Frame) { frames.insert(frame, at: 0) }
    /// Puts a text frame before the others (`zmsg_pushstr`).
    public mutating func push(_ string: String) { push(Array(string.utf8)) }

    /// Adds a frame after the others (`zmsg_append`, `zmsg_add`).
    public mutating func append(_ frame: Frame) { frames.append(frame) }
    /// Adds a text frame after the others (`zmsg_addstr`).
    public mutating func append(_ string: String) { append(Array(string.utf8)) }

    /// Removes and returns the first frame, or nil when there is none (`zmsg_pop`).
    @discardableResult
    public mutating func pop() -> Frame? { frames.isEmpty ? nil : frames.removeFirst() }

    /// Removes the first frame and returns it as text (`zmsg_popstr`).
    public mutating func popString() -> String? { pop().map { String(decoding: $0, as: UTF8.self) } }

    /// Puts `address` and an empty delimiter frame before the others (`zmsg_wrap`).
    public mutating func wrap(_ address: Frame) {
        frames.insert(contentsOf: [address, []], at: 0)
    }

    /// Removes and returns the first frame, and the empty delimiter after it
    /// if there is one (`zmsg_unwrap`).
    public mutating func unwrap() -> Frame? {
        let address = pop()
        if frames.first?.isEmpty == true { frames.removeFirst() }
        return address
    }

    /// The message in the guide's dump format.
    public var description: String { dumpText(of: frames) }

    /// Prints the message in the guide's dump format (`zmsg_dump`).
    public func dump() { print(description, terminator: "") }

    /// Writes the message to `handle`: for each frame its length as a 64-bit
    /// little-endian number, then its bytes, as `zmsg_save` does on 64-bit systems.
    public func save(to handle: FileHandle) throws {
        var data = Data()
        for frame in frames {
            withUnsafeBytes(of: UInt64(frame.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: frame)
        }
        try handle.write(contentsOf: data)
    }

    /// Writes the message to a new file at `path`, replacing any file there.
    public func save(toFile path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        try save(to: handle)
    }

    /// Reads a message written by ``save(to:)``. A truncated file gives the
    /// frames that were whole; nil when it holds none.
    public static func load(from data: Data) -> ZMsg? {
        var frames: [Frame] = []
        var offset = data.startIndex
        while data.endIndex - offset >= 8 {
            var length: UInt64 = 0
            withUnsafeMutableBytes(of: &length) { $0.copyBytes(from: data[offset..<offset + 8]) }
            length = UInt64(littleEndian: length)
            offset += 8
            guard length <= UInt64(data.endIndex - offset) else { break }
            let end = offset + Int(length)
            frames.append(Frame(data[offset..<end]))
            offset = end
        }
        return frames.isEmpty ? nil : ZMsg(frames)
    }

    /// Reads a message from the file at `path`; nil when it is missing or empty.
    public static func load(fromFile path: String) -> ZMsg? {
        FileManager.default.contents(atPath: path).flatMap { load(from: $0) }
    }
}

extension Frame {
    /// The frame as text (UTF-8; invalid bytes are replaced).
    public var string: String { String(decoding: self, as: UTF8.self) }
}
