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

/// Reads a line from standard input, without its newline, as `readLine()`
/// does, but gives up and returns nil as soon as ``isInterrupted`` is set
/// (after ``catchSignals()``), so that a program waiting at a prompt still
/// ends on Ctrl-C or SIGTERM. Also nil at the end of input.
///
/// It reads one byte at a time, so nothing after the line is taken from
/// standard input.
public func readLineUnlessInterrupted() -> String? {
    var line: [UInt8] = []
    while !isInterrupted {
        var item = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        let ready = poll(&item, 1, 100)   // wake up to look at the flag
        if ready < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if ready == 0 { continue }
        var byte: UInt8 = 0
        let count = read(0, &byte, 1)
        if count < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if count == 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
        if byte == 10 { return String(decoding: line, as: UTF8.self) }
        line.append(byte)
    }
    return nil
}
