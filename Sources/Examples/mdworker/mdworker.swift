// Majordomo Protocol worker: offers the "echo" service through the
// Majordomo worker API, which hides heartbeats and reconnection.
import ArgumentParser
import Majordomo
import ZHelpers

@main
struct MDWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdworker",
        abstract: "Majordomo echo worker: connects to the broker at tcp://localhost:5555.")

    @Flag(name: .customShort("v"), help: "Trace every message received and sent.")
    var verbose = false

    @Option(help: "The broker's endpoint.")
    var broker = "tcp://localhost:5555"

    @Option(help: "The service to offer.")
    var service = "echo"

    func run() throws {
        catchSignals()
        let session = try MajordomoWorker(broker: broker, service: service, verbose: verbose)
        var reply: ZMsg? = nil
        while let request = try session.receive(reply: reply) {
            reply = request   // echo is complex... :-)
        }
    }
}
