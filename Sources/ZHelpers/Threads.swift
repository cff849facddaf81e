#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZMQ

/// A thread started by ``startThread(_:)``, which can be waited for.
public final class ThreadHandle: @unchecked Sendable {
    // Written once before the thread starts; read by join only.
    private var thread: pthread_t
    private var joined = false

    fileprivate init(thread: pthread_t) { self.thread = thread }

    /// Waits until the thread's body has returned. Calling it again does nothing.
    public func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }
}

private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Runs `body` on a new thread (the role of `pthread_create` and CZMQ's
/// `zthread_new` in the guide). Give the thread the context, never a socket:
/// the thread makes its own sockets.
@discardableResult
public func startThread(_ body: @escaping @Sendable () -> Void) -> ThreadHandle {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    #if canImport(Glibc)
    var thread = pthread_t()
    #else
    var thread: pthread_t?
    #endif
    let rc = pthread_create(&thread, nil, { argument in
        guard let argument else { return nil }
        Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue().body()
        return nil
    }, box)
    precondition(rc == 0, "pthread_create failed: \(rc)")
    #if canImport(Glibc)
    return ThreadHandle(thread: thread)
    #else
    return ThreadHandle(thread: thread!)
    #endif
}

/// A thread attached to its creator by a PAIR pipe: the Swift counterpart of
/// CZMQ's `zthread_fork` and `zactor`.
///
/// The creator talks to the thread through ``pipe``; the thread receives
/// its own end of the pipe as a socket it made on its own thread.
///
/// ```swift
/// let actor = try ZActor(context) { context, pipe in
///     while let command = try? pipe.receiveString(), command != ZActor.terminate { ... }
/// }
/// try actor.pipe.send("hello")
/// actor.stop()   // sends "$TERM" and waits for the thread
/// ```
public final class ZActor {
    /// The command ``stop()`` sends to ask the thread to end, as zactor does.
    public static let terminate = "$TERM"

    /// The creator's end of the pipe.
    public let pipe: Socket
    private let thread: ThreadHandle

    /// Starts `body` on a new thread with `context` and the thread's end of the pipe.
    /// The thread's socket is closed when `body` returns. An error `body`
    /// throws is printed to standard error, as a dying thread's last word.
    public init(
        _ context: Context,
        _ body: @escaping @Sendable (Context, Socket) throws -> Void
    ) throws(ZMQError) {
        let endpoint = "inproc://actor-\(randomIdentity())-\(UInt64.random(in: 0...UInt64.max))"
        pipe = try context.socket(.pair)
        try pipe.bind(endpoint)
        thread = startThread {
            do {
                let end = try context.socket(.pair)
                try end.connect(endpoint)
                try body(context, end)
            } catch let error as ZMQError where error.isStop {
                // Interrupted or terminated: the normal way for a thread to end.
            } catch {
                printError("E: thread: \(error)")
            }
        }
    }

    /// Asks the thread to end by sending ``terminate``, then waits for it.
    public func stop() {
        try? pipe.send(ZActor.terminate, flags: .dontWait)
        thread.join()
    }

    /// Waits for the thread to end without asking it to.
    public func join() {
        thread.join()
    }
}
