// Task worker, design 2.
// Like taskwork (PULL from tcp://localhost:5557, PUSH to
// tcp://localhost:5558), plus a SUB socket on tcp://localhost:5559 where
// the sink announces the end of the batch: any message there means KILL.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct TaskWork2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taskwork2",
        abstract: "Task worker with kill signal: PULL tcp://localhost:5557, PUSH tcp://localhost:5558, SUB tcp://localhost:5559.")

    func run() throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.connect("tcp://localhost:5557")
        let sender = try context.socket(.push)
        try sender.connect("tcp://localhost:5558")
        // Control commands from the sink
        let controller = try context.socket(.sub)
        try controller.connect("tcp://localhost:5559")
        try controller.subscribe("")

        var poller = Poller()
        let tasks = poller.add(receiver)
        let control = poller.add(controller)
        while true {
            try poller.poll()
            if poller.isReadable(tasks) {
                let workload = try receiver.receiveString()
                print("\(workload).", terminator: "")   // show progress
                flushOutput()
                sleep(milliseconds: taskWorkload(workload) ?? 0)   // do the work
                try sender.send("")                      // tell the sink
            }
            // Whatever arrives on the control socket counts as KILL
            if poller.isReadable(control) { break }
        }
    }
}
