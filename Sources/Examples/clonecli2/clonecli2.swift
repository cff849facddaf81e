// Clone client, model two: subscribes to updates (tcp://localhost:5557),
// asks the server for a snapshot of the state (tcp://localhost:5556), then
// applies the updates newer than the snapshot.
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneCli2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonecli2",
        abstract: "Clone client, model two: a snapshot from tcp://localhost:5556, then the updates of tcp://localhost:5557.")

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

        var map: [String: KVSimpleMessage] = [:]
        defer { if digest { print(mapDigestLine(map)) } }

        // The state snapshot: key-values until KTHXBAI
        var sequence: Int64 = 0
        do {
            try snapshot.send("ICANHAZ?")
            while !isInterrupted {
                switch try KVSimpleMessage.receive(from: snapshot) {
                case .success(let message) where message.key == "KTHXBAI":
                    sequence = message.sequence
                    print("Received snapshot=\(sequence)")
                case .success(let message):
                    message.store(in: &map)
                    continue
                case .failure(let error):
                    printError("E: malformed snapshot entry dropped: \(error)")
                    continue
                }
                break
            }
            // Then the updates, dropping those the snapshot already holds
            while !isInterrupted {
                switch try KVSimpleMessage.receive(from: subscriber) {
                case .success(let message):
                    if message.sequence > sequence {
                        sequence = message.sequence
                        message.store(in: &map)
                    }
                case .failure(let error):
                    printError("E: malformed update dropped: \(error)")
                }
            }
        } catch {
            if !error.isInterrupted { throw error }
        }
    }
}
