// Binary Star server, proof of concept: a primary (-p) or backup (-b) that
// echoes client requests while it is the one allowed to serve. The pair
// tell each other their state once a second over a crossed PUB/SUB pair;
// a passive server takes over only when its peer has been silent for two
// heartbeats and a client asks it for service.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct BStarSrv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bstarsrv",
        abstract: "Binary Star server (proof of concept): -p primary on tcp://*:5001, -b backup on tcp://*:5002.",
        usage: "bstarsrv { -p | -b }")

    @Flag(name: .customShort("p"), help: "Primary: clients on tcp://*:5001, state out on 5003, in from 5004.")
    var primary = false
    @Flag(name: .customShort("b"), help: "Backup: clients on tcp://*:5002, state out on 5004, in from 5003.")
    var backup = false

    func validate() throws {
        guard primary != backup else { throw ValidationError("give exactly one of -p and -b") }
    }

    enum State: Int { case primary = 1, backup, active, passive }
    enum Event: Int { case peerPrimary = 1, peerBackup, peerActive, peerPassive, clientRequest }

    /// We publish our state this often; a peer silent for two heartbeats is dead.
    static let heartbeat: Int64 = 1000

    /// The finite-state machine: applies one event to the state. Returns
    /// false for an exception (a request not to serve, or a fatal state).
    struct Machine {
        var state: State
        var peerExpiry: Int64 = 0

        mutating func handle(_ event: Event) -> Bool {
            switch (state, event) {
            // Waiting for the peer; the primary serves clients meanwhile
            case (.primary, .peerBackup):
                print("I: connected to backup (passive), ready active")
                state = .active
            case (.primary, .peerActive):
                print("I: connected to backup (active), ready passive")
                state = .passive
            case (.backup, .peerActive):
                print("I: connected to primary (active), ready passive")
                state = .passive
            case (.backup, .clientRequest):
                return false   // a backup never serves first
            // Active and passive
            case (.active, .peerActive):
                print("E: fatal error - dual actives, aborting")   // split brain
                return false
            case (.passive, .peerPrimary):
                print("I: primary (passive) is restarting, ready active")
                state = .active
            case (.passive, .peerBackup):
                print("I: backup (passive) is restarting, ready active")
                state = .active
            case (.passive, .peerPassive):
                print("E: fatal error - dual passives, aborting")  // nobody would serve
                return false
            case (.passive, .clientRequest):
                // The client's vote fails us over, if the peer looks dead
                guard clockMilliseconds() >= peerExpiry else { return false }
                print("I: failover successful, ready active")
                state = .active
            default:
                break
            }
            return true
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let statePub = try context.socket(.pub)
        try statePub.limitSubscriptions()
        let stateSub = try context.socket(.sub)
        try stateSub.subscribe("")
        let frontend = try context.socket(.router)
        var fsm: Machine
        if primary {
            print("I: Primary active, waiting for backup (passive)")
            try frontend.bind("tcp://*:5001")
            try statePub.bind("tcp://*:5003")
            try stateSub.connect("tcp://localhost:5004")
            fsm = Machine(state: .primary)
        } else {
            print("I: Backup passive, waiting for primary (active)")
            try frontend.bind("tcp://*:5002")
            try statePub.bind("tcp://*:5004")
            try stateSub.connect("tcp://localhost:5003")
            fsm = Machine(state: .backup)
        }
        for socket in [statePub, stateSub, frontend] { try socket.set(.linger, to: 0) }

        // Handle client requests and peer states one at a time through the
        // machine; the work for a request is to echo it back
        var sendStateAt = clockMilliseconds() + Self.heartbeat
        var poller = Poller()
        let frontendItem = poller.add(frontend)
        let stateItem = poller.add(stateSub)
        while !isInterrupted {
            let timeLeft = max(0, sendStateAt - clockMilliseconds())
            do { try poller.poll(timeoutMilliseconds: Int(timeLeft)) } catch { break }

            if poller.isReadable(frontendItem) {
                // A request not served is read and dropped, never queued
                let request = try ZMsg.receive(from: frontend)
                if fsm.handle(.clientRequest) {
                    try request.send(to: frontend)
                }
            }
            if poller.isReadable(stateItem) {
                // The peer's state, one frame in ASCII decimal, is our event
                let frames = try stateSub.receiveMultipart()
                if frames.count == 1, let number = Int(String(decoding: frames[0], as: UTF8.self)),
                   let event = Event(rawValue: number), event != .clientRequest {
                    if !fsm.handle(event) { break }   // fatal: exit
                    fsm.peerExpiry = clockMilliseconds() + 2 * Self.heartbeat
                } else {
                    printError("E: malformed state message from peer, dropped")
                }
            }
            // Time to tell the peer our state
            if clockMilliseconds() >= sendStateAt {
                try statePub.send(String(fsm.state.rawValue))
                sendStateAt = clockMilliseconds() + Self.heartbeat
            }
        }
        if isInterrupted { print("W: interrupted") }
    }
}
