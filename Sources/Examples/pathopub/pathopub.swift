// Pathological publisher: sends 1,000 topics ("000" to "999", each with
// "Save Roger"), then one random topic per second with "Off with his head!".
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct PathoPub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pathopub",
        abstract: "Pathological publisher: 1,000 topics, then one random update a second, until Ctrl-C.")

    @Argument(help: "The endpoint to bind (to feed lvcache: tcp://*:5557).")
    var endpoint = "tcp://*:5556"

    func run() throws {
        catchSignals()
        let context = try Context()
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind(endpoint)

        // Give subscribers time to connect
        sleep(milliseconds: 1000)

        // Every topic once, two frames each: the topic, then the data
        for topic in 0..<1000 {
            try publisher.sendMore(Self.topicName(topic))
            try publisher.send("Save Roger")
        }
        // Then one random update a second
        while !isInterrupted {
            sleep(milliseconds: 1000)
            if isInterrupted { break }
            try publisher.sendMore(Self.topicName(randof(1000)))
            try publisher.send("Off with his head!")
        }
    }

    /// A topic number in three digits, as "%03d" prints it.
    static func topicName(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
