// Starts a demo's processes with posix_spawn, copies their output line by
// line with a coloured prefix, types their input, and ends them all.
import DemoCatalog
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal that asked the runner to stop (SIGINT or SIGTERM), 0 until then.
nonisolated(unsafe) var stopSignal: Int32 = 0

/// Writes prefixed lines from several threads without mixing them up.
final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let width: Int
    private let colour: Bool
    private static let palette = [36, 33, 35, 32, 34, 31, 96, 93, 95, 92, 94, 91]

    init(labels: [String]) {
        width = max(labels.map(\.count).max() ?? 4, 4)
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        colour = isatty(STDOUT_FILENO) == 1 && term != "dumb"
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// The prefix of a process's lines: its label, padded, in its colour.
    func prefix(_ label: String, index: Int) -> String {
        let padded = label.padding(toLength: width, withPad: " ", startingAt: 0)
        guard colour else { return padded + " | " }
        let code = Self.palette[index % Self.palette.count]
        return "\u{1B}[\(code)m\(padded)\u{1B}[0m | "
    }

    /// A line of the runner's own.
    func say(_ text: String) {
        let label = "demo".padding(toLength: width, withPad: " ", startingAt: 0)
        write(colour ? "\u{1B}[1m\(label)\u{1B}[0m | \(text)" : "\(label) | \(text)", to: STDOUT_FILENO)
    }

    /// Writes `line` and a newline to the file descriptor `fd` (1 or 2).
    func write(_ line: String, to fd: Int32) {
        lock.lock(); defer { lock.unlock() }
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            bytes = bytes.dropFirst(count)
        }
    }
}

/// One running process of the demo.
final class Child: @unchecked Sendable {
    let process: DemoProcess
    let pid: pid_t
    private let lock = NSLock()
    private var inputFD: Int32
    private var partial: [UInt8] = []
    private var seen = ""              // stdout so far, kept only while a feed waits for a prompt
    private var status: Int32?
    private var openStreams = 2
    private let prefix: String
    private let console: Console

    init(_ process: DemoProcess, index: Int, console: Console) throws {
        self.process = process
        self.console = console
        prefix = console.prefix(process.label, index: index)
        var input: [Int32] = [-1, -1], output: [Int32] = [0, 0], errors: [Int32] = [0, 0]
        guard pipe(&output) == 0, pipe(&errors) == 0 else { throw SpawnError("pipe: errno \(errno)") }
        if !process.feeds.isEmpty, pipe(&input) != 0 { throw SpawnError("pipe: errno \(errno)") }
        for fd in input + output + errors where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input[0] >= 0 {
            posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errors[1], STDERR_FILENO)

        // The child starts with no blocked signal and default actions, in a
        // process group of its own: Ctrl-C reaches the runner, which passes
        // it on, so that the processes stop in an orderly way.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let path = binDirectory + "/" + process.executable
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + process.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, &attributes, argv, environ)
        if input[0] >= 0 { close(input[0]) }
        close(output[1]); close(errors[1])
        guard rc == 0 else {
            if input[1] >= 0 { close(input[1]) }
            close(output[0]); close(errors[0])
            throw SpawnError("cannot start \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        inputFD = input[1]
        copy(output[0], to: STDOUT_FILENO, isOutput: true)
        copy(errors[0], to: STDERR_FILENO, isOutput: false)
        Thread { [self] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
            lock.lock(); status = code; lock.unlock()
        }.start()
        if !process.feeds.isEmpty {
            Thread { [self] in feed() }.start()
        }
    }

    /// Its exit status as a shell gives it (128 + signal), or nil while it runs.
    var exitStatus: Int32? {
        lock.lock(); defer { lock.unlock() }
        return status
    }

    /// Whether it has ended and everything it wrote has been printed.
    var isDone: Bool {
        lock.lock(); defer { lock.unlock() }
        return status != nil && openStreams == 0
    }

    func signal(_ signal: Int32) {
        if exitStatus == nil { _ = kill(pid, signal) }
    }

    /// Copies the lines read from `fd` to `stream`, prefixed. A line still
    /// unfinished after half a second of silence (a prompt, a row of
    /// progress dots) is shown as it is.
    private func copy(_ fd: Int32, to stream: Int32, isOutput: Bool) {
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 16384)
            var unfinished: [UInt8] = []   // standard error's; standard output's is `partial`
            while true {
                var item = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&item, 1, 500)
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 {
                    lock.lock()
                    let rest = isOutput ? partial : unfinished
                    if isOutput { partial = [] } else { unfinished = [] }
                    lock.unlock()
                    if !rest.isEmpty { console.write(prefix + String(decoding: rest, as: UTF8.self), to: stream) }
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                lock.lock()
                if isOutput && !process.feeds.isEmpty && seen.utf8.count < 1 << 20 {
                    seen += String(decoding: buffer.prefix(count), as: UTF8.self)
                }
                var pending = isOutput ? partial : unfinished
                pending += buffer.prefix(count)
                var lines: [String] = []
                while let newline = pending.firstIndex(of: 10) {
                    lines.append(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
                if isOutput { partial = pending } else { unfinished = pending }
                lock.unlock()
                for line in lines { console.write(prefix + line, to: stream) }
            }
            close(fd)
            lock.lock()
            let rest = isOutput ? partial : unfinished
            if isOutput { partial = [] }
            lock.unlock()
            if !rest.isEmpty { console.write(prefix + String(decoding: rest, as: UTF8.self), to: stream) }
            lock.lock(); openStreams -= 1; lock.unlock()
        }.start()
    }

    /// Types the process's feeds in order, each once its prompt has shown.
    private func feed() {
        for item in process.feeds {
            while let text = item.after, !hasPrinted(text) {
                if exitStatus != nil || stopSignal != 0 { return }
                usleep(50_000)
            }
            usleep(UInt32(item.delay) * 1000)
            if exitStatus != nil || stopSignal != 0 { return }
            lock.lock()
            // Show the prompt the process is waiting at, then what is typed.
            let prompt = String(decoding: partial, as: UTF8.self)
            partial = []
            let fd = inputFD
            if item.line == nil { inputFD = -1 }
            lock.unlock()
            guard fd >= 0 else { return }
            if let line = item.line {
                console.write(prefix + prompt + (line.isEmpty ? "⏎  (the demo pressed Enter)" : "\(line)⏎  (typed by the demo)"), to: STDOUT_FILENO)
                let bytes = Array((line + "\n").utf8)
                _ = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
            } else {
                console.write(prefix + prompt + "(the demo closed standard input)", to: STDOUT_FILENO)
                close(fd)
            }
        }
    }

    private func hasPrinted(_ text: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return seen.contains(text)
    }
}

/// write(2), under a name that no method shadows.
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}

struct SpawnError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs one demo from start to end.
struct Runner {
    let demo: Demo
    let kill: (label: String, after: Double)?

    /// Runs the demo and returns the exit status it should end with.
    func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT) { stopSignal = $0 }
        signal(SIGTERM) { stopSignal = $0 }
        let console = Console(labels: demo.processes.map(\.label) + ["demo"])
        console.say("\(demo.name): \(demo.title)")
        if let note = demo.note { console.say(note) }
        if demo.drivers.isEmpty { console.say("runs until Ctrl-C") }

        var children: [Child] = []
        for (index, process) in demo.processes.enumerated() {
            if index > 0 { pause(milliseconds: process.delay) }
            if stopSignal != 0 { break }
            console.say(process.commandLine)
            do {
                let child = try Child(process, index: index, console: console)
                children.append(child)
                while process.runsFirst && child.exitStatus == nil && stopSignal == 0 { pause(milliseconds: 50) }
            } catch {
                console.say("\(error)")
                stop(children, console: console)
                return 1
            }
        }

        let started = Date()
        var killed = false
        let drivers = children.filter { demo.drivers.contains($0.process.label) }
        while stopSignal == 0 {
            if !drivers.isEmpty && drivers.allSatisfy({ $0.exitStatus != nil }) { break }
            if children.allSatisfy({ $0.exitStatus != nil }) { break }
            if let kill, !killed, Date().timeIntervalSince(started) >= kill.after,
               let victim = children.first(where: { $0.process.label == kill.label }) {
                console.say("killing \(kill.label) (SIGKILL), as asked")
                victim.signal(SIGKILL)
                killed = true
            }
            pause(milliseconds: 50)
        }
        if stopSignal != 0 { console.say("stopping (\(stopSignal == SIGINT ? "Ctrl-C" : "SIGTERM"))") }
        stop(children, console: console)
        let statuses = drivers.compactMap(\.exitStatus)
        if drivers.isEmpty { return 0 }
        return statuses.first { $0 != 0 } ?? 0
    }

    /// Asks every process still running to stop, then kills the stubborn.
    private func stop(_ children: [Child], console: Console) {
        let signal = stopSignal == SIGTERM ? SIGTERM : SIGINT
        for child in children where child.exitStatus == nil { child.signal(signal) }
        let deadline = Date().addingTimeInterval(1.5)
        while Date() < deadline && !children.allSatisfy({ $0.exitStatus != nil }) { pause(milliseconds: 20) }
        for child in children where child.exitStatus == nil {
            console.say("\(child.process.label) did not stop: SIGKILL")
            child.signal(SIGKILL)
        }
        let drained = Date().addingTimeInterval(2)
        while Date() < drained && !children.allSatisfy(\.isDone) { pause(milliseconds: 10) }
        for child in children {
            console.say("\(child.process.label) exited with status \(child.exitStatus.map(String.init) ?? "?")")
        }
    }

    private func pause(milliseconds: Int) {
        usleep(UInt32(milliseconds) * 1000)
    }
}
