// Synchronized publisher.
// Waits until ten subscribers have checked in on a REP socket (tcp://*:5562),
// then publishes a million updates and "END" on a PUB socket (tcp://*:5561).
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct SyncPub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncpub",
        abstract: "Synchronized publisher: waits for 10 subscribers on tcp://*:5562, then publishes 1,000,000 updates on tcp://*:5561.")

    @Option(name: .customLong("subscribers"), help: "How many subscribers to wait for.")
    var subscribersExpected = 10

    func validate() throws {
        guard subscribersExpected >= 1 else { throw ValidationError("--subscribers must be at least 1") }
    }

    func run() throws {
        let context = try Context()

        // The updates go out here. The high-water mark is raised above the
        // number of updates, so a slow subscriber never makes PUB drop one.
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.sendHighWaterMark, to: 1_100_000)
        try publisher.bind("tcp://*:5561")

        // Subscribers check in here once their SUB socket is connected.
        let syncService = try context.socket(.rep)
        try syncService.bind("tcp://*:5562")

        print("Waiting for subscribers")
        var subscribers = 0
        while subscribers < subscribersExpected {
            _ = try syncService.receiveWholeString()   // a subscriber is ready
            try syncService.send("")                   // tell it we heard
            subscribers += 1
        }

        // Everyone is listening: send exactly one million updates, then END.
        print("Broadcasting messages")
        for _ in 0..<1_000_000 {
            try publisher.send("Rhubarb")
        }
        try publisher.send("END")
    }
}
