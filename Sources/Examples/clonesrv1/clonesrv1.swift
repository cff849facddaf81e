// Clone server, model one: publishes random key-value updates (kvsimple)
// on tcp://*:5556 as fast as it can, and keeps them in its own map.
import ArgumentParser
import KVSimple
import ZHelpers
import ZMQ

@main
struct CloneSrv1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesrv1",
        abstract: "Clone server, model one: publishes random updates on tcp://*:5556 until Ctrl-C.")

    @Option(help: "Stop publishing after this many updates and wait for Ctrl-C (default: never stop, as the C).")
    var updates: Int?

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with a client's.")
    var digest = false

    func run() throws {
        catchSignals()
        let context = try Context()
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:5556")
        sleep(milliseconds: 200)   // let subscribers connect

        var map: [String: KVSimpleMessage] = [:]
        var sequence: Int64 = 0
        while !isInterrupted && sequence < Int64(updates ?? .max) {
            // A random value for a random key, as a key-value message
            sequence += 1
            let message = KVSimpleMessage(key: String(randof(10000)), sequence: sequence,
                                          body: String(randof(1_000_000)))
            try message.send(to: publisher)
            message.store(in: &map)
        }
        if !isInterrupted {
            print("I: published \(sequence) updates")
        }
        while !isInterrupted { sleep(milliseconds: 100) }
        print(" Interrupted\n\(sequence) messages out")
        if digest { print(mapDigestLine(map)) }
    }
}
