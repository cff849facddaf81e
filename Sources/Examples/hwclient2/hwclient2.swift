// Hello World client, DEALER variant.
// A DEALER socket plays the REQ part by hand: it sends the empty delimiter
// frame before "Hello" and expects one before the reply.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWClient2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwclient2",
        abstract: "Hello World client: DEALER to tcp://localhost:5555, empty delimiter added by hand.")

    func run() throws {
        print("Connecting to hello world server...")
        let context = try Context()
        let requester = try context.socket(.dealer)
        try requester.connect("tcp://localhost:5555")

        var replyCount = 0
        for requestNumber in 1...10 {
            print("Sending request msg: Hello NO=\(requestNumber)...")
            try requester.sendMore("")      // the delimiter REQ would have added
            try requester.send("Hello")
            let reply = try requester.receiveMultipart()
            if reply.count == 2, reply[0].isEmpty {
                replyCount += 1
                print("Received respond msg: \(reply[1].string) NO=\(replyCount)\n")
            } else {
                print("Discard the ZMQ message!")
            }
        }
    }
}
