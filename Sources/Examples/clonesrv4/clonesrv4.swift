// Clone server, model four: as model three, and a snapshot request names a
// subtree ("ICANHAZ?", subtree); the snapshot holds only the keys under it.
// Snapshots on ROUTER tcp://*:5556, updates published on PUB tcp://*:5557,
// clients' updates collected on PULL tcp://*:5558. Messages are kvsimple's
// three frames (key, sequence, body), as in the C: the KVSimple library.
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneSrv4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesrv4",
        abstract: "Clone server, model four: snapshots of a subtree on tcp://*:5556, updates on tcp://*:5557, collector on tcp://*:5558.")

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with a client's.")
    var digest = false

    func run() throws {
        catchSignals()
        let context = try Context()
        let snapshot = try context.socket(.router)
        try snapshot.set(.linger, to: 0)
        // No limit on a snapshot waiting for its client (a large one would lose frames)
        try snapshot.set(.sendHighWaterMark, to: 0)
        try snapshot.bind("tcp://*:5556")
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:5557")
        let collector = try context.socket(.pull)
        try collector.set(.linger, to: 0)
        try collector.bind("tcp://*:5558")

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
            // An update from a client: number it, publish it, keep it
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
            // A snapshot request: [identity, "ICANHAZ?", subtree]
            if poller.isReadable(snapshotItem) {
                let request = try snapshot.receiveMultipart()
                guard request.count == 3, request[1] == Array("ICANHAZ?".utf8) else {
                    printError("E: bad request, dropped")
                    continue
                }
                let identity = request[0]
                let subtree = String(decoding: request[2], as: UTF8.self)
                for message in map.values where message.key.utf8.starts(with: subtree.utf8) {
                    try snapshot.sendMore(identity)
                    try message.send(to: snapshot)
                }
                // Then the end: the snapshot's sequence number and the subtree
                print("I: sending shapshot=\(sequence)")
                try snapshot.sendMore(identity)
                try KVSimpleMessage(key: "KTHXBAI", sequence: sequence, body: subtree).send(to: snapshot)
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
