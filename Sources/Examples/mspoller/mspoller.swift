// Multiple socket poller.
// The same task worker and weather subscriber as msreader, done properly:
// one poll waits on both sockets and each receive happens only when a
// message is there.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct MSPoller: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mspoller",
        abstract: "Reads tasks (PULL tcp://localhost:5557) and weather (SUB tcp://localhost:5556) with one poll.")

    func run() throws {
        let context = try Context()
        // The task ventilator
        let receiver = try context.socket(.pull)
        try receiver.connect("tcp://localhost:5557")
        // The weather server
        let subscriber = try context.socket(.sub)
        try subscriber.connect("tcp://localhost:5556")
        try subscriber.subscribe("10001 ")

        var poller = Poller()
        let tasks = poller.add(receiver)
        let weather = poller.add(subscriber)
        let message = Message()
        while true {
            try poller.poll()
            if poller.isReadable(tasks) {
                try receiver.receive(into: message)
                // A task would be processed here
            }
            if poller.isReadable(weather) {
                try subscriber.receive(into: message)
                // A weather update would be processed here
            }
        }
    }
}
