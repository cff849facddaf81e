// Task ventilator.
// Binds a PUSH socket to tcp://*:5557 and, once the workers are up, sends
// them a batch of 100 tasks. The first message, "0", goes to the sink on
// tcp://localhost:5558 and signals the start of the batch.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct TaskVent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskvent",
        abstract: "Task ventilator: PUSH on tcp://*:5557, start signal to the sink on tcp://localhost:5558.")

    func run() throws {
        let context = try Context()
        let sender = try context.socket(.push)
        try sender.bind("tcp://*:5557")
        let sink = try context.socket(.push)
        try sink.connect("tcp://localhost:5558")

        print("Press Enter when the workers are ready: ", terminator: "")
        flushOutput()
        _ = readLine()
        print("Sending tasks to workers...")

        // The first message is "0" and signals the start of the batch
        try sink.send("0")

        var totalMilliseconds = 0   // expected cost of the batch
        for _ in 0..<100 {
            let workload = randof(100) + 1   // 1 to 100 ms
            totalMilliseconds += workload
            try sender.send(String(workload))
        }
        print("Total expected cost: \(totalMilliseconds) msec")
    }
}
