// Paranoid Pirate queue: the load-balancing broker with heartbeats. It
// sends a heartbeat ("\002") to each idle worker every second, counts any
// message from a worker as a sign of life, and forgets a worker it has not
// heard from for three heartbeat intervals.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct PPQueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppqueue",
        abstract: "Paranoid Pirate queue: ROUTER tcp://*:5555 for clients, ROUTER tcp://*:5556 for heartbeating workers.")

    static let heartbeatLiveness = 3      // 3 to 5 is reasonable
    static let heartbeatInterval = 1000   // msecs

    // The Paranoid Pirate Protocol's two commands
    static let ready: Frame = [1]       // the worker is ready
    static let heartbeat: Frame = [2]   // the worker (or queue) is alive

    /// A worker that is ready for work, and when we give up on it.
    struct Worker {
        let identity: Frame
        let expiry: Int64

        init(_ identity: Frame) {
            self.identity = identity
            expiry = clockMilliseconds() + Int64(PPQueue.heartbeatInterval * PPQueue.heartbeatLiveness)
        }
    }

    /// A short description of a message for a log line: its frame sizes.
    static func shape(_ frames: [Frame]) -> String {
        "\(frames.count) frames of " + frames.map { String($0.count) }.joined(separator: ",") + " bytes"
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let frontend = try context.socket(.router)
        let backend = try context.socket(.router)
        try frontend.bind("tcp://*:5555")   // for clients
        try backend.bind("tcp://*:5556")    // for workers

        // Workers ready for a request, the one heard from longest ago first
        var workers: [Worker] = []

        /// Puts a worker at the end of the list, taking out an older entry for it.
        func markReady(_ identity: Frame) {
            workers.removeAll { $0.identity == identity }
            workers.append(Worker(identity))
        }

        // Heartbeats go out at regular intervals
        var heartbeatAt = clockMilliseconds() + Int64(Self.heartbeatInterval)

        var poller = Poller()
        let fromWorkers = poller.add(backend)
        let fromClients = poller.add(frontend)
        while !isInterrupted {
            // Take requests only while some worker is free
            poller.setEvents(workers.isEmpty ? [] : .readable, at: fromClients)
            do { try poller.poll(timeoutMilliseconds: Self.heartbeatInterval) } catch {
                if error.isInterrupted { break }
                throw error
            }

            if poller.isReadable(fromWorkers) {
                // [worker, command] or [worker, client, "", reply...]
                var message = try ZMsg.receive(from: backend)
                let original = message.frames
                let identity = message.pop() ?? []
                if message.frames == [Self.ready] || message.frames == [Self.heartbeat] {
                    markReady(identity)   // any sign of life means it is ready
                } else if message.count >= 3, message.frames[1].isEmpty, message.first?.isEmpty == false {
                    markReady(identity)
                    try message.send(to: frontend)
                } else {
                    printError("E: invalid message from worker (\(Self.shape(original))), dropped")
                }
            }
            if poller.isReadable(fromClients), !workers.isEmpty {
                // [client, "", request...]: to the worker heard from longest ago
                var message = try ZMsg.receive(from: frontend)
                if message.count >= 3, message.frames[1].isEmpty {
                    message.push(workers.removeFirst().identity)
                    try message.send(to: backend)
                } else {
                    printError("E: malformed request from a client (\(Self.shape(message.frames))), dropped")
                }
            }

            // After any activity: heartbeats to the idle workers if it is
            // time, then forget those that have been silent too long
            if clockMilliseconds() >= heartbeatAt {
                for worker in workers {
                    try backend.send(multipart: [worker.identity, Self.heartbeat])
                }
                heartbeatAt = clockMilliseconds() + Int64(Self.heartbeatInterval)
            }
            // Oldest first, so stop at the first one still alive
            let now = clockMilliseconds()
            while let oldest = workers.first, now >= oldest.expiry {
                workers.removeFirst()
            }
        }
    }
}
