// ROUTER-to-DEALER.
// As rtreq, but the ten workers use DEALER sockets: each writes the empty
// delimiter frame before its request and reads it before the workload, as a
// REQ socket would, so the broker cannot tell them from REQ workers.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct RTDealer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rtdealer",
        abstract: "ROUTER broker on tcp://*:5671 feeding ten DEALER worker threads for five seconds.")

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
        let worker = try context.socket(.dealer)
        try worker.setRandomIdentity()   // printable, for tracing
        try worker.connect("tcp://localhost:5671")

        var total = 0
        while true {
            // Tell the broker we're ready for work: empty delimiter, then the request
            try worker.sendMore("")
            try worker.send("Hi Boss")

            // Get the workload: empty delimiter, then the body
            let reply = try worker.receiveMultipart()
            guard reply.count == 2, reply[0].isEmpty else {
                printError("E: malformed reply of \(reply.count) frames, dropped")
                continue
            }
            if reply[1] == Array("Fired!".utf8) {
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
