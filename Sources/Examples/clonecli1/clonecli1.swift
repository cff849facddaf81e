// Clone client, model one: subscribes to the server's updates on
// tcp://localhost:5556 and keeps them in its own map.
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneCli1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonecli1",
        abstract: "Clone client, model one: applies the updates of tcp://localhost:5556 until Ctrl-C.")

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with the server's.")
    var digest = false

    func run() throws {
        catchSignals()
        let context = try Context()
        let updates = try context.socket(.sub)
        try updates.set(.linger, to: 0)
        try updates.subscribe("")
        try updates.connect("tcp://localhost:5556")

        var map: [String: KVSimpleMessage] = [:]
        var sequence = 0
        while !isInterrupted {
            let received: Result<KVSimpleMessage, KVSimpleError>
            do {
                received = try KVSimpleMessage.receive(from: updates)
            } catch {
                if error.isInterrupted { break }
                throw error
            }
            switch received {
            case .success(let message):
                message.store(in: &map)
                sequence += 1
            case .failure(let error):
                printError("E: malformed update dropped: \(error)")
            }
        }
        print(" Interrupted\n\(sequence) messages in")
        if digest { print(mapDigestLine(map)) }
    }
}
