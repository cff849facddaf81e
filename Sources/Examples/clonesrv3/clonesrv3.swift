// Clone server, model three: clients send their updates to the collector
// (PULL, tcp://*:5558); the server numbers each one, publishes it (PUB,
// tcp://*:5557) and keeps it; it sends snapshots of the state on request
// (ROUTER, tcp://*:5556).
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneSrv3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesrv3",
        abstract: "Clone server, model three: collects clients' updates on tcp://*:5558 and republishes them on tcp://*:5557.")

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with a client's.")
    var digest = false

    func run() throws {
        catchSignals()
        let context = try Context()
        let snapshot = try context.socket(.router)
        try snapshot.set(.linger, to: 0)
        // No limit on a snapshot waiting for its client (see clonesrv2)
        try snapshot.set(.sendHighWaterMark, to: 0)
        try snapshot.bind("tcp://*:5556")
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:5557")
        let collector = try context.socket(.pull)
        try collector.set(.linger, to: 0)
        try collector.bind("tcp://*:5558")

        // Collect the clients' updates and publish them back to every client
        var sequence: Int64 = 0
        var map: [String: KVSimpleMessage] = [:]
        var poller = Poller()
        let collectorItem = poller.add(collector)
        let snapshotItem = poller.add(snapshot)
        while !isInterrupted {
            do {
                try poller.poll(timeoutMilliseconds: 1000)
            } catch {
                if error.isInterrupted { break }
                throw error
            }
            // An update from a client: ours to number, publish and keep
            if poller.isReadable(collectorItem) {
                switch try KVSimpleMessage.receive(from: collector) {
                case .success(var message):
                    sequence += 1
                    message.sequence = sequence
                    try message.send(to: publisher)
                    message.store(in: &map)
                    print("I: publishing update " + Self.padded(sequence, width: 5))
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
                print("I: sending shapshot=\(sequence)")
                try snapshot.sendMore(identity)
                try KVSimpleMessage(key: "KTHXBAI", sequence: sequence).send(to: snapshot)
            }
        }
        print(" Interrupted\n\(sequence) messages handled")
        if digest { print(mapDigestLine(map)) }
    }

    /// `value` right-aligned in `width` characters, as "%5d" prints it.
    static func padded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: " ", count: max(0, width - digits.count)) + digits
    }
}
