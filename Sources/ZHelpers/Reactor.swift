import ZMQ

/// An event loop over sockets, file descriptors and timers: the Swift
/// counterpart of CZMQ's `zloop`.
///
/// ```swift
/// let reactor = Reactor()
/// reactor.addReader(backend) { reactor in ... }
/// reactor.addTimer(every: .seconds(1)) { reactor in ... }
/// try reactor.run()
/// ```
/// A handler ends the loop by calling ``stop()`` or by throwing; the error
/// is then rethrown by ``run()``. A signal (see ``catchSignals()``) or a
/// terminated context also ends the loop, and ``run()`` returns normally.
public final class Reactor {
    /// Identifies a timer, for ``cancelTimer(_:)``.
    public struct TimerID: Hashable, Sendable {
        fileprivate let value: Int
    }

    /// A handler of a socket, file descriptor or timer: it gets the reactor
    /// (to add or cancel sources, or ``stop()`` it); an error it throws
    /// ends ``run()`` with that error.
    public typealias Handler = (Reactor) throws -> Void

    private enum Source {
        case socket(Socket)
        case fileDescriptor(Int32)
    }

    private struct Reader {
        let id: Int
        let source: Source
        let handler: Handler
    }

    private struct Timer {
        let id: Int
        let interval: Int64
        var remaining: Int   // 0 means forever
        var due: Int64
        let handler: Handler
    }

    private var readers: [Reader] = []
    private var timers: [Timer] = []
    private var nextTimerID = 0
    private var nextReaderID = 0
    private var stopping = false

    /// Creates an empty reactor.
    public init() {}

    /// Calls `handler` each time `socket` has a message to receive.
    public func addReader(_ socket: Socket, handler: @escaping Handler) {
        nextReaderID += 1
        readers.append(Reader(id: nextReaderID, source: .socket(socket), handler: handler))
    }

    /// Calls `handler` each time the file descriptor is readable.
    public func addReader(fileDescriptor: Int32, handler: @escaping Handler) {
        nextReaderID += 1
        readers.append(Reader(id: nextReaderID, source: .fileDescriptor(fileDescriptor), handler: handler))
    }

    /// Stops watching `socket`.
    public func removeReader(_ socket: Socket) {
        readers.removeAll {
            if case .socket(let watched) = $0.source { return watched === socket }
            return false
        }
    }

    /// Calls `handler` after `interval`, `times` times (0: until cancelled).
    @discardableResult
    public func addTimer(every interval: Duration, times: Int = 0, handler: @escaping Handler) -> TimerID {
        nextTimerID += 1
        let milliseconds = Int64(Self.milliseconds(interval))
        timers.append(Timer(id: nextTimerID, interval: milliseconds, remaining: times,
                            due: clockMilliseconds() + milliseconds, handler: handler))
        return TimerID(value: nextTimerID)
    }

    /// Cancels a timer; cancelling one that has ended does nothing.
    public func cancelTimer(_ id: TimerID) {
        timers.removeAll { $0.id == id.value }
    }

    /// Ends ``run()`` once the current handler returns.
    public func stop() { stopping = true }

    /// Runs the loop until a handler stops or throws, a signal arrives, or
    /// the context terminates.
    public func run() throws {
        stopping = false
        while !stopping && !isInterrupted {
            var poller = Poller()
            let current = readers
            for reader in current {
                switch reader.source {
                case .socket(let socket): poller.add(socket)
                case .fileDescriptor(let fd): poller.add(fileDescriptor: fd)
                }
            }
            let now = clockMilliseconds()
            let wait = timers.map { max(0, $0.due - now) }.min().map(Int.init) ?? -1
            do {
                try poller.poll(timeoutMilliseconds: wait)
                for (index, reader) in current.enumerated() where !poller.events(at: index).isEmpty && !stopping {
                    // A handler earlier in this round may have removed this reader
                    guard readers.contains(where: { $0.id == reader.id }) else { continue }
                    try reader.handler(self)
                }
                try fireDueTimers()
            } catch let error as ZMQError {
                if error.isStop { return }
                throw error
            }
        }
    }

    private func fireDueTimers() throws {
        let now = clockMilliseconds()
        for timer in timers where timer.due <= now && !stopping {
            guard let index = timers.firstIndex(where: { $0.id == timer.id }) else { continue }
            if timers[index].remaining == 1 {
                timers.remove(at: index)
            } else {
                if timers[index].remaining > 1 { timers[index].remaining -= 1 }
                timers[index].due = now + timer.interval
            }
            try timer.handler(self)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(0, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
