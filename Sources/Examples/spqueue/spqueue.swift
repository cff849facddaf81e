// Simple Pirate queue: the load-balancing broker with no reliability of
// its own. Workers say READY ("\001") and are handed one request each, in
// turn; the Lazy Pirate client's retries make up for workers that die.
// Runs until interrupted.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct SPQueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spqueue",
        abstract: "Simple Pirate queue: ROUTER tcp://*:5555 for clients, ROUTER tcp://*:5556 for workers.")

    static let workerReady: Frame = [1]   // a worker's first message

    /// A short description of a message for a log line: its frame sizes.
    static func shape(_ message: ZMsg) -> String {
        "\(message.count) frames of " + message.frames.map { String($0.count) }.joined(separator: ",") + " bytes"
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let frontend = try context.socket(.router)
        let backend = try context.socket(.router)
        try frontend.bind("tcp://*:5555")   // for clients
        try backend.bind("tcp://*:5556")    // for workers

        // Identities of the workers ready for a request, longest waiting first
        var workers: [Frame] = []

        var poller = Poller()
        let fromWorkers = poller.add(backend)
        let fromClients = poller.add(frontend)
        while !isInterrupted {
            // Take requests only while some worker is free
            poller.setEvents(workers.isEmpty ? [] : .readable, at: fromClients)
            do { try poller.pollUnlessInterrupted() } catch {
                if error.isInterrupted { break }
                throw error
            }

            if poller.isReadable(fromWorkers) {
                // [worker, "", READY] or [worker, "", client, "", reply...]
                var message = try ZMsg.receive(from: backend)
                let original = message
                guard let worker = message.pop(), message.pop() == [], let first = message.first else {
                    printError("E: malformed message from a worker (\(Self.shape(original))), dropped")
                    continue
                }
                if message.frames == [Self.workerReady] {
                    workers.append(worker)
                } else if message.count >= 3, message.frames[1].isEmpty, !first.isEmpty {
                    workers.append(worker)
                    try message.send(to: frontend)
                } else {
                    printError("E: invalid message from worker (\(Self.shape(original))), dropped")
                }
            }
            if poller.isReadable(fromClients), !workers.isEmpty {
                // [client, "", request...]: to the worker that waited longest
                var message = try ZMsg.receive(from: frontend)
                guard message.count >= 3, message.frames[1].isEmpty else {
                    printError("E: malformed request from a client (\(Self.shape(message))), dropped")
                    continue
                }
                message.wrap(workers.removeFirst())
                try message.send(to: backend)
            }
        }
    }
}
