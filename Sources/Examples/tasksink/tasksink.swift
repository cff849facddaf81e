// Task sink.
// Binds a PULL socket to tcp://*:5558, waits for the start of the batch,
// then collects the 100 results and reports how long the batch took.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct TaskSink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasksink",
        abstract: "Task sink: PULL on tcp://*:5558, times a batch of 100 results.")

    func run() throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.bind("tcp://*:5558")

        // Wait for the start of the batch
        _ = try receiver.receiveMessage()
        let startTime = clockMilliseconds()

        for taskNumber in 0..<100 {
            _ = try receiver.receiveMessage()
            print(taskNumber % 10 == 0 ? ":" : ".", terminator: "")
            flushOutput()
        }
        print("Total elapsed time: \(clockMilliseconds() - startTime) msec")
    }
}
