// Multiple socket reader, the naive way: a task worker (PULL from
// tcp://localhost:5557) and weather subscriber (SUB to tcp://localhost:5556,
// zipcode 10001) in one, reading each socket without blocking until it is
// empty, tasks first, and napping for a millisecond when both are.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct MSReader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msreader",
        abstract: "Reads tasks (PULL tcp://localhost:5557) and weather (SUB tcp://localhost:5556) with non-blocking receives.")

    func run() throws {
        let context = try Context()
        // The task ventilator
        let receiver = try context.socket(.pull)
        try receiver.connect("tcp://localhost:5557")
        // The weather server
        let subscriber = try context.socket(.sub)
        try subscriber.connect("tcp://localhost:5556")
        try subscriber.subscribe("10001 ")

        let message = Message()   // tasks first, then the weather
        while true {
            while try receiveIfWaiting(receiver, into: message) {
                // A task would be processed here
            }
            while try receiveIfWaiting(subscriber, into: message) {
                // A weather update would be processed here
            }
            sleep(milliseconds: 1)   // nothing waiting: take a short nap
        }
    }

    /// Receives a message if one is waiting; false when the socket has none.
    private func receiveIfWaiting(_ socket: Socket, into message: Message) throws(ZMQError) -> Bool {
        do { try socket.receive(into: message, flags: .dontWait) } catch where error.isAgain { return false }
        return true
    }
}
