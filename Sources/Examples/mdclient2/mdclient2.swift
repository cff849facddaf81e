// Majordomo Protocol client, asynchronous: sends all its "Hello world"
// requests to the "echo" service at once through the asynchronous
// Majordomo client API, then collects the replies.
import ArgumentParser
import Majordomo
import ZHelpers

@main
struct MDClient2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdclient2",
        abstract: "Asynchronous Majordomo client: 100,000 pipelined echo requests via tcp://localhost:5555.")

    @Flag(name: .customShort("v"), help: "Trace every message sent and received.")
    var verbose = false

    @Option(help: "The broker's endpoint.")
    var broker = "tcp://localhost:5555"

    @Option(help: "How many requests to send.")
    var requests = 100_000

    @Option(help: "Requests kept in flight at once (0: all of them, as the guide's client does).")
    var window = 0

    func run() throws {
        catchSignals()
        let session = try MajordomoAsyncClient(broker: broker, verbose: verbose)
        let request = ZMsg(strings: ["Hello world"])
        let started = clockMilliseconds()
        var sent = 0
        var count = 0
        // Send everything up front, or, with a window, keep that many in flight
        let firstBatch = window > 0 ? min(window, requests) : requests
        do {
            while sent < firstBatch {
                try session.send(service: "echo", request: request)
                sent += 1
            }
            while count < requests {
                guard try session.receive() != nil else {
                    break   // interrupted by Ctrl-C, or the broker fell silent
                }
                count += 1
                if sent < requests {
                    try session.send(service: "echo", request: request)
                    sent += 1
                }
            }
        } catch {
            if !error.isInterrupted { throw error }   // Ctrl-C while sending
        }
        print("\(count) replies received")
        if window > 0 {
            let elapsed = max(1, clockMilliseconds() - started)
            print("I: \(Int64(count) * 1000 / elapsed) requests per second in \(elapsed) ms")
        }
    }
}
