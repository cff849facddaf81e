// Load-balancing broker, with its clients and workers as threads of one process.
// Clients (REQ) connect to a ROUTER on ipc://frontend.ipc, workers (REQ) to a
// ROUTER on ipc://backend.ipc. A worker announces itself with "READY"; the
// broker hands each client request to the worker that has waited longest and
// routes the reply back, then ends once every client has its answer.
import ArgumentParser
import Dispatch
import ZHelpers
import ZMQ

@main
struct LBBroker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lbbroker",
        abstract: "Load-balancing broker: ROUTER on ipc://frontend.ipc for clients, ROUTER on ipc://backend.ipc for workers.")

    @Option(help: "Client threads to start; the broker ends after that many replies (0: it serves outside clients until killed).")
    var clients = 10

    @Option(help: "Worker threads to start (others may connect to ipc://backend.ipc).")
    var workers = 3

    // Each thread makes its own context: conceptually it is a separate
    // process, and the broker can end while workers still wait for work.

    /// A client: one "HELLO" request, one reply. The printable identity
    /// makes the envelopes easy to trace.
    static func clientTask() throws {
        let context = try Context()
        let client = try context.socket(.req)
        try client.setRandomIdentity()
        try client.connect("ipc://frontend.ipc")
        try client.send("HELLO")
        print("Client: \(try client.receiveString())")
    }

    /// A worker: says READY, then answers each request with "OK".
    static func workerTask() throws {
        let context = try Context()
        let worker = try context.socket(.req)
        try worker.setRandomIdentity()
        try worker.connect("ipc://backend.ipc")
        try worker.send("READY")
        while true {
            // [client identity, "", request]: the envelope goes back with the reply
            var message = try worker.receiveMultipart()
            let request = message.popLast() ?? []
            print("Worker: \(request.string)")
            try worker.send(multipart: message + [Array("OK".utf8)])
        }
    }

    func run() throws {
        let context = try Context()
        let frontend = try context.socket(.router)
        let backend = try context.socket(.router)
        try frontend.bind("ipc://frontend.ipc")
        try backend.bind("ipc://backend.ipc")

        let clientsDone = DispatchGroup()
        for _ in 0..<clients {
            clientsDone.enter()
            startThread {
                defer { clientsDone.leave() }
                do { try Self.clientTask() } catch { printError("E: client: \(error)") }
            }
        }
        for _ in 0..<workers {
            startThread { do { try Self.workerTask() } catch { printError("E: worker: \(error)") } }
        }

        // Identities of the workers ready for a request, longest waiting first
        var workerQueue: [Frame] = []
        var repliesToGo = clients
        var poller = Poller()
        let backendItem = poller.add(backend)
        let frontendItem = poller.add(frontend)
        while true {
            // Listen to clients only while a worker is free: meanwhile their
            // requests wait in ØMQ's queues
            poller.setEvents(workerQueue.isEmpty ? [] : .readable, at: frontendItem)
            try poller.poll()

            if poller.isReadable(backendItem) {
                // [worker, "", "READY"] or [worker, "", client, "", reply]
                let frames = try backend.receiveMultipart()
                if frames.count == 3, frames[1].isEmpty, frames[2] == Array("READY".utf8) {
                    workerQueue.append(frames[0])
                } else if frames.count == 5, frames[1].isEmpty, frames[3].isEmpty {
                    workerQueue.append(frames[0])
                    try frontend.send(multipart: [frames[2], [], frames[4]])
                    repliesToGo -= 1
                    if repliesToGo == 0 { break }   // every client has its reply
                } else {
                    printError("E: malformed message from a worker, dropped")
                }
            }
            if poller.isReadable(frontendItem), !workerQueue.isEmpty {
                // [client, "", request] goes to the next worker, inside its envelope
                let frames = try frontend.receiveMultipart()
                guard frames.count == 3, frames[1].isEmpty else {
                    printError("E: malformed request from a client, dropped")
                    continue
                }
                try backend.send(multipart: [workerQueue.removeFirst(), [], frames[0], [], frames[2]])
            }
        }
        // Give the clients a moment to print their replies before the process
        // ends (one whose reply went to an outside client never gets one)
        _ = clientsDone.wait(timeout: .now() + .seconds(2))
    }
}
