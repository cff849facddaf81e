// Request-reply worker.
// A REP socket connected to the broker's backend, tcp://localhost:5560,
// answers each request with "World" after a second of pretend work.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct RRWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rrworker",
        abstract: "Request-reply worker: REP to tcp://localhost:5560, replies World.")

    func run() throws {
        let context = try Context()
        let responder = try context.socket(.rep)
        try responder.connect("tcp://localhost:5560")

        while true {
            let request = try responder.receiveWholeString()
            print("Received request: [\(request)]")
            sleep(milliseconds: 1000)   // the 'work'
            try responder.send("World")
        }
    }
}
