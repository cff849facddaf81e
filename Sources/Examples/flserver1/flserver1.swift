// Freelance server, model one: a trivial echo service on a REP socket at
// the endpoint given on the command line.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FLServer1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flserver1",
        abstract: "Freelance server, model one: echoes each request on a REP socket bound to <endpoint>.")

    @Argument(help: "The endpoint to bind, e.g. tcp://*:5555.")
    var endpoint: String

    func run() throws {
        catchSignals()
        let context = try Context()
        let server = try context.socket(.rep)
        try server.bind(endpoint)

        print("I: echo service is ready at \(endpoint)")
        while true {
            let message: ZMsg
            do { try server.waitUnlessInterrupted(); message = try ZMsg.receive(from: server) } catch {
                if error.isStop { break }
                throw error
            }
            try message.send(to: server)
        }
        if isInterrupted { print("W: interrupted") }
    }
}
