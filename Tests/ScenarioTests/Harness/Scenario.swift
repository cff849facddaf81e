import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failure of the scenario harness itself, or of an expectation it waited for.
struct ScenarioError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A group of processes that play one scenario together: example
/// executables and test peers, in a temporary directory of their own.
///
/// On Linux as root each scenario gets a private network namespace with only
/// a loopback interface, so scenarios that use the guide's fixed ports
/// (5555, 5556, ...) run in parallel without colliding. Elsewhere scenarios
/// take turns (see ``ScenarioLock``).
///
/// Every process started here is ended by ``stop()``, which the test calls
/// in a `defer`; each child also gets SIGKILL from the kernel if the test
/// runner itself dies (`setpriv --pdeathsig`).
final class Scenario: @unchecked Sendable {
    /// The scenario's working directory: ipc:// endpoints and files go here.
    let directory: URL
    private let lock = NSLock()
    private var processes: [ScenarioProcess] = []
    private var namespace: ScenarioProcess?
    private var holdsTurn = false
    private var holdsSlot = false
    private var stopped = false

    /// Prepares a directory and, where possible, a private network namespace.
    init(_ name: String = #function) async throws {
        Self.ignoreBrokenPipes
        await ScenarioSlots.shared.acquire()
        holdsSlot = true
        let safe = name.filter { $0.isLetter || $0.isNumber }
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("zguide-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if Isolation.available {
            let holder = try ScenarioProcess(
                name: "netns", executable: URL(fileURLWithPath: "/usr/bin/unshare"),
                arguments: ["--net", "/bin/sh", "-c", "ip link set lo up || exit 1; echo ready; exec sleep 100000"],
                directory: directory, wrap: ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"])
            namespace = holder
            try await holder.expectLine("ready", within: .seconds(10))
        } else {
            await ScenarioLock.shared.acquire()
            holdsTurn = true
        }
    }

    deinit { stop() }

    /// Starts the example executable `name` with `arguments`.
    @discardableResult
    func launch(_ name: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> ScenarioProcess {
        let executable = try Binaries.example(name)
        return try start(name: name, executable: executable, arguments: arguments, environment: environment)
    }

    /// Starts a Python peer: `code` runs under the system python3 with pyzmq,
    /// with Tests/Peers on its path (`from wire import show`). Extra
    /// `arguments` land in `sys.argv[1:]`.
    @discardableResult
    func launchPython(_ label: String, _ code: String, _ arguments: [String] = []) throws -> ScenarioProcess {
        let python = try Binaries.python()
        return try start(name: label, executable: python, arguments: ["-u", "-c", code] + arguments,
                         environment: ["PYTHONPATH": Binaries.peersDirectory.path])
    }

    /// Starts a program that is not one of the examples, such as a real
    /// server the scenario plays against (mongrel2), by its path.
    @discardableResult
    func launchProgram(_ label: String, path: String, _ arguments: [String] = [],
                       environment: [String: String] = [:]) throws -> ScenarioProcess {
        try start(name: label, executable: URL(fileURLWithPath: path), arguments: arguments, environment: environment)
    }

    private func start(name: String, executable: URL, arguments: [String], environment: [String: String]) throws -> ScenarioProcess {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { throw ScenarioError("scenario already stopped") }
        var wrap = ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--"]
        if let holder = namespace {
            wrap += ["/usr/bin/nsenter", "--net=/proc/\(holder.pid)/ns/net", "--"]
        }
        let process = try ScenarioProcess(name: name, executable: executable, arguments: arguments,
                                          directory: directory, wrap: wrap, environment: environment)
        processes.append(process)
        return process
    }

    /// Ends every process of the scenario (SIGTERM, then SIGKILL after a
    /// grace period), removes the directory and frees the namespace.
    func stop() {
        lock.lock()
        let all = processes + (namespace.map { [$0] } ?? [])
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        guard !wasStopped else { return }
        // Ask everyone at once, then wait once for the slowest.
        for process in all { process.closeInput(); process.signal(SIGTERM) }
        for process in all { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
        if holdsTurn {
            holdsTurn = false
            Task { await ScenarioLock.shared.release() }
        }
        if holdsSlot {
            holdsSlot = false
            Task { await ScenarioSlots.shared.release() }
        }
    }

    /// Writes to a broken pipe must fail with EPIPE, not kill the test runner.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()
}

/// Whether scenarios can have private network namespaces here.
enum Isolation {
    static let available: Bool = {
        #if os(Linux)
        if ProcessInfo.processInfo.environment["ZGUIDE_ISOLATION"] == "off" { return false }
        guard getuid() == 0 else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["--net", "/bin/sh", "-c", "ip link set lo up"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
        #else
        return false
        #endif
    }()
}

/// A counting semaphore for scenarios, which wait without holding a thread.
actor ScenarioSemaphore {
    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }
}

/// Lets scenarios take turns where they cannot be isolated from each other.
enum ScenarioLock {
    static let shared = ScenarioSemaphore(1)
}

/// Caps how many scenarios run at once ($ZGUIDE_PARALLEL, default 6), so
/// that a 2-core machine is not buried under every example at once.
enum ScenarioSlots {
    static let shared = ScenarioSemaphore(
        ProcessInfo.processInfo.environment["ZGUIDE_PARALLEL"].flatMap(Int.init) ?? 6)
}

/// Where the built examples and the test peers are.
enum Binaries {
    /// The folder of the built executables: $ZGUIDE_BIN_DIR, else the folder
    /// of this test binary (SwiftPM puts both in the same place).
    static let directory: URL = {
        if let dir = ProcessInfo.processInfo.environment["ZGUIDE_BIN_DIR"] {
            return URL(fileURLWithPath: dir)
        }
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: exe).deletingLastPathComponent()
        }
        #endif
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let peersDirectory = packageRoot.appendingPathComponent("Tests/Peers")

    static func example(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ScenarioError("example '\(name)' is not built: no executable at \(url.path) (is it listed in Package.swift? run scripts/test, which builds every example first)")
        }
        return url
    }

    /// The system python3, which has Debian's pyzmq (python3-zmq).
    static func python() throws -> URL {
        for path in ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"] {
            if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
        }
        throw ScenarioError("no python3 with pyzmq found (scripts/test installs python3-zmq)")
    }
}
