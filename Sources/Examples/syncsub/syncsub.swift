// Synchronized subscriber.
// Subscribes to everything on tcp://localhost:5561, then tells the publisher
// it is ready over a REQ socket (tcp://localhost:5562) and counts updates
// until "END".
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct SyncSub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncsub",
        abstract: "Synchronized subscriber: SUB to tcp://localhost:5561, checks in on tcp://localhost:5562, counts updates.")

    func run() throws {
        let context = try Context()

        // First, connect the subscriber socket
        let subscriber = try context.socket(.sub)
        try subscriber.connect("tcp://localhost:5561")
        try subscriber.subscribe("")

        // The connection and subscription take a moment to get through
        sleep(milliseconds: 1000)

        // Second, tell the publisher we are ready and wait for its answer
        let syncClient = try context.socket(.req)
        try syncClient.connect("tcp://localhost:5562")
        try syncClient.send("")
        _ = try syncClient.receiveMessage()

        // Third, count updates until END
        var updateCount = 0
        let update = Message()
        while true {
            try subscriber.receive(into: update)
            if update.string == "END" { break }
            updateCount += 1
        }
        print("Received \(updateCount) updates")
    }
}
