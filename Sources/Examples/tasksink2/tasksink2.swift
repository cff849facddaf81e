// Task sink, design 2.
// Like tasksink (PULL on tcp://*:5558, times a batch of 100 results), then
// publishes KILL on tcp://*:5559 so that the workers end.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct TaskSink2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasksink2",
        abstract: "Task sink with kill signal: PULL on tcp://*:5558, KILL on PUB tcp://*:5559.")

    func run() throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.bind("tcp://*:5558")
        // Control commands for the workers
        let controller = try context.socket(.pub)
        try controller.limitSubscriptions()
        try controller.bind("tcp://*:5559")

        // Wait for the start of the batch
        _ = try receiver.receiveMessage()
        let startTime = clockMilliseconds()

        for taskNumber in 0..<100 {
            _ = try receiver.receiveMessage()
            print(taskNumber % 10 == 0 ? ":" : ".", terminator: "")
            flushOutput()
        }
        print("Total elapsed time: \(clockMilliseconds() - startTime) msec")

        // Tell the workers to stop
        try controller.send("KILL")
    }
}
