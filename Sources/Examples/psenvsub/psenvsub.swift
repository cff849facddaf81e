// Pub-sub envelope subscriber: subscribes to the "B" envelope on
// tcp://localhost:5563 and prints each message as "[key] content".
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct PSEnvSub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "psenvsub",
        abstract: "Pub-sub envelope subscriber: SUB to tcp://localhost:5563, keeps only the \"B\" messages.")

    func run() throws {
        let context = try Context()
        let subscriber = try context.socket(.sub)
        try subscriber.connect("tcp://localhost:5563")
        try subscriber.subscribe("B")
        while true {
            // An envelope with the key, then the content
            let frames = try subscriber.receiveMultipart()
            guard frames.count == 2 else { printError("E: want key and content, got \(frames.count) frames"); continue }
            print("[\(frames[0].string)] \(frames[1].string)")
        }
    }
}
