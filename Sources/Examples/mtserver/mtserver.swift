// Multithreaded Hello World server.
// Clients connect to a ROUTER on tcp://*:5555; a proxy hands their requests
// to a DEALER on inproc://workers, where five worker threads answer "World".
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct MTServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mtserver",
        abstract: "Multithreaded Hello World server: ROUTER on tcp://*:5555, five REP workers behind inproc://workers.")

    func run() throws {
        let context = try Context()

        // Clients talk to this socket
        let clients = try context.socket(.router)
        try clients.bind("tcp://*:5555")

        // Workers talk to this one
        let workers = try context.socket(.dealer)
        try workers.bind("inproc://workers")

        // A pool of five worker threads
        for _ in 0..<5 {
            startThread { worker(context) }
        }

        // Join clients to workers with a queue proxy; it returns only on error
        try ZMQ.proxy(frontend: clients, backend: workers)
    }
}

/// One worker: a REP socket of its own that answers every request with
/// "World" after a second of pretend work.
func worker(_ context: Context) {
    do {
        let receiver = try context.socket(.rep)
        try receiver.connect("inproc://workers")
        while true {
            let request = try receiver.receiveWholeString()
            print("Received request: [\(request)]")
            sleep(milliseconds: 1000)   // do some 'work'
            try receiver.send("World")
        }
    } catch {
        printError("E: worker: \(error)")
    }
}
