import Testing
@testable import BinaryStar

/// Every transition of the chapter's Binary Star table, and the events that
/// leave the state alone, on the machine with a fake clock.
@Suite("Binary Star state machine")
struct BinaryStarMachineTests {
    typealias State = BinaryStarMachine.State
    typealias Event = BinaryStarMachine.Event

    static let now: Int64 = 10_000

    /// A machine in `state` whose peer expires at `expiry`.
    func machine(_ state: State, expiry: Int64 = now + 1) -> BinaryStarMachine {
        BinaryStarMachine(state: state, peerExpiry: expiry)
    }

    @Test("the table's transitions", arguments: [
        (State.primary, Event.peerBackup, State.active),
        (State.primary, Event.peerActive, State.passive),
        (State.backup, Event.peerActive, State.passive),
        (State.passive, Event.peerPrimary, State.active),
        (State.passive, Event.peerBackup, State.active),
    ])
    func transition(from: State, event: Event, to: State) {
        var fsm = machine(from)
        let outcome = fsm.handle(event, at: Self.now)
        guard case .accepted(let log?) = outcome else {
            Issue.record("expected a logged transition, got \(outcome)")
            return
        }
        #expect(fsm.state == to)
        #expect(log.hasPrefix("I: "))
    }

    @Test("a client request turns a primary active once its peer has been silent past the expiry")
    func primaryClientVote() {
        var fsm = machine(.primary, expiry: Self.now)
        #expect(fsm.handle(.clientRequest, at: Self.now) == .accepted(log: "I: request from client, ready as active"))
        #expect(fsm.state == .active)
    }

    @Test("a primary drops requests while its peer may still be alive (failback)")
    func primaryRejectsEarly() {
        var fsm = machine(.primary, expiry: Self.now + 1)
        #expect(fsm.handle(.clientRequest, at: Self.now) == .rejected)
        #expect(fsm.state == .primary)
    }

    @Test("client vote: a passive server fails over only when its peer is past the expiry")
    func passiveFailover() {
        var alive = machine(.passive, expiry: Self.now + 1)
        #expect(alive.handle(.clientRequest, at: Self.now) == .rejected)
        #expect(alive.state == .passive)
        var dead = machine(.passive, expiry: Self.now)
        #expect(dead.handle(.clientRequest, at: Self.now) == .accepted(log: "I: failover successful, ready as active"))
        #expect(dead.state == .active)
    }

    @Test("a backup never serves before it has seen an active primary (no split brain)")
    func backupRejects() {
        var fsm = machine(.backup, expiry: 0)
        for time in [Self.now, Self.now * 100] {
            #expect(fsm.handle(.clientRequest, at: time) == .rejected)
            #expect(fsm.state == .backup)
        }
    }

    @Test("dual actives and dual passives are fatal")
    func fatal() {
        var active = machine(.active)
        #expect(active.handle(.peerActive, at: Self.now) == .fatal("E: fatal error - dual actives, aborting"))
        var passive = machine(.passive)
        #expect(passive.handle(.peerPassive, at: Self.now) == .fatal("E: fatal error - dual passives, aborting"))
    }

    @Test("events that leave the state alone", arguments: [
        (State.primary, Event.peerPrimary),
        (State.primary, Event.peerPassive),
        (State.backup, Event.peerPrimary),
        (State.backup, Event.peerBackup),
        (State.backup, Event.peerPassive),
        (State.active, Event.peerPrimary),
        (State.active, Event.peerBackup),
        (State.active, Event.peerPassive),
        (State.active, Event.clientRequest),
        (State.passive, Event.peerActive),
    ])
    func unchanged(state: State, event: Event) {
        var fsm = machine(state)
        #expect(fsm.handle(event, at: Self.now) == .accepted(log: nil))
        #expect(fsm.state == state)
    }

    @Test("every state and event pair is covered by the two tables above or a rule")
    func coverage() {
        // 4 states x 5 events = 20 pairs: 5 transitions, 1 primary vote,
        // 1 backup rejection, 1 passive vote, 2 fatal, 10 unchanged.
        #expect(5 + 1 + 1 + 1 + 2 + 10 == State.allCases.count * Event.allCases.count)
    }

    @Test("a state message pushes the peer's expiry two heartbeats ahead")
    func expiry() {
        var fsm = BinaryStarMachine(primary: true)
        fsm.peerSeen(at: Self.now)
        #expect(fsm.peerExpiry == Self.now + 2000)
    }

    @Test("state messages: one ASCII digit, 1 to 4", arguments: [
        ("1", Event.peerPrimary), ("2", Event.peerBackup), ("3", Event.peerActive), ("4", Event.peerPassive),
    ])
    func stateMessage(text: String, event: Event) {
        #expect(Event(stateMessage: Array(text.utf8)) == event)
    }

    @Test("malformed state messages are refused", arguments: ["", "0", "5", "x", "3\0", "33", "-1"])
    func badStateMessage(text: String) {
        #expect(Event(stateMessage: Array(text.utf8)) == nil)
    }
}
