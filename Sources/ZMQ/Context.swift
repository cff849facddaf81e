import CLibZMQ

/// A ØMQ context: the container for all sockets of a process, and its I/O threads.
///
/// A context is thread-safe, so it is `Sendable`: make one per process and
/// hand it to every thread, which then creates its own sockets from it.
///
/// When the last reference goes away the context is terminated, which waits
/// for its sockets' pending messages according to their linger option. Call
/// ``shutdown()`` to make every blocking call on its sockets fail with
/// ``ZMQError/terminated`` so that threads can close their sockets and end.
public final class Context: @unchecked Sendable {
    // The handle never changes after init, and libzmq allows every
    // context call from any thread: hence the unchecked Sendable.
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads (libzmq's default is 1).
    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if ioThreads != 1 {
            try check(zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads), "set io threads")
        }
    }

    deinit {
        // Retry while a signal interrupts the wait for sockets to close.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }

    /// Creates a socket of the given type, to be used by the calling thread only.
    public func socket(_ type: SocketType) throws(ZMQError) -> Socket {
        try Socket(context: self, type: type)
    }

    /// Makes blocking calls on this context's sockets fail with
    /// ``ZMQError/terminated``, and refuses new sockets. Sockets must still be
    /// closed (released) before the context can finish terminating.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    /// The number of I/O threads (`ZMQ_IO_THREADS`).
    public var ioThreads: Int32 { zmq_ctx_get(handle, ZMQ_IO_THREADS) }

    /// The most sockets this context allows at once (`ZMQ_MAX_SOCKETS`).
    public var maxSockets: Int32 {
        get { zmq_ctx_get(handle, ZMQ_MAX_SOCKETS) }
        set { zmq_ctx_set(handle, ZMQ_MAX_SOCKETS, newValue) }
    }

    /// Sets a context option by its libzmq code, for options this type does not name.
    public func setOption(_ option: Int32, to value: Int32) throws(ZMQError) {
        try check(zmq_ctx_set(handle, option, value), "zmq_ctx_set \(option)")
    }

    /// Reads a context option by its libzmq code.
    public func option(_ option: Int32) throws(ZMQError) -> Int32 {
        try check(zmq_ctx_get(handle, option), "zmq_ctx_get \(option)")
    }
}
