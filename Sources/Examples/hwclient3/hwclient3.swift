// Hello World client, REQ variant with a fixed identity, "ZMQ", so that a
// ROUTER server (hwserver3, hwserver4) sees a readable address.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWClient3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwclient3",
        abstract: "Hello World client: REQ with identity \"ZMQ\" to tcp://localhost:5555.")

    func run() throws {
        print("Connecting to hello world server...")
        let context = try Context()
        let requester = try context.socket(.req)
        try requester.set(.identity, to: Array("ZMQ".utf8))
        try requester.connect("tcp://localhost:5555")

        for requestNumber in 1...10 {
            print("Sending request msg: Hello NO=\(requestNumber)...")
            try requester.send("Hello")
            let reply = try requester.receiveString()
            print("Received respond msg: \(reply) NO=\(requestNumber)\n")
        }
    }
}
