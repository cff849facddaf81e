// Load-balancing broker, in reactor style: the same broker as lbbroker2,
// with the routing done by two handlers that a Reactor calls when the
// frontend or the backend has a message. The clients ask again every
// second; Ctrl-C ends the reactor and the process shuts down cleanly.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct LBBroker3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lbbroker3",
        abstract: "Load-balancing broker on a reactor: ROUTER on ipc://frontend.ipc and ipc://backend.ipc, until Ctrl-C.")

    static let clientCount = 10
    static let workerCount = 3
    static let workerReady: Frame = [1]   // a worker's first message

    /// A client: asks "HELLO" once a second until the pipe tells it to stop.
    static func clientTask(context: Context, pipe: Socket) throws {
        let client = try context.socket(.req)
        try client.connect("ipc://frontend.ipc")
        var poller = Poller()
        let pipeItem = poller.add(pipe)
        poller.add(client)
        while true {
            try client.send("HELLO")
            try poller.poll()
            if poller.isReadable(pipeItem) { break }   // shutdown
            print("Client: \(try client.receiveString())")
            sleep(milliseconds: 1000)
        }
    }

    /// A worker: signals it is ready, then answers each request with "OK"
    /// until the pipe tells it to stop.
    static func workerTask(context: Context, pipe: Socket) throws {
        let worker = try context.socket(.req)
        try worker.connect("ipc://backend.ipc")
        try worker.send(workerReady)
        var poller = Poller()
        let pipeItem = poller.add(pipe)
        poller.add(worker)
        while true {
            try poller.poll()
            if poller.isReadable(pipeItem) { break }   // shutdown
            // [client, "", request]: answer in place of the request
            var message = try ZMsg.receive(from: worker)
            print("Worker: " + dumpLine(of: message.last ?? []))
            message.frames[message.count - 1] = Array("OK".utf8)
            try message.send(to: worker)
        }
    }

    /// The broker's state, which the reactor's handlers share.
    final class Broker {
        let frontend: Socket       // listens to clients
        let backend: Socket        // listens to workers
        var workers: [Frame] = []  // identities of ready workers, longest waiting first

        init(frontend: Socket, backend: Socket) {
            self.frontend = frontend
            self.backend = backend
        }

        /// A client request goes to the next ready worker, in its envelope.
        func handleFrontend(_ reactor: Reactor) throws {
            var message = try ZMsg.receive(from: frontend)
            guard message.envelope != nil else {
                printError("E: malformed request from a client, dropped")
                return
            }
            guard !workers.isEmpty else { return }
            message.wrap(workers.removeFirst())
            try message.send(to: backend)
            // No worker left: stop reading clients until one is ready again
            if workers.isEmpty { reactor.removeReader(frontend) }
        }

        /// A worker is ready again; its reply, if it is not the READY
        /// signal, goes back to the client.
        func handleBackend(_ reactor: Reactor) throws {
            let frames = try backend.receiveMultipart()
            guard let message = WorkerMessage(parsing: frames, ready: LBBroker3.workerReady) else {
                printError("E: malformed message from a worker, dropped")
                return
            }
            // Queued once, however often it speaks
            if !workers.contains(message.worker) { workers.append(message.worker) }
            if message.isMalformedReply { printError("E: malformed reply from a worker, dropped") }
            // The first ready worker: start reading clients again
            if workers.count == 1 {
                reactor.addReader(frontend) { [unowned self] in try self.handleFrontend($0) }
            }
            if let reply = message.reply {
                try reply.send(to: frontend)
            }
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let frontend = try context.socket(.router)
        let backend = try context.socket(.router)
        try frontend.bind("ipc://frontend.ipc")
        try backend.bind("ipc://backend.ipc")
        let broker = Broker(frontend: frontend, backend: backend)

        let actors = try (0..<Self.clientCount).map { _ in try ZActor(context, Self.clientTask) }
            + (0..<Self.workerCount).map { _ in try ZActor(context, Self.workerTask) }

        // Run the reactor until Ctrl-C
        let reactor = Reactor()
        reactor.addReader(backend) { try broker.handleBackend($0) }
        try reactor.run()
        for actor in actors { actor.stop() }
    }
}
