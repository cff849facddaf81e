// Hello World server.
// A REP socket on tcp://*:5555 answers each request with "World".
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwserver",
        abstract: "Hello World server: REP on tcp://*:5555, replies \"World\" to each request.")

    func run() throws {
        let context = try Context()
        let responder = try context.socket(.rep)
        try responder.bind("tcp://*:5555")

        while true {
            _ = try responder.receiveWholeString()
            print("Received Hello")
            sleep(milliseconds: 1000)   // pretend to work
            try responder.send("World")
        }
    }
}
