// Broker peering simulation, part 1: the state flow.
// Each broker publishes, once a second when nothing else happens, how many
// of its workers are free (a random number here) on ipc://ME-state.ipc, and
// prints the counts its peers publish on theirs.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Peering1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peering1",
        abstract: "Broker peering, part 1: brokers swap free-worker counts over PUB/SUB state sockets.",
        usage: "peering1 me {you}...")

    @Argument(help: "This broker's name; it binds ipc://<me>-state.ipc.")
    var me: String

    @Argument(help: "The names of the peer brokers to subscribe to.")
    var peers: [String] = []

    func run() throws {
        print("I: preparing broker at \(me)...")
        catchSignals()
        let context = try Context()

        // The state backend publishes our state to the peers
        let statebe = try context.socket(.pub)
        try statebe.limitSubscriptions()
        try statebe.set(.linger, to: 0)
        try statebe.bind("ipc://\(me)-state.ipc")

        // The state frontend collects the state of every peer
        let statefe = try context.socket(.sub)
        try statefe.set(.linger, to: 0)
        try statefe.subscribe()
        for peer in peers {
            print("I: connecting to state backend at '\(peer)'")
            try statefe.connect("ipc://\(peer)-state.ipc")
        }

        // The poll timeout is our heartbeat: a second without news from the
        // peers and we send our own state. Sending on every message received
        // would start a message storm.
        var poller = Poller()
        poller.add(statefe)
        while !isInterrupted {
            do {
                try poller.poll(timeout: .seconds(1))
            } catch {
                if error.isInterrupted { break }   // Ctrl-C
                throw error
            }
            if poller.isReadable(0) {
                // Two frames: the peer's name, then its free-worker count
                let frames = try statefe.receiveMultipart()
                guard frames.count == 2 else {
                    printError("E: malformed state message of \(frames.count) frames, dropped")
                    continue
                }
                print("\(frames[0].string) - \(frames[1].string) workers free")
            } else {
                try statebe.sendMore(me)
                try statebe.send(String(randof(10)))
            }
        }
    }
}
