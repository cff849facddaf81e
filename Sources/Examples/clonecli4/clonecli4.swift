// Clone client, model four: as model three, but it works on the subtree
// "/client/" only: it asks for a snapshot of that subtree
// (tcp://localhost:5556), subscribes to it alone (tcp://localhost:5557),
// and once a second sends a random update under it (tcp://localhost:5558).
// Messages are kvsimple's three frames (key, sequence, body), as in the C:
// the KVSimple library.
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneCli4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonecli4",
        abstract: "Clone client, model four: the subtree /client/, one random update a second.")

    static let subtree = "/client/"

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
        try subscriber.subscribe(Self.subtree)
        try subscriber.connect("tcp://localhost:5557")
        let publisher = try context.socket(.push)
        try publisher.set(.linger, to: 0)
        try publisher.connect("tcp://localhost:5558")

        var map: [String: KVSimpleMessage] = [:]
        var sequence: Int64 = 0
        do {
            // The snapshot of our subtree: key-values until KTHXBAI
            try snapshot.sendMore("ICANHAZ?")
            try snapshot.send(Self.subtree)
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
            // Then the updates, and one of our own every second
            var sent = 0
            var alarm = clockMilliseconds() + 1000
            var poller = Poller()
            poller.add(subscriber)
            while !isInterrupted {
                try poller.poll(timeoutMilliseconds: Int(max(0, alarm - clockMilliseconds())))
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
                        let update = KVSimpleMessage(key: Self.subtree + String(randof(10000)), sequence: 0,
                                                     body: String(randof(1_000_000)))
                        try update.send(to: publisher)
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
