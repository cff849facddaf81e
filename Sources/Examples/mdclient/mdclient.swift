// Majordomo Protocol client: sends "Hello world" requests to the "echo"
// service one at a time through the synchronous Majordomo client API,
// which retries on silence, and says how many round trips it completed.
import ArgumentParser
import Majordomo
import ZHelpers

@main
struct MDClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdclient",
        abstract: "Majordomo client: 100,000 echo requests via the broker at tcp://localhost:5555.")

    @Flag(name: .customShort("v"), help: "Trace every message sent and received.")
    var verbose = false

    @Option(help: "The broker's endpoint.")
    var broker = "tcp://localhost:5555"

    @Option(help: "How many requests to send.")
    var requests = 100_000

    func run() throws {
        catchSignals()
        let session = try MajordomoClient(broker: broker, verbose: verbose)
        var count = 0
        while count < requests {
            let request = ZMsg(strings: ["Hello world"])
            guard try session.send(service: "echo", request: request) != nil else {
                break   // interrupted, or no reply after every retry
            }
            count += 1
        }
        print("\(count) requests/replies processed")
    }
}
