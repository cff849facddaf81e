// Throughput test, receiving side (a port of libzmq's perf/local_thr).
// A PULL socket binds, takes the first message as the start signal, times
// the remaining message-count - 1 messages, and prints the mean rate.
// Run it with remote_thr pointed at the same endpoint.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct LocalThr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local_thr",
        abstract: "Throughput test, receiver: PULL binds, counts messages from remote_thr, prints msg/s and Mb/s.")

    @Argument(help: ArgumentHelp("Endpoint to bind, such as tcp://*:5555.", valueName: "bind-to"))
    var bindTo: String
    @Argument(help: ArgumentHelp("Size of each message in bytes.", valueName: "message-size"))
    var messageSize: Int
    @Argument(help: ArgumentHelp("Number of messages to receive.", valueName: "message-count"))
    var messageCount: Int

    func validate() throws {
        guard messageSize >= 0 else { throw ValidationError("message-size must be 0 or more") }
        guard messageCount >= 1 else { throw ValidationError("message-count must be at least 1") }
    }

    func run() throws {
        // Plain locals: the loops below must not go through the argument wrappers
        let (size, count) = (messageSize, messageCount)
        let context = try Context()
        let socket = try context.socket(.pull)
        if bindTo.hasPrefix("ipc://") {
            // libzmq 4.3 can drop the tail of an ipc stream when the sender
            // closes while this side is held back by its high-water mark
            // (libzmq issue 4660): with no limit it reads everything first.
            try socket.set(.receiveHighWaterMark, to: 0)
        }
        try socket.bind(bindTo)

        // One message object for every receive: no allocation per message
        let message = Message()
        try socket.receive(into: message)
        guard message.size == size else { throw IncorrectSize() }

        let start = ContinuousClock.now
        for _ in 1..<count {
            try socket.receive(into: message)
            guard message.size == size else { throw IncorrectSize() }
        }
        let elapsed = max(1, Int((ContinuousClock.now - start) / .microseconds(1)))

        let throughput = Double(messageCount) / Double(elapsed) * 1_000_000
        let megabits = throughput * Double(messageSize) * 8 / 1_000_000
        print("message size: \(messageSize) [B]")
        print("message count: \(messageCount)")
        print("mean throughput: \(Int(throughput)) [msg/s]")
        print("mean throughput: \(String(format: "%.3f", megabits)) [Mb/s]")
    }
}

/// A message whose size is not the one given on the command line.
struct IncorrectSize: Error, CustomStringConvertible {
    var description: String { "message of incorrect size received" }
}
