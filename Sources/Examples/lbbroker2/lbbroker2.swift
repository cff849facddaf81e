// Load-balancing broker, written with the higher-level helpers: the same
// broker as lbbroker, with clients and workers as actors (threads with a
// pipe) and whole messages handled as ZMsg values.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct LBBroker2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lbbroker2",
        abstract: "Load-balancing broker with ZMsg and actors: ROUTER on ipc://frontend.ipc and ipc://backend.ipc.")

    @Option(help: "Client actors to start; the broker ends after that many replies (0: it serves outside clients until killed).")
    var clients = 10

    @Option(help: "Worker actors to start (others may connect to ipc://backend.ipc).")
    var workers = 3

    static let workerReady = "READY"   // a worker's first message

    /// A client: one "HELLO" request, one reply.
    static func clientTask(context: Context, pipe: Socket) throws {
        let client = try context.socket(.req)
        try client.connect("ipc://frontend.ipc")
        try client.send("HELLO")
        print("Client: \(try client.receiveString())")
    }

    /// A worker: says READY, then answers each request with "OK" until the
    /// pipe tells it to stop.
    static func workerTask(context: Context, pipe: Socket) throws {
        let worker = try context.socket(.req)
        try worker.connect("ipc://backend.ipc")
        try worker.send(workerReady)
        var poller = Poller()
        let pipeItem = poller.add(pipe)
        poller.add(worker)
        while true {
            try poller.poll()
            if poller.isReadable(pipeItem) { break }   // done
            // [client, "", request]: answer in place of the request
            var message = try ZMsg.receive(from: worker)
            print("Worker: " + dumpLine(of: message.last ?? []))
            message.frames[message.count - 1] = Array("OK".utf8)
            try message.send(to: worker)
        }
    }

    func run() throws {
        catchSignals()   // as CZMQ does: Ctrl-C or SIGTERM ends the broker cleanly
        let context = try Context()
        let frontend = try context.socket(.router)
        let backend = try context.socket(.router)
        try frontend.bind("ipc://frontend.ipc")
        try backend.bind("ipc://backend.ipc")

        let clientActors = try (0..<clients).map { _ in try ZActor(context, Self.clientTask) }
        let workerActors = try (0..<workers).map { _ in try ZActor(context, Self.workerTask) }

        // Identities of the workers ready for a request, longest waiting first
        var readyWorkers: [Frame] = []
        var repliesToGo = clients
        var poller = Poller()
        let backendItem = poller.add(backend)
        let frontendItem = poller.add(frontend)
        while true {
            // Listen to clients only while a worker is free
            poller.setEvents(readyWorkers.isEmpty ? [] : .readable, at: frontendItem)
            do {
                try poller.pollUnlessInterrupted()
            } catch {
                if error.isInterrupted { break }   // Ctrl-C or SIGTERM
                throw error
            }

            if poller.isReadable(backendItem) {
                // The worker's identity, for load balancing, then READY or a reply
                let frames = try backend.receiveMultipart()
                guard let message = WorkerMessage(parsing: frames, ready: Array(Self.workerReady.utf8)) else {
                    printError("E: malformed message from a worker, dropped")
                    continue
                }
                // Queued once, however often it speaks
                if !readyWorkers.contains(message.worker) { readyWorkers.append(message.worker) }
                if message.isMalformedReply { printError("E: malformed reply from a worker, dropped") }
                if let reply = message.reply {
                    try reply.send(to: frontend)   // [client, "", reply]
                    repliesToGo -= 1
                    if repliesToGo == 0 { break }   // every client has its reply
                }
            } else if poller.isReadable(frontendItem), !readyWorkers.isEmpty {
                // The client's request, wrapped in the envelope of the next worker
                var message = try ZMsg.receive(from: frontend)
                guard message.envelope != nil else {
                    printError("E: malformed request from a client, dropped")
                    continue
                }
                message.wrap(readyWorkers.removeFirst())
                try message.send(to: backend)
            }
        }
        // Workers watch their pipe; a client still waiting for its reply
        // (only after a signal) does not, and ends with the process
        for actor in workerActors { actor.stop() }
        if !isInterrupted { for actor in clientActors { actor.stop() } }
    }
}
