#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Set by the handler that ``catchSignals()`` installs.
private let interruptFlag = Atomic<Bool>(false)

/// Installs handlers for SIGINT (Ctrl-C) and SIGTERM that set
/// ``isInterrupted`` (the guide's `s_catch_signals`, CZMQ's `zsys_handler`).
///
/// The handlers do not ask the kernel to restart system calls, so a blocking
/// receive, send or poll returns at once with `ZMQError.interrupted`:
/// the program sees the error, or checks ``isInterrupted``, and shuts down cleanly.
public func catchSignals() {
    var action = sigaction()
    #if canImport(Glibc)
    action.__sigaction_handler.sa_handler = { _ in interruptFlag.store(true, ordering: .relaxed) }
    #else
    action.__sigaction_u.__sa_handler = { _ in interruptFlag.store(true, ordering: .relaxed) }
    #endif
    action.sa_flags = 0
    sigemptyset(&action.sa_mask)
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
}

/// Whether SIGINT or SIGTERM arrived since ``catchSignals()`` (the guide's
/// `s_interrupted`, CZMQ's `zsys_interrupted`).
public var isInterrupted: Bool {
    interruptFlag.load(ordering: .relaxed)
}

/// Clears ``isInterrupted`` and puts the default actions back for SIGINT and
/// SIGTERM, undoing ``catchSignals()``.
public func restoreDefaultSignals() {
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
    interruptFlag.store(false, ordering: .relaxed)
}
