// Suicidal Snail: a publisher thread sends the time every millisecond; a
// subscriber thread that works a little too slowly on each message notices
// when it has fallen more than a second behind, says so and kills itself.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct SuiSnail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suisnail",
        abstract: "Suicidal Snail: a subscriber that aborts when it falls over a second behind its publisher.")

    /// How far behind the subscriber may fall, in milliseconds.
    static let maxAllowedDelay: Int64 = 1000

    /// The subscriber: prints each timestamp and works 1 or 2 ms on it, until
    /// a timestamp is too old.
    static func subscriberTask(context: Context, pipe: Socket) throws {
        let subscriber = try context.socket(.sub)
        try subscriber.set(.linger, to: 0)
        try subscriber.subscribe("")
        try subscriber.connect("tcp://localhost:5556")

        while true {
            let text = try subscriber.receiveString()
            print(text)
            guard let clock = peerClock(text) else {
                printError("E: not a timestamp, dropped")
                continue
            }
            // The snail's suicide
            if clockMilliseconds() - clock > maxAllowedDelay {
                printError("E: subscriber cannot keep up, aborting")
                break
            }
            // Work for 1 ms plus some random extra time
            sleep(milliseconds: 1 + randof(2))
        }
        try pipe.send("gone and died")
    }

    /// The publisher: sends the current time in milliseconds every
    /// millisecond, until the pipe says to stop.
    static func publisherTask(context: Context, pipe: Socket) throws {
        let publisher = try context.socket(.pub)
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:5556")

        while true {
            try publisher.send(String(clockMilliseconds()))
            if (try? pipe.receiveString(flags: .dontWait)) != nil { break }
            sleep(milliseconds: 1)
        }
    }

    func run() throws {
        let context = try Context()
        let publisher = try ZActor(context, Self.publisherTask)
        let subscriber = try ZActor(context, Self.subscriberTask)
        // Wait for the subscriber to die, then stop the publisher
        _ = try subscriber.pipe.receiveString()
        try publisher.pipe.send("break")
        sleep(milliseconds: 100)
        publisher.join()
        subscriber.join()
    }
}
