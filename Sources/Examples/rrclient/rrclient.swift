// Request-reply client.
// A REQ socket connected to the broker's frontend, tcp://localhost:5559,
// sends "Hello" ten times and prints each reply.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct RRClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rrclient",
        abstract: "Request-reply client: REQ to tcp://localhost:5559, ten Hello requests.")

    func run() throws {
        let context = try Context()
        let requester = try context.socket(.req)
        try requester.connect("tcp://localhost:5559")

        for requestNumber in 0..<10 {
            try requester.send("Hello")
            let reply = try requester.receiveString()
            print("Received reply \(requestNumber) [\(reply)]")
        }
    }
}
