// Task worker.
// Pulls workloads from the ventilator on tcp://localhost:5557, sleeps that
// many milliseconds, and pushes an empty result to the sink on
// tcp://localhost:5558.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct TaskWork: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskwork",
        abstract: "Task worker: PULL from tcp://localhost:5557, PUSH to tcp://localhost:5558.")

    func run() throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.connect("tcp://localhost:5557")
        let sender = try context.socket(.push)
        try sender.connect("tcp://localhost:5558")

        while true {
            let workload = try receiver.receiveString()
            print("\(workload).", terminator: "")   // show progress
            flushOutput()
            sleep(milliseconds: taskWorkload(workload) ?? 0)   // do the work
            try sender.send("")                      // tell the sink
        }
    }
}
