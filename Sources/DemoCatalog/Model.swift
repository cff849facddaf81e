// The shape of a demo: which processes a pattern needs, in which order, with
// which arguments and input, and which sockets each of them binds or connects.
// The runner (`swift run demo NAME`) and the topology diagrams of examples.md
// are both made from these values (see Catalog.swift for the demos themselves).

/// Whether a socket binds its endpoint or connects to it.
public enum SocketSide: Sendable, Hashable {
    case bind
    case connect
}

/// One socket of a demo's process: its type, whether it binds or connects, the
/// endpoint as the example writes it, and the thread that owns it.
public struct SocketUse: Sendable, Hashable {
    /// The socket type as the guide writes it: `REQ`, `ROUTER`, `PUB`...
    public var type: String
    /// Whether the socket binds or connects.
    public var side: SocketSide
    /// The endpoint, as the example passes it to bind or connect.
    public var endpoint: String
    /// The thread (or actor) that owns the socket; `nil` for the main thread.
    public var thread: String?

    /// A socket owned by another thread of the same process.
    public func on(_ thread: String) -> SocketUse {
        var copy = self
        copy.thread = thread
        return copy
    }
}

/// A socket that binds `endpoint`.
public func bind(_ type: String, _ endpoint: String) -> SocketUse {
    SocketUse(type: type, side: .bind, endpoint: endpoint, thread: nil)
}

/// A socket that connects to `endpoint`.
public func connect(_ type: String, _ endpoint: String) -> SocketUse {
    SocketUse(type: type, side: .connect, endpoint: endpoint, thread: nil)
}

/// Something the runner types into a process's standard input.
public struct Feed: Sendable, Hashable {
    /// Text the process must have printed first (a prompt need not end its
    /// line); `nil` to feed as soon as the process starts.
    public var after: String?
    /// How long to wait after that, in milliseconds.
    public var delay: Int
    /// The line to send (without its newline); `nil` closes standard input.
    public var line: String?

    /// Sends `line` `delay` ms after the process printed `after`.
    public static func line(_ line: String, after: String? = nil, delay: Int = 0) -> Feed {
        Feed(after: after, delay: delay, line: line)
    }

    /// Closes standard input `delay` ms after the process printed `after`.
    public static func endOfInput(after: String? = nil, delay: Int = 0) -> Feed {
        Feed(after: after, delay: delay, line: nil)
    }
}

/// One process of a demo.
public struct DemoProcess: Sendable, Hashable {
    /// The name its output lines are prefixed with (unique in the demo).
    public var label: String
    /// The example's executable (a product of Package.swift).
    public var executable: String
    /// Its command-line arguments.
    public var arguments: [String]
    /// The sockets it opens, for the diagram.
    public var sockets: [SocketUse]
    /// What the runner types into its standard input. A process without
    /// feeds reads end of input at once.
    public var feeds: [Feed]
    /// Milliseconds to wait after starting the previous process.
    public var delay: Int
    /// Whether the runner waits for it to end before starting the next one
    /// (a step that prepares a file, say).
    public var runsFirst: Bool

    /// A process labelled `label` that runs `executable` (by default the
    /// label) with `arguments`, `delay` ms after the previous one.
    public init(_ label: String, executable: String? = nil, _ arguments: [String] = [],
                delay: Int = 300, runsFirst: Bool = false, feeds: [Feed] = [], sockets: [SocketUse]) {
        self.label = label
        self.executable = executable ?? label
        self.arguments = arguments
        self.sockets = sockets
        self.feeds = feeds
        self.delay = delay
        self.runsFirst = runsFirst
    }

    /// The command line a person would type for this process.
    public var commandLine: String {
        (["swift run", executable] + arguments.map(Self.quoted)).joined(separator: " ")
    }

    private static func quoted(_ argument: String) -> String {
        let plain = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,".contains($0) }
        return plain && !argument.isEmpty ? argument : "'\(argument)'"
    }
}

/// The chapters (and other parts) of the guide a demo belongs to, in order.
public enum Part: Int, Sendable, CaseIterable, Comparable {
    case chapter1 = 1, chapter2, chapter3, chapter4, chapter5, chapter7, chapter8, seed, perf, security

    /// The heading the part has in examples.md.
    public var title: String {
        switch self {
        case .chapter1: "Chapter 1, Basics"
        case .chapter2: "Chapter 2, Sockets and Patterns"
        case .chapter3: "Chapter 3, Advanced Request-Reply"
        case .chapter4: "Chapter 4, Reliable Request-Reply"
        case .chapter5: "Chapter 5, Advanced Pub-Sub"
        case .chapter7: "Chapter 7, Advanced Architecture using ØMQ"
        case .chapter8: "Chapter 8, A Framework for Distributed Computing"
        case .seed: "The chat from \"ZeroMQ Basics\""
        case .perf: "Performance tools"
        case .security: "Security: the five steps of ZeroMQ's security tutorial"
        }
    }

    public static func < (a: Part, b: Part) -> Bool { a.rawValue < b.rawValue }
}

/// One runnable pattern: the processes to start and when the demo is over.
public struct Demo: Sendable, Hashable {
    /// What to type after `swift run demo`.
    public var name: String
    /// One line saying what it shows.
    public var title: String
    /// Where it sits in the guide.
    public var part: Part
    /// The processes, in the order they start.
    public var processes: [DemoProcess]
    /// The labels of the processes whose end ends the demo (all of them must
    /// end); the demo exits with the worst of their statuses. Empty: the demo
    /// runs until Ctrl-C.
    public var drivers: [String]
    /// The work stream whose branch brings its examples (chapters 4 to 8).
    public var stream: String?
    /// The stream, while it is in ``pendingStreams`` (not merged yet). The
    /// runner reports such a demo "not built" instead of failing while any of
    /// its executables is missing, and the tests skip it.
    public var pending: String? {
        stream.flatMap { pendingStreams.contains($0) ? $0 : nil }
    }
    /// A remark shown by the runner and under the diagram.
    public var note: String?

    /// A demo called `name`; see the properties.
    public init(_ name: String, _ title: String, _ part: Part, drivers: [String],
                pending: String? = nil, note: String? = nil, _ processes: [DemoProcess]) {
        self.name = name
        self.title = title
        self.part = part
        self.processes = processes
        self.drivers = drivers
        self.stream = pending
        self.note = note
    }

    /// The distinct executables it starts, in order.
    public var executables: [String] {
        var seen = Set<String>()
        return processes.map(\.executable).filter { seen.insert($0).inserted }
    }
}
