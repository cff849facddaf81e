import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One running process of a scenario: its output, collected as it comes, and
/// its standard input, which the test can write to.
///
/// Waiting is asynchronous (it polls the collected output), so many
/// scenarios wait side by side without holding a thread each.
final class ScenarioProcess: @unchecked Sendable {
    let name: String
    /// The process id (the launcher wrappers exec, so this is the program's own).
    let pid: pid_t
    private let inputFD: Int32
    private let lock = NSLock()
    private var inputOpen = true
    private var stdoutBytes: [UInt8] = []
    private var stderrBytes: [UInt8] = []
    private var stdoutClosed = false
    private var stderrClosed = false
    private var exitStatus: Int32?  // as a shell reports it: 128 + signal for a death by signal
    private var cursor = 0        // lines before this index were consumed by expectLine
    private var textCursor = 0    // bytes before this offset were consumed by expectText

    /// Starts `executable` through the `wrap` launchers (setpriv, nsenter) in
    /// `directory`. posix_spawn is used rather than Foundation's Process so
    /// that the child starts with no blocked signals and default signal
    /// actions: the test runner's threads block most signals, and a child
    /// inheriting that mask would never see SIGINT or SIGTERM.
    init(name: String, executable: URL, arguments: [String], directory: URL,
         wrap: [String], environment: [String: String] = [:]) throws {
        self.name = name
        let argv = wrap + ["/usr/bin/env", "-C", directory.path, executable.path] + arguments
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }

        // Pipes are made close-on-exec, and under one lock with the spawn, so
        // that no other child inherits their ends (a stray write end would
        // keep a process from ever seeing end of input).
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw ScenarioError("pipe failed: errno \(errno)")
        }
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        let (rc, child) = SpawnThread.shared.spawn(
            argv: argv, environment: env, stdin: stdinPipe[0], stdout: stdoutPipe[1], stderr: stderrPipe[1])
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard rc == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw ScenarioError("cannot start \(argv.joined(separator: " ")): errno \(rc)")
        }
        pid = child
        inputFD = stdinPipe[1]
        collect(stdoutPipe[0], isStdout: true)
        collect(stderrPipe[0], isStdout: false)
    }

    private static let spawnLock = NSLock()

    deinit { closeInput() }

    private func collect(_ fd: Int32, isStdout: Bool) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                lock.lock()
                if count <= 0 {
                    if isStdout { stdoutClosed = true } else { stderrClosed = true }
                    lock.unlock()
                    close(fd)
                    return
                }
                if isStdout { stdoutBytes += buffer.prefix(count) } else { stderrBytes += buffer.prefix(count) }
                lock.unlock()
            }
        }
        thread.start()
    }

    // MARK: What it printed

    /// Everything written to standard output so far.
    var output: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stdoutBytes, as: UTF8.self)
    }

    /// Everything written to standard error so far.
    var errorOutput: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stderrBytes, as: UTF8.self)
    }

    /// The complete lines of standard output so far.
    var lines: [String] {
        let text = output
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()   // the part after the last newline is not a whole line yet
        return lines
    }

    /// Waits for the next line, after those already consumed, that equals `text`.
    @discardableResult
    func expectLine(_ text: String, within timeout: Duration = .seconds(10)) async throws -> String {
        try await expectLine(within: timeout, "a line equal to \"\(text)\"") { $0 == text }
    }

    /// Waits for the next line, after those already consumed, that contains `text`.
    @discardableResult
    func expectLine(containing text: String, within timeout: Duration = .seconds(10)) async throws -> String {
        try await expectLine(within: timeout, "a line containing \"\(text)\"") { $0.contains(text) }
    }

    /// Waits for the next line, after those already consumed, for which
    /// `predicate` holds; consumes it and those before it, and returns it.
    @discardableResult
    func expectLine(within timeout: Duration = .seconds(10), _ what: String = "a matching line",
                    where predicate: (String) -> Bool) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let all = lines
            if cursor < all.count, let index = all[cursor...].firstIndex(where: predicate) {
                cursor = index + 1
                return all[index]
            }
            if clock.now >= deadline || (isFinished && isOutputClosed) {
                let all = lines
                if cursor < all.count, let index = all[cursor...].firstIndex(where: predicate) {
                    cursor = index + 1
                    return all[index]
                }
                throw ScenarioError(report("expected \(what) within \(timeout)"))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until standard output, past what was consumed, contains `text`
    /// (which need not end a line, such as a prompt).
    func expectText(_ text: String, within timeout: Duration = .seconds(10)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let all = output
            let rest = all.utf8.dropFirst(textCursor)
            if let range = String(decoding: rest, as: UTF8.self).range(of: text) {
                textCursor += String(decoding: rest, as: UTF8.self)[..<range.upperBound].utf8.count
                return
            }
            if clock.now >= deadline || (isFinished && isOutputClosed) {
                throw ScenarioError(report("expected output \"\(text)\" within \(timeout)"))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The process's output, for a failure message.
    func report(_ problem: String) -> String {
        let tail = output.suffix(3000)
        let errors = errorOutput.suffix(2000)
        return "\(name): \(problem)\n--- stdout (last part) ---\n\(tail)\n--- stderr ---\n\(errors)"
    }

    // MARK: Its input

    /// Writes `line` and a newline to the process's standard input.
    func send(line: String) throws {
        lock.lock(); defer { lock.unlock() }
        guard inputOpen else { throw ScenarioError("\(name): standard input already closed") }
        var bytes = Array((line + "\n").utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(inputFD, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw ScenarioError("\(name): cannot write to standard input (errno \(errno))") }
            bytes = bytes.dropFirst(count)
        }
    }

    /// Closes standard input: the process reads end of file.
    func closeInput() {
        lock.lock(); defer { lock.unlock() }
        if inputOpen { close(inputFD) }
        inputOpen = false
    }

    // MARK: Its end

    /// Whether the process has exited.
    var isFinished: Bool { status != nil }

    private var isOutputClosed: Bool {
        lock.lock(); defer { lock.unlock() }
        return stdoutClosed && stderrClosed   // so errorOutput is whole once the process has exited
    }

    /// The exit status once the process has ended (reaping it), else nil.
    private var status: Int32? {
        lock.lock(); defer { lock.unlock() }
        if exitStatus == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                let signal = raw & 0x7f
                exitStatus = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            }
        }
        return exitStatus
    }

    /// Sends a signal, such as SIGINT for Ctrl-C.
    func signal(_ signal: Int32) {
        if !isFinished { kill(pid, signal) }
    }

    /// Waits for the process to exit by itself and returns its exit status;
    /// a death by signal counts as 128 + the signal number, as in a shell.
    @discardableResult
    func waitForExit(within timeout: Duration = .seconds(10)) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let status {
                // Let the reader take the last of the output.
                while !isOutputClosed && clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
                return status
            }
            if clock.now >= deadline {
                throw ScenarioError(report("did not exit within \(timeout)"))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Ends the process: SIGTERM, then SIGKILL if it is still there after a grace period.
    func terminate(grace: Duration = .seconds(2)) {
        closeInput()
        guard !isFinished else { return }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while !isFinished && clock.now < deadline { usleep(5_000) }
        if !isFinished {
            kill(pid, SIGKILL)
            while !isFinished { usleep(5_000) }
        }
    }
}

/// The one thread that starts every child. `setpriv --pdeathsig` ties a
/// child's life to the thread that spawned it, and the test runner's pool
/// threads come and go; this thread lives as long as the runner does.
final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()
    private let condition = NSCondition()
    private var job: (() -> Void)?
    private var done = false

    private init() {
        Thread { [self] in
            while true {
                condition.lock()
                while job == nil { condition.wait() }
                let work = job
                job = nil
                condition.unlock()
                work?()
                condition.lock()
                done = true
                condition.broadcast()
                condition.unlock()
            }
        }.start()
    }

    /// Starts `argv` with `environment` and the three standard descriptors,
    /// on the spawn thread, with no blocked signals and default signal
    /// actions. Returns posix_spawn's result and the child's pid.
    func spawn(argv: [String], environment: [String], stdin: Int32, stdout: Int32, stderr: Int32) -> (Int32, pid_t) {
        final class Result: @unchecked Sendable { var rc: Int32 = 0; var pid: pid_t = 0 }
        let result = Result()
        let work = {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
            posix_spawn_file_actions_adddup2(&actions, stderr, 2)

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t(), allSignals = sigset_t()
            sigemptyset(&noSignals)
            sigfillset(&allSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            posix_spawnattr_setsigdefault(&attributes, &allSignals)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

            let cArgs = argv.map { strdup($0) } + [nil]
            let cEnv = environment.map { strdup($0) } + [nil]
            defer { (cArgs + cEnv).forEach { free($0) } }
            result.rc = posix_spawn(&result.pid, argv[0], &actions, &attributes, cArgs, cEnv)
        }
        condition.lock()
        defer { condition.unlock() }
        done = false
        job = work
        condition.broadcast()
        while !done { condition.wait() }
        return (result.rc, result.pid)
    }
}
