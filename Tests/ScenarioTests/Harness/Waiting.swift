import Foundation

// The waits and line filters that several scenario suites share, said once.

/// Waits until `condition` holds, checking every 50 ms; fails with `process`'s
/// output when it does not hold within `timeout`. For conditions on more than
/// one line (counts, numbers); a single line is better waited for with
/// ``ScenarioProcess/expectLine(_:within:)``.
func waitUntil(
    within timeout: Duration, _ what: String, _ process: ScenarioProcess, _ condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        if ContinuousClock.now >= deadline {
            throw ScenarioError(process.report("expected \(what) within \(timeout)"))
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}

/// The sequence numbers of a client's "I: server replied OK (N)" lines (the
/// Pirate and Binary Star clients), in order.
func replies(of client: ScenarioProcess) -> [Int] {
    client.lines.compactMap { line in
        line.wholeMatch(of: /I: server replied OK \((\d+)\)/).flatMap { Int($0.1) }
    }
}

extension ScenarioProcess {
    /// The non-empty lines the process wrote to standard error so far.
    var errorLines: [String] {
        errorOutput.split(separator: "\n").map(String.init)
    }

    /// The lines of standard error, once there are at least `count` of them.
    func errorLines(atLeast count: Int, within timeout: Duration = .seconds(20)) async throws -> [String] {
        try await waitUntil(within: timeout, "at least \(count) lines on standard error", self) {
            errorLines.count >= count
        }
        return errorLines
    }
}
