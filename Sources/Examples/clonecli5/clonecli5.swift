// Clone client, model five: as model four, with kvmsg's five frames, and
// each update it sends lives a random number of seconds (a "ttl" property
// below 30, 0 meaning for ever), after which the server deletes it.
// Snapshot of "/client/" from tcp://localhost:5556, updates from
// tcp://localhost:5557, its own updates to tcp://localhost:5558.
import ArgumentParser
import KVMsg
import ZHelpers
import ZMQ

@main
struct CloneCli5: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonecli5",
        abstract: "Clone client, model five: the subtree /client/, one random update a second with a random TTL.")

    static let subtree = "/client/"

    @Option(help: "Stop sending after this many updates, but keep receiving (default: never stop, as the C).")
    var updates: Int?

    @Option(help: "Each update's TTL is a random number of seconds below this (0: for ever).")
    var maxTTL = 30

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

        var map: [String: KeyValueMessage] = [:]
        var sequence: Int64 = 0
        do {
            // The snapshot of our subtree: key-values until KTHXBAI
            try snapshot.sendMore("ICANHAZ?")
            try snapshot.send(Self.subtree)
            while !isInterrupted {
                switch try KeyValueMessage.receive(from: snapshot) {
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
                    switch try KeyValueMessage.receive(from: subscriber) {
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
                        var update = KeyValueMessage(key: Self.subtree + String(randof(10000)),
                                                     body: String(randof(1_000_000)))
                        update.setProperty("ttl", to: String(randof(max(1, maxTTL))))
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
