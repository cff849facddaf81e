// Pathological subscriber: subscribes to one random topic of pathopub's
// 1,000 (or the one given) and prints the data of every message on it.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct PathoSub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pathosub",
        abstract: "Pathological subscriber: prints the updates of one random topic, until Ctrl-C.")

    @Argument(help: "The endpoint to connect to (through lvcache: tcp://localhost:5558).")
    var endpoint = "tcp://localhost:5556"

    @Option(help: "The topic to subscribe to, \"000\" to \"999\" (default: a random one).")
    var topic: String?

    func run() throws {
        catchSignals()
        let context = try Context()
        let subscriber = try context.socket(.sub)
        try subscriber.set(.linger, to: 0)
        try subscriber.connect(endpoint)

        let subscription = topic ?? {
            let digits = String(randof(1000))
            return String(repeating: "0", count: 3 - digits.count) + digits
        }()
        try subscriber.subscribe(subscription)

        while !isInterrupted {
            let frames: [[UInt8]]
            do {
                frames = try subscriber.receiveMultipart()
            } catch {
                if error.isInterrupted { break }
                throw error
            }
            // [topic, data], on the topic we asked for
            guard frames.count == 2, frames[0] == Array(subscription.utf8) else {
                printError("E: malformed message (\(frames.count) frames), dropped")
                continue
            }
            print(String(decoding: frames[1], as: UTF8.self))
        }
    }
}
