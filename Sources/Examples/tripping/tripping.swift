// Round-trip demonstrator: a client, a broker and a worker, as threads of
// one process only to make it easy to start and stop. The client measures
// requests answered one at a time against requests sent in a batch and
// their replies read back in a batch, and tells the main thread when done.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Tripping: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tripping",
        abstract: "Round-trip demonstrator: synchronous against asynchronous requests through a broker.")

    @Option(help: "Requests for the synchronous test.")
    var synchronous = 10_000

    @Option(help: "Requests for the asynchronous test.")
    var asynchronous = 100_000

    func validate() throws {
        guard synchronous >= 1, asynchronous >= 1 else {
            throw ValidationError("the request counts must be at least 1")
        }
    }

    /// The client: a DEALER to the broker's front end; its rates go to standard output.
    static func clientTask(context: Context, pipe: Socket, synchronous: Int, asynchronous: Int) throws {
        let client = try context.socket(.dealer)
        try client.connect("tcp://localhost:5555")
        print("Setting up test...")
        sleep(milliseconds: 100)

        print("Synchronous round-trip test...")
        var start = clockMilliseconds()
        for _ in 0..<synchronous {
            try client.send("hello")
            _ = try client.receiveMultipart()
        }
        print(" \(rate(synchronous, since: start)) calls/second")

        print("Asynchronous round-trip test...")
        start = clockMilliseconds()
        for _ in 0..<asynchronous {
            try client.send("hello")
        }
        for _ in 0..<asynchronous {
            _ = try client.receiveMultipart()
        }
        print(" \(rate(asynchronous, since: start)) calls/second")
        try pipe.send("done")
    }

    /// Calls per second for `count` calls since `start`, in whole calls.
    static func rate(_ count: Int, since start: Int64) -> Int {
        let elapsed = max(clockMilliseconds() - start, 1)   // a run under 1 ms counts as 1 ms
        return Int(Int64(count) * 1000 / elapsed)
    }

    /// The worker: bounces each message back the way it came.
    static func workerTask(context: Context) throws {
        let worker = try context.socket(.dealer)
        try worker.connect("tcp://localhost:5556")
        while true {
            try worker.send(multipart: try worker.receiveMultipart())
        }
    }

    /// The broker: a proxy between two DEALER sockets.
    static func brokerTask(context: Context) throws {
        let frontend = try context.socket(.dealer)
        try frontend.bind("tcp://*:5555")
        let backend = try context.socket(.dealer)
        try backend.bind("tcp://*:5556")
        try ZMQ.proxy(frontend: frontend, backend: backend)
    }

    func run() throws {
        let context = try Context()
        let (synchronous, asynchronous) = (self.synchronous, self.asynchronous)
        let client = try ZActor(context) { context, pipe in
            try Self.clientTask(context: context, pipe: pipe, synchronous: synchronous, asynchronous: asynchronous)
        }
        startThread {
            do { try Self.workerTask(context: context) } catch { printError("E: worker: \(error)") }
        }
        startThread {
            do { try Self.brokerTask(context: context) } catch { printError("E: broker: \(error)") }
        }

        // Wait for the client to say it is done
        _ = try client.pipe.receiveString()
    }
}
