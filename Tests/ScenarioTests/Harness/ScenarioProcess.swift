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
    private let process = Process()
    private let input = Pipe()
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let lock = NSLock()
    private var stdoutBytes: [UInt8] = []
    private var stderrBytes: [UInt8] = []
    private var stdoutClosed = false
    private var cursor = 0        // lines before this index were consumed by expectLine
    private var textCursor = 0    // bytes before this offset were consumed by expectText

    init(name: String, executable: URL, arguments: [String], directory: URL,
         wrap: [String], environment: [String: String] = [:]) throws {
        self.name = name
        if let launcher = wrap.first {
            process.executableURL = URL(fileURLWithPath: launcher)
            process.arguments = Array(wrap.dropFirst()) + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = input
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
        collect(stdoutPipe.fileHandleForReading, isStdout: true)
        collect(stderrPipe.fileHandleForReading, isStdout: false)
    }

    var pid: Int32 { process.processIdentifier }

    private func collect(_ handle: FileHandle, isStdout: Bool) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                lock.lock()
                if data.isEmpty {
                    if isStdout { stdoutClosed = true }
                    lock.unlock()
                    return
                }
                if isStdout { stdoutBytes += data } else { stderrBytes += data }
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
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Closes standard input: the process reads end of file.
    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    // MARK: Its end

    /// Whether the process has exited.
    var isFinished: Bool { !process.isRunning }

    private var isOutputClosed: Bool {
        lock.lock(); defer { lock.unlock() }
        return stdoutClosed
    }

    /// Sends a signal, such as SIGINT for Ctrl-C.
    func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits for the process to exit by itself and returns its exit status;
    /// a death by signal counts as 128 + the signal number, as in a shell.
    @discardableResult
    func waitForExit(within timeout: Duration = .seconds(10)) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning {
            if clock.now >= deadline {
                throw ScenarioError(report("did not exit within \(timeout)"))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // Let the readers take the last of the output.
        while !isOutputClosed && clock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Ends the process: SIGTERM, then SIGKILL if it is still there after a grace period.
    func terminate(grace: Duration = .seconds(2)) {
        closeInput()
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while process.isRunning && clock.now < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
