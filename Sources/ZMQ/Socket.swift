#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibZMQ

/// A ØMQ socket.
///
/// A socket is not thread-safe and is deliberately not `Sendable`: use it
/// only on the thread that created it, as the guide teaches. Threads talk to
/// each other through sockets (inproc PAIR pipes), never by sharing one.
///
/// The socket is closed when released, or earlier by ``close()``; any call on
/// a closed socket throws an error with code `ENOTSOCK` instead of crashing.
public final class Socket {
    // Internal but visible to inlined code, so that the hot paths below
    // compile into the caller as straight calls into libzmq. A socket is used
    // by one thread only and this pointer is never borrowed across a call,
    // so the runtime exclusivity check (a call into the Swift runtime on
    // every send and receive) is left out.
    @usableFromInline @exclusivity(unchecked) var handle: UnsafeMutableRawPointer?
    /// The context the socket belongs to, kept alive as long as the socket is.
    public let context: Context
    /// The type the socket was created with.
    public let type: SocketType

    init(context: Context, type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZMQError.last("create \(type) socket")
        }
        self.handle = handle
        self.context = context
        self.type = type
    }

    deinit {
        if let handle { zmq_close(handle) }
    }

    /// The raw libzmq handle, for calls this binding does not wrap.
    /// Throws when the socket was closed.
    @inlinable
    public func rawHandle(_ operation: @autoclosure () -> String = "use") throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw Self.closedError(operation()) }
        return handle
    }

    @usableFromInline @inline(never)
    static func closedError(_ operation: String) -> ZMQError {
        ZMQError(code: ENOTSOCK, operation: "\(operation) on a closed socket")
    }

    /// The error for a send or receive that libzmq refused, read from errno
    /// right away; out of line, so that the hot paths stay small enough to inline.
    @usableFromInline @inline(never)
    func failure(_ operation: StaticString) -> ZMQError {
        let error = ZMQError.last(operation.description)
        return handle == nil ? Self.closedError(operation.description) : error
    }

    /// Closes the socket now. Pending outgoing messages are kept for the linger period.
    public func close() {
        if let handle { zmq_close(handle) }
        handle = nil
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    // MARK: Endpoints

    /// Binds to a local endpoint such as `tcp://*:5555`, `ipc://name.ipc` or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        try check(zmq_bind(try rawHandle("bind"), endpoint), "bind \(endpoint)")
    }

    /// Connects to an endpoint such as `tcp://localhost:5555`.
    public func connect(_ endpoint: String) throws(ZMQError) {
        try check(zmq_connect(try rawHandle("connect"), endpoint), "connect \(endpoint)")
    }

    /// Stops listening on an endpoint given to ``bind(_:)``.
    public func unbind(_ endpoint: String) throws(ZMQError) {
        try check(zmq_unbind(try rawHandle("unbind"), endpoint), "unbind \(endpoint)")
    }

    /// Drops the connection made by ``connect(_:)`` to `endpoint`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try check(zmq_disconnect(try rawHandle("disconnect"), endpoint), "disconnect \(endpoint)")
    }

    // MARK: Sending
    //
    // The hot path: each of these is one call into libzmq, inlined into the
    // caller, with no allocation of its own. Sending bytes copies them once,
    // into libzmq's message (which keeps frames of up to 33 bytes inline and
    // allocates larger ones itself); sending a ``Message`` copies nothing.
    //
    // A closed socket's handle is nil, which libzmq itself refuses with
    // ENOTSOCK, so the fast path passes it straight on and only the failure
    // path (kept out of line, in ``failure(_:)``) looks at it again.

    /// Sends a frame, leaving `message` empty (libzmq takes its content).
    /// To send again from the same object, refill it with ``Message/rebuild(size:)``.
    @inlinable @inline(__always)
    public func send(_ message: Message, flags: SendFlags = []) throws(ZMQError) {
        if zmq_msg_send(message.pointer, handle, flags.rawValue) == -1 { throw failure("send") }
    }

    /// Sends a frame holding a copy of `buffer`: the only copy on this path.
    @inlinable @inline(__always)
    public func send(_ buffer: UnsafeRawBufferPointer, flags: SendFlags = []) throws(ZMQError) {
        if zmq_send(handle, buffer.baseAddress, buffer.count, flags.rawValue) == -1 { throw failure("send") }
    }

    /// Sends a frame holding a copy of `bytes` (one copy, as for a buffer).
    @inlinable @inline(__always)
    public func send(_ bytes: [UInt8], flags: SendFlags = []) throws(ZMQError) {
        let handle = self.handle
        let rc = bytes.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags.rawValue) }
        if rc == -1 { throw failure("send") }
    }

    /// Sends a frame holding the UTF-8 bytes of `string`, without a terminating NUL,
    /// as every example of the guide does. A native Swift string is sent
    /// straight from its own storage (one copy, into libzmq's message).
    @inlinable
    public func send(_ string: String, flags: SendFlags = []) throws(ZMQError) {
        let handle = self.handle
        var string = string
        let rc = string.withUTF8 { zmq_send(handle, $0.baseAddress, $0.count, flags.rawValue) }
        if rc == -1 { throw failure("send") }
    }

    /// Sends every frame of a multipart message, all but the last with ``SendFlags/more``.
    public func send(multipart frames: [[UInt8]], flags: SendFlags = []) throws(ZMQError) {
        for (index, frame) in frames.enumerated() {
            try send(frame, flags: index == frames.count - 1 ? flags : flags.union(.more))
        }
    }

    // MARK: Receiving

    /// Receives one frame into `message`, replacing its content. This is the
    /// fast path: reusing one `Message` for every receive costs no allocation
    /// per message (libzmq keeps small frames inside the message itself and
    /// hands over large ones without copying).
    @inlinable @inline(__always)
    public func receive(into message: Message, flags: ReceiveFlags = []) throws(ZMQError) {
        if zmq_msg_recv(message.pointer, handle, flags.rawValue) == -1 { throw failure("receive") }
    }

    /// Receives one frame into `buffer`, as `zmq_recv` does: a longer frame is
    /// truncated to fit. Returns the frame's full size, which may exceed `buffer.count`.
    @inlinable @inline(__always)
    public func receive(into buffer: UnsafeMutableRawBufferPointer, flags: ReceiveFlags = []) throws(ZMQError) -> Int {
        let size = zmq_recv(handle, buffer.baseAddress, buffer.count, flags.rawValue)
        if size == -1 { throw failure("receive") }
        return Int(size)
    }

    /// Receives one frame as a new ``Message``.
    public func receiveMessage(flags: ReceiveFlags = []) throws(ZMQError) -> Message {
        let message = Message()
        try receive(into: message, flags: flags)
        return message
    }

    /// Receives one frame and hands its bytes to `body`, which must not keep
    /// them: they live in a `zmq_msg_t` on the stack, closed when `body` returns.
    /// Nothing is allocated on the heap here.
    @inlinable
    public func withReceivedBytes<Result>(
        flags: ReceiveFlags = [], _ body: (UnsafeRawBufferPointer) -> Result
    ) throws(ZMQError) -> Result {
        let handle = try rawHandle("receive")
        // A zmq_msg_t must stay at one address from init to close: stack
        // memory that Swift will not move, freed when the closure returns.
        // (Not cache-line aligned as Message's are: Swift puts only
        // allocations of ordinary alignment on the stack.)
        return try withUnsafeTemporaryAllocation(of: zmq_msg_t.self, capacity: 1) { slot throws(ZMQError) -> Result in
            let message = slot.baseAddress.unsafelyUnwrapped
            zmq_msg_init(message)
            defer { zmq_msg_close(message) }
            try check(zmq_msg_recv(message, handle, flags.rawValue), "receive")
            return body(UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message)))
        }
    }

    /// Receives one frame as bytes: one allocation, the array itself.
    public func receiveBytes(flags: ReceiveFlags = []) throws(ZMQError) -> [UInt8] {
        try withReceivedBytes(flags: flags) { Array($0) }
    }

    /// Receives one frame as text (UTF-8; invalid bytes are replaced, never fatal).
    /// Frames of up to 15 bytes become a string without any allocation.
    public func receiveString(flags: ReceiveFlags = []) throws(ZMQError) -> String {
        try withReceivedBytes(flags: flags) { String(decoding: $0, as: UTF8.self) }
    }

    /// Receives every frame of the next message.
    public func receiveMultipart(flags: ReceiveFlags = []) throws(ZMQError) -> [[UInt8]] {
        let message = Message()
        var frames: [[UInt8]] = []
        repeat {
            try receive(into: message, flags: frames.isEmpty ? flags : [])
            frames.append(message.array)
        } while message.hasMore
        return frames
    }

    /// Whether the last frame received has more frames after it (`ZMQ_RCVMORE`).
    public var hasMore: Bool { (try? get(.receiveMore)) ?? false }

    // MARK: Options

    /// Sets a socket option: `try socket.set(.linger, to: 0)`.
    public func set<Value>(_ option: SocketOption<Value>, to value: Value) throws(ZMQError) {
        try value.setOption(option.code, on: try rawHandle("set option \(option.name)"), name: option.name)
    }

    /// Reads a socket option: `try socket.get(.receiveHighWaterMark)`.
    public func get<Value>(_ option: SocketOption<Value>) throws(ZMQError) -> Value {
        try Value.getOption(option.code, from: try rawHandle("get option \(option.name)"), name: option.name)
    }

    /// Subscribes a SUB socket to messages starting with `prefix` (empty: all messages).
    public func subscribe(_ prefix: String = "") throws(ZMQError) {
        try set(.subscribe, to: Array(prefix.utf8))
    }

    /// Subscribes a SUB socket to messages starting with the bytes `prefix`.
    public func subscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try set(.subscribe, to: prefix)
    }

    /// Removes a subscription made with ``subscribe(_:)-(String)``.
    public func unsubscribe(_ prefix: String = "") throws(ZMQError) {
        try set(.unsubscribe, to: Array(prefix.utf8))
    }

    /// The readiness of the socket now (`ZMQ_EVENTS`), for event loops driven by ``fileDescriptor``.
    public var events: PollEvents {
        PollEvents(rawValue: Int16(truncatingIfNeeded: (try? get(.events)) ?? 0))
    }

    /// A file descriptor that becomes readable when ``events`` may have changed (`ZMQ_FD`).
    public var fileDescriptor: Int32 {
        get throws(ZMQError) { try get(.fileDescriptor) }
    }

    // MARK: Monitoring

    /// Publishes the socket's connection events on a PAIR socket bound to
    /// `endpoint` (an inproc address), as `zmq_socket_monitor` does.
    public func monitor(_ endpoint: String, events: Int32 = ZMQ_EVENT_ALL) throws(ZMQError) {
        try check(zmq_socket_monitor(try rawHandle("monitor"), endpoint, events), "monitor \(endpoint)")
    }
}
