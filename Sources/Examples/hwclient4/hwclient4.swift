// Hello World client, DEALER variant with a fixed identity, "ZMQ": it adds
// and strips the empty delimiter that a REQ socket would handle.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWClient4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwclient4",
        abstract: "Hello World client: DEALER with identity \"ZMQ\" to tcp://localhost:5555.")

    func run() throws {
        print("Connecting to hello world server...")
        let context = try Context()
        let requester = try context.socket(.dealer)
        try requester.set(.identity, to: Array("ZMQ".utf8))
        try requester.connect("tcp://localhost:5555")

        for requestNumber in 1...10 {
            print("Sending request msg: Hello NO=\(requestNumber)...")
            try requester.sendMore("")      // empty delimiter frame
            try requester.send("Hello")     // data frame
            let reply = try requester.receiveMultipart()
            guard reply.count == 2, reply[0].isEmpty else {
                printError("E: reply without its empty delimiter, dropped")
                continue
            }
            print("Received respond msg: \(reply[1].string) NO=\(requestNumber)\n")
        }
    }
}
