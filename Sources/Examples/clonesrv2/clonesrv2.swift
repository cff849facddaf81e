// Clone server, model two: publishes random key-value updates (kvsimple) on
// tcp://*:5557 as fast as it can; a state manager thread keeps the map and
// answers snapshot requests on tcp://*:5556 (ROUTER): "ICANHAZ?", then
// every key-value, then "KTHXBAI" with the sequence number of the snapshot.
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneSrv2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesrv2",
        abstract: "Clone server, model two: updates on tcp://*:5557, snapshots on tcp://*:5556, until Ctrl-C.")

    @Option(help: "Stop publishing after this many updates and only serve snapshots (default: never stop, as the C).")
    var updates: Int?

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with a client's.")
    var digest = false

    func run() throws {
        catchSignals()
        let context = try Context()
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:5557")

        // Start the state manager and wait until it is ready
        let printDigest = digest
        let stateManager = try ZActor(context) { context, pipe in
            try Self.stateManager(context: context, pipe: pipe, printDigest: printDigest)
        }
        try stateManager.pipe.set(.linger, to: 0)
        _ = try stateManager.pipe.receiveString()

        var sequence: Int64 = 0
        do {
            while !isInterrupted && sequence < Int64(updates ?? .max) {
                // A random value for a random key, to subscribers and to the state
                sequence += 1
                let message = KVSimpleMessage(key: String(randof(10000)), sequence: sequence,
                                              body: String(randof(1_000_000)))
                try message.send(to: publisher)
                try message.send(to: stateManager.pipe)
            }
            if !isInterrupted {
                print("I: published \(sequence) updates")
            }
            while !isInterrupted { sleep(milliseconds: 100) }
        } catch {
            if !error.isInterrupted { throw error }
        }
        print(" Interrupted\n\(sequence) messages out")
        // Ends the state manager wherever it waits
        context.shutdown()
        stateManager.join()
    }

    /// The state manager: applies the updates that come down the pipe to the
    /// map, and sends a snapshot of it to each client that asks.
    static func stateManager(context: Context, pipe: Socket, printDigest: Bool) throws {
        var map: [String: KVSimpleMessage] = [:]
        defer { if printDigest { print(mapDigestLine(map)) } }

        let snapshot = try context.socket(.router)
        try snapshot.set(.linger, to: 0)
        // No limit on what waits for a client: a snapshot is larger than
        // the default high-water mark, which would drop its end
        try snapshot.set(.sendHighWaterMark, to: 0)
        try snapshot.bind("tcp://*:5556")
        try pipe.send("READY")

        var poller = Poller()
        let pipeItem = poller.add(pipe)
        let snapshotItem = poller.add(snapshot)
        var sequence: Int64 = 0   // the version of the state
        while true {
            do {
                try poller.poll()
            } catch {
                // A signal is for the main thread to act on; the shutdown ends us
                if error.isInterrupted { continue }
                throw error
            }
            // An update from the main thread
            if poller.isReadable(pipeItem) {
                switch try KVSimpleMessage.receive(from: pipe) {
                case .success(let message):
                    sequence = message.sequence
                    message.store(in: &map)
                case .failure(let error):
                    printError("E: malformed update dropped: \(error)")
                }
            }
            // A snapshot request: [identity, "ICANHAZ?"]
            if poller.isReadable(snapshotItem) {
                let request = try snapshot.receiveMultipart()
                guard request.count == 2, request[1] == Array("ICANHAZ?".utf8) else {
                    printError("E: bad request, dropped")
                    continue
                }
                let identity = request[0]
                for message in map.values {
                    try snapshot.sendMore(identity)
                    try message.send(to: snapshot)
                }
                // Then the end, with the sequence number of the snapshot
                print("Sending state shapshot=\(sequence)")
                try snapshot.sendMore(identity)
                try KVSimpleMessage(key: "KTHXBAI", sequence: sequence).send(to: snapshot)
            }
        }
    }
}
