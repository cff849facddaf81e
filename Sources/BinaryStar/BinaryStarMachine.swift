/// The finite-state machine of Binary Star, as a value: a state, the time
/// the peer is thought dead, and the rule that applies one event.
///
/// It does no I/O; ``BinaryStar`` feeds it the peer's state messages and
/// the client requests, and the unit tests drive it with a fake clock.
public struct BinaryStarMachine: Sendable, Equatable {
    /// The states a server can be in. The raw value is what goes on the
    /// wire in a state message (ASCII decimal).
    public enum State: Int, Sendable, CaseIterable, CustomStringConvertible {
        /// Primary, waiting for its peer.
        case primary = 1
        /// Backup, waiting for its peer.
        case backup = 2
        /// Active: serves clients.
        case active = 3
        /// Passive: does not serve clients.
        case passive = 4

        public var description: String {
            switch self {
            case .primary: "primary"
            case .backup: "backup"
            case .active: "active"
            case .passive: "passive"
            }
        }
    }

    /// The events: the first four are the peer's states as it announced
    /// them, the last one a request from a client.
    public enum Event: Int, Sendable, CaseIterable {
        case peerPrimary = 1
        case peerBackup = 2
        case peerActive = 3
        case peerPassive = 4
        case clientRequest = 5

        /// The event a peer's state message stands for: one frame holding
        /// 1 to 4 in ASCII decimal. Anything else is nil.
        public init?(stateMessage frame: [UInt8]) {
            guard (1...2).contains(frame.count),
                  let value = Int(String(decoding: frame, as: UTF8.self)),
                  (1...4).contains(value) else { return nil }
            self.init(rawValue: value)
        }
    }

    /// What applying an event did.
    public enum Outcome: Sendable, Equatable {
        /// The event is accepted (a client request may be served); `log`
        /// says how the state changed, nil when it did not.
        case accepted(log: String?)
        /// A client request that must not be served now.
        case rejected
        /// Split brain or a dead cluster: the server must stop.
        case fatal(String)
    }

    /// The peer counts as dead this long after its last state message.
    public static let peerTimeout: Int64 = 2 * heartbeat
    /// How often each server publishes its state, in milliseconds.
    public static let heartbeat: Int64 = 1000

    /// The current state.
    public private(set) var state: State
    /// When the peer will count as dead (milliseconds of ``clockMilliseconds()``).
    public var peerExpiry: Int64

    /// A primary or backup server, whose peer is dead after `peerExpiry`.
    public init(primary: Bool, peerExpiry: Int64 = 0) {
        self.state = primary ? .primary : .backup
        self.peerExpiry = peerExpiry
    }

    /// A machine in any state, for tests.
    public init(state: State, peerExpiry: Int64 = 0) {
        self.state = state
        self.peerExpiry = peerExpiry
    }

    /// Pushes the peer's expiry one timeout past `now`: call this for each
    /// state message received.
    public mutating func peerSeen(at now: Int64) {
        peerExpiry = now + Self.peerTimeout
    }

    /// Applies `event` at time `now` (milliseconds), changing the state as
    /// the chapter's table says.
    public mutating func handle(_ event: Event, at now: Int64) -> Outcome {
        switch (state, event) {
        // Primary: waits for the backup, or for clients once the backup
        // has been silent long enough (it may be active after a failover)
        case (.primary, .peerBackup):
            state = .active
            return .accepted(log: "I: connected to backup (passive), ready as active")
        case (.primary, .peerActive):
            state = .passive
            return .accepted(log: "I: connected to backup (active), ready as passive")
        case (.primary, .clientRequest):
            guard now >= peerExpiry else { return .rejected }
            state = .active
            return .accepted(log: "I: request from client, ready as active")

        // Backup: waits for the primary to be active; never serves first
        case (.backup, .peerActive):
            state = .passive
            return .accepted(log: "I: connected to primary (active), ready as passive")
        case (.backup, .clientRequest):
            return .rejected

        // Active: the only way out is death
        case (.active, .peerActive):
            return .fatal("E: fatal error - dual actives, aborting")

        // Passive: takes over when the peer restarts, or when a client
        // votes while the peer has been silent past its expiry
        case (.passive, .peerPrimary):
            state = .active
            return .accepted(log: "I: primary (passive) is restarting, ready as active")
        case (.passive, .peerBackup):
            state = .active
            return .accepted(log: "I: backup (passive) is restarting, ready as active")
        case (.passive, .peerPassive):
            return .fatal("E: fatal error - dual passives, aborting")
        case (.passive, .clientRequest):
            guard now >= peerExpiry else { return .rejected }
            state = .active
            return .accepted(log: "I: failover successful, ready as active")

        default:
            return .accepted(log: nil)
        }
    }
}
