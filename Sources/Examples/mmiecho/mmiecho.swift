// Majordomo Management Interface query: asks the broker, through the
// "mmi.service" service, whether the "echo" service has a worker.
import ArgumentParser
import Majordomo
import ZHelpers

@main
struct MMIEcho: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mmiecho",
        abstract: "Asks the Majordomo broker at tcp://localhost:5555 whether the echo service is available.")

    @Flag(name: .customShort("v"), help: "Trace every message sent and received.")
    var verbose = false

    @Option(help: "The broker's endpoint.")
    var broker = "tcp://localhost:5555"

    func run() throws {
        catchSignals()
        let session = try MajordomoClient(broker: broker, verbose: verbose)
        // The service we look up is the body; the request goes to mmi.service
        let request = ZMsg(strings: ["echo"])
        if let reply = try session.send(service: MDP.serviceLookup, request: request) {
            print("Lookup echo service: \(reply.first?.string ?? "")")
        } else {
            print("E: no response from broker, make sure it's running")
        }
    }
}
