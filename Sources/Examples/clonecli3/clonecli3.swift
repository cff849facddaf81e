// Clone client, model three: takes a snapshot of the state
// (tcp://localhost:5556), applies the updates newer than it
// (tcp://localhost:5557), and once a second sends a random update of its
// own to the server's collector (tcp://localhost:5558).
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneCli3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonecli3",
        abstract: "Clone client, model three: a snapshot, then updates, sending one random update a second.")

    @Option(help: "Stop sending after this many updates, but keep receiving (default: never stop, as the C).")
    var updates: Int?

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with the server's.")
    var digest = false

    func run() throws {
        catchSignals()
        let context = try Context()
        let snapshot = try context.socket(.dealer)
        try snapshot.set(.linger, to: 0)
        try snapshot.connect("tcp://localhost:5556")
        let subscriber = try context.socket(.sub)
        try subscriber.set(.linger, to: 0)
        try subscriber.subscribe("")
        try subscriber.connect("tcp://localhost:5557")
        let publisher = try context.socket(.push)
        try publisher.set(.linger, to: 0)
        try publisher.connect("tcp://localhost:5558")

        var map: [String: KVSimpleMessage] = [:]
        var sequence: Int64 = 0
        do {
            // The state snapshot: key-values until KTHXBAI
            try snapshot.send("ICANHAZ?")
            while !isInterrupted {
                switch try KVSimpleMessage.receive(from: snapshot) {
                case .success(let message) where message.key == "KTHXBAI":
                    sequence = message.sequence
                    print("I: received snapshot=\(sequence)")
                case .success(let message):
                    message.store(in: &map)
                    continue
                case .failure(let error):
                    printError("E: malformed snapshot entry dropped: \(error)")
                    continue
                }
                break
            }
            // Then the server's updates, and one of our own every second
            var sent = 0
            var alarm = clockMilliseconds() + 1000
            var poller = Poller()
            poller.add(subscriber)
            while !isInterrupted {
                let tickless = max(0, alarm - clockMilliseconds())
                try poller.poll(timeoutMilliseconds: Int(tickless))
                if poller.isReadable(0) {
                    switch try KVSimpleMessage.receive(from: subscriber) {
                    case .success(let message):
                        // Drop what is not newer than what we have
                        if message.sequence > sequence {
                            sequence = message.sequence
                            message.store(in: &map)
                            print("I: received update=\(sequence)")
                        }
                    case .failure(let error):
                        printError("E: malformed update dropped: \(error)")
                    }
                }
                if clockMilliseconds() >= alarm {
                    if sent < updates ?? .max {
                        try KVSimpleMessage(key: String(randof(10000)), sequence: 0,
                                            body: String(randof(1_000_000))).send(to: publisher)
                        sent += 1
                    }
                    alarm = clockMilliseconds() + 1000
                }
            }
        } catch {
            if !error.isInterrupted { throw error }
        }
        print(" Interrupted\n\(sequence) messages in")
        if digest { print(mapDigestLine(map)) }
    }
}
