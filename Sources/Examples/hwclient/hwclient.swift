// Hello World client.
// A REQ socket connects to tcp://localhost:5555, sends "Hello" ten times and
// waits for "World" after each.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwclient",
        abstract: "Hello World client: REQ to tcp://localhost:5555, ten requests.")

    func run() throws {
        print("Connecting to hello world server...")
        let context = try Context()
        let requester = try context.socket(.req)
        try requester.connect("tcp://localhost:5555")

        for requestNumber in 0..<10 {
            print("Sending Hello \(requestNumber)...")
            try requester.send("Hello")
            _ = try requester.receiveMessage()
            print("Received World \(requestNumber)")
        }
    }
}
