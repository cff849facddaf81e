// Pub-sub envelope publisher: every second, two messages on tcp://*:5563, each
// in two frames, a key ("A" or "B") that subscribers filter on, then the content.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct PSEnvPub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "psenvpub",
        abstract: "Pub-sub envelope publisher: PUB on tcp://*:5563, an \"A\" and a \"B\" message each second.")

    func run() throws {
        let context = try Context()
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.bind("tcp://*:5563")
        while true {
            // Two messages, each an envelope frame and a content frame
            try publisher.sendMore("A")
            try publisher.send("We don't want to see this")
            try publisher.sendMore("B")
            try publisher.send("We would like to see this")
            sleep(milliseconds: 1000)
        }
    }
}
