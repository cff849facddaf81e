// ROUTER-to-REQ.
// A ROUTER broker on tcp://*:5671 hands work to ten REQ workers, each in its
// own thread, for five seconds: every worker that asks gets "Work harder",
// and after five seconds "Fired!", upon which it prints how many tasks it did.
// The threads stand in for separate processes; each makes its own socket.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct RTReq: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtreq",
        abstract: "ROUTER broker on tcp://*:5671 feeding ten REQ worker threads for five seconds.")

    static let workerCount = 10

    func run() throws {
        let context = try Context()
        let broker = try context.socket(.router)
        try broker.bind("tcp://*:5671")

        let workers = (0..<Self.workerCount).map { _ in
            startThread { workerTask(context) }
        }

        // Run for five seconds, then fire each worker as it next asks for work
        let endTime = clockMilliseconds() + 5000
        var workersFired = 0
        while workersFired < Self.workerCount {
            // The next request comes from the worker that has waited longest:
            // identity, empty delimiter, "Hi Boss"
            let request = try broker.receiveMultipart()
            guard request.count == 3, let identity = request.first, request[1].isEmpty else {
                printError("E: malformed request of \(request.count) frames, dropped")
                continue
            }
            try broker.sendMore(identity)
            try broker.sendMore("")
            if clockMilliseconds() < endTime {
                try broker.send("Work harder")
            } else {
                try broker.send("Fired!")
                workersFired += 1
            }
        }
        // Let every worker print its total before the process ends
        workers.forEach { $0.join() }
    }
}

/// One worker: asks for work, "works" 1 to 500 ms, and asks again until fired.
func workerTask(_ context: Context) {
    do {
        let worker = try context.socket(.req)
        try worker.setRandomIdentity()   // printable, for tracing
        try worker.connect("tcp://localhost:5671")

        var total = 0
        while true {
            // Tell the broker we're ready for work, and get a workload
            try worker.send("Hi Boss")
            let workload = try worker.receiveString()
            if workload == "Fired!" {
                print("Completed: \(total) tasks")
                break
            }
            total += 1
            sleep(milliseconds: randof(500) + 1)   // some random work
        }
    } catch {
        printError("E: worker: \(error)")
    }
}
