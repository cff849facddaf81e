import CLibZMQ

/// One message frame, owning exactly one `zmq_msg_t`.
///
/// libzmq requires a `zmq_msg_t` to stay at one address from `zmq_msg_init`
/// to `zmq_msg_close` and never to be copied as bytes, so the struct lives in
/// memory this class allocates once and frees in `deinit`. Reusing one
/// `Message` for many receives costs no allocation per message: libzmq keeps
/// small payloads inside the `zmq_msg_t` itself.
public final class Message {
    /// The underlying `zmq_msg_t`, valid for the life of this object.
    public let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// Creates an empty message, ready to receive into.
    public init() {
        pointer = Self.allocateSlot()
        zmq_msg_init(pointer)
    }

    /// Creates a message of `size` uninitialised bytes, to be filled through ``mutableBytes``.
    public init(size: Int) throws(ZMQError) {
        pointer = Self.allocateSlot()
        if zmq_msg_init_size(pointer, size) == -1 {
            let error = ZMQError.last("zmq_msg_init_size \(size)")
            pointer.deallocate()
            throw error
        }
    }

    /// Creates a message holding a copy of `bytes`.
    public convenience init(bytes: UnsafeRawBufferPointer) throws(ZMQError) {
        try self.init(size: bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 {
            zmq_msg_data(pointer).copyMemory(from: base, byteCount: bytes.count)
        }
    }

    /// Creates a message holding a copy of `bytes`.
    public convenience init(_ bytes: [UInt8]) throws(ZMQError) {
        try self.init(size: bytes.count)
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { zmq_msg_data(pointer).copyMemory(from: base, byteCount: raw.count) }
        }
    }

    /// Creates a message holding the UTF-8 bytes of `string`, without a terminating NUL.
    public convenience init(_ string: String) throws(ZMQError) {
        var string = string
        try self.init(size: string.utf8.count)
        string.withUTF8 { utf8 in
            if let base = utf8.baseAddress { zmq_msg_data(pointer).copyMemory(from: base, byteCount: utf8.count) }
        }
    }

    /// Creates a message that uses `buffer` in place, without copying it.
    ///
    /// libzmq calls `release` once it no longer needs the buffer, possibly on
    /// one of its I/O threads and possibly after this object is gone.
    public init(
        noCopy buffer: UnsafeMutableRawBufferPointer,
        release: @escaping @Sendable (UnsafeMutableRawBufferPointer) -> Void
    ) throws(ZMQError) {
        pointer = Self.allocateSlot()
        let box = Unmanaged.passRetained(ReleaseBox(buffer: buffer, release: release))
        let rc = zmq_msg_init_data(pointer, buffer.baseAddress, buffer.count, { _, hint in
            guard let hint else { return }
            let box = Unmanaged<ReleaseBox>.fromOpaque(hint).takeRetainedValue()
            box.release(box.buffer)
        }, box.toOpaque())
        if rc == -1 {
            let error = ZMQError.last("zmq_msg_init_data")
            box.release()
            pointer.deallocate()
            throw error
        }
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// Memory for one `zmq_msg_t` on a cache line of its own. libzmq reads and
    /// writes the whole 64-byte struct on every send and receive; one that
    /// straddles two cache lines made inproc throughput at 16 B 10 to 20%
    /// slower in scripts/bench (see BENCHMARKS.md).
    static func allocateSlot() -> UnsafeMutablePointer<zmq_msg_t> {
        UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<zmq_msg_t>.size, alignment: 64)
            .bindMemory(to: zmq_msg_t.self, capacity: 1)
    }

    /// The number of bytes in the frame.
    @inlinable
    public var size: Int { zmq_msg_size(pointer) }

    /// Whether more frames of the same message follow this one (after a receive).
    @inlinable
    public var hasMore: Bool { zmq_msg_more(pointer) == 1 }

    /// The frame's bytes, valid until the message is changed, sent or released.
    @inlinable
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: zmq_msg_data(pointer), count: zmq_msg_size(pointer))
    }

    /// The frame's bytes, writable, valid until the message is changed, sent or released.
    @inlinable
    public var mutableBytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: zmq_msg_data(pointer), count: zmq_msg_size(pointer))
    }

    /// A copy of the frame's bytes.
    public var array: [UInt8] { Array(bytes) }

    /// The frame decoded as UTF-8 (invalid sequences are repaired, never fatal).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the message, ready for the next receive.
    @inlinable
    public func rebuild() {
        zmq_msg_close(pointer)
        zmq_msg_init(pointer)
    }

    /// Replaces the content with `size` new uninitialised bytes, to be filled
    /// through ``mutableBytes`` and sent: the way to send many messages from
    /// one object, as `zmq_msg_init_size` does in C. Frames of up to 33 bytes
    /// live inside the message; larger ones are one allocation by libzmq.
    @inlinable
    public func rebuild(size: Int) throws(ZMQError) {
        zmq_msg_close(pointer)
        if zmq_msg_init_size(pointer, size) == -1 { throw sizeFailure(size) }
    }

    /// The error of a failed ``rebuild(size:)``, leaving a valid, empty message behind.
    @usableFromInline @inline(never)
    func sizeFailure(_ size: Int) -> ZMQError {
        let error = ZMQError.last("zmq_msg_init_size \(size)")
        zmq_msg_init(pointer)
        return error
    }

    /// Makes this message share `other`'s content (libzmq counts references
    /// for large frames and copies small ones).
    public func copy(from other: Message) throws(ZMQError) {
        try check(zmq_msg_copy(pointer, other.pointer), "zmq_msg_copy")
    }

    /// Moves `other`'s content into this message, leaving `other` empty.
    public func move(from other: Message) throws(ZMQError) {
        try check(zmq_msg_move(pointer, other.pointer), "zmq_msg_move")
    }

    /// A metadata property of a received message, such as `"Socket-Type"` or `"Peer-Address"`.
    public func property(_ name: String) -> String? {
        guard let value = zmq_msg_gets(pointer, name) else { return nil }
        return String(cString: value)
    }
}

/// Holds a zero-copy buffer and its release callback until libzmq is done.
private final class ReleaseBox {
    let buffer: UnsafeMutableRawBufferPointer
    let release: @Sendable (UnsafeMutableRawBufferPointer) -> Void
    init(buffer: UnsafeMutableRawBufferPointer, release: @escaping @Sendable (UnsafeMutableRawBufferPointer) -> Void) {
        self.buffer = buffer
        self.release = release
    }
}
