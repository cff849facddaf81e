import CLibZMQ

/// Waits on several sockets and file descriptors at once, over `zmq_poll`.
///
/// ```swift
/// var poller = Poller()
/// let frontendItem = poller.add(frontend)
/// let backendItem = poller.add(backend)
/// while true {
///     try poller.poll()
///     if poller.isReadable(frontendItem) { ... }
///     if poller.isReadable(backendItem) { ... }
/// }
/// ```
/// Polling allocates nothing: the item array is built once by ``add(_:for:)``.
public struct Poller {
    private var items: [zmq_pollitem_t] = []
    private var sockets: [Socket?] = []  // keeps polled sockets alive

    /// Creates an empty poller.
    public init() {}

    /// The number of items.
    public var count: Int { items.count }

    /// Adds a socket, returning the index that ``events(at:)`` takes.
    @discardableResult
    public mutating func add(_ socket: Socket, for events: PollEvents = .readable) -> Int {
        let handle = try? socket.rawHandle()
        items.append(zmq_pollitem_t(socket: handle, fd: 0, events: events.rawValue, revents: 0))
        sockets.append(socket)
        return items.count - 1
    }

    /// Adds a plain file descriptor (such as 0 for standard input).
    @discardableResult
    public mutating func add(fileDescriptor: Int32, for events: PollEvents = .readable) -> Int {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events.rawValue, revents: 0))
        sockets.append(nil)
        return items.count - 1
    }

    /// Changes the events item `index` waits for; an empty set leaves it out of the poll.
    public mutating func setEvents(_ events: PollEvents, at index: Int) {
        items[index].events = events.rawValue
        items[index].revents = 0
    }

    /// Removes every item.
    public mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
        sockets.removeAll(keepingCapacity: true)
    }

    /// Waits until an item is ready or `timeout` passes (`nil`: wait forever;
    /// `.zero`: do not wait). Returns how many items are ready.
    /// A signal makes it throw ``ZMQError/interrupted``.
    @discardableResult
    public mutating func poll(timeout: Duration? = nil) throws(ZMQError) -> Int {
        let milliseconds = timeout.map(Self.milliseconds) ?? -1
        return try poll(timeoutMilliseconds: milliseconds)
    }

    /// Waits as ``poll(timeout:)`` does, with the timeout in milliseconds (-1: forever).
    @discardableResult
    public mutating func poll(timeoutMilliseconds: Int) throws(ZMQError) -> Int {
        let count = Int32(items.count)
        let rc = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, timeoutMilliseconds) }
        return Int(try check(rc, "poll"))
    }

    /// What item `index` reported ready in the last poll.
    public func events(at index: Int) -> PollEvents { PollEvents(rawValue: items[index].revents) }

    /// Whether item `index` was readable in the last poll. A file descriptor
    /// whose other end closed reports ``PollEvents/error`` instead: check
    /// ``events(at:)`` for any event when reading plain descriptors.
    public func isReadable(_ index: Int) -> Bool { events(at: index).contains(.readable) }

    /// Whether item `index` was writable in the last poll.
    public func isWritable(_ index: Int) -> Bool { events(at: index).contains(.writable) }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 { return 0 }
        // Round up so that a short positive timeout does not become a busy poll.
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(seconds) * 1000 + Int(fraction)
    }
}
