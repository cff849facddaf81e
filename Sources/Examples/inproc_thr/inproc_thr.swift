// Throughput test within one process (a port of libzmq's perf/inproc_thr).
// The main thread binds a PULL socket to inproc://thr_test; a worker thread
// connects a PUSH socket and sends message-count messages; the main thread
// times them and prints the mean rate.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct InprocThr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inproc_thr",
        abstract: "Throughput test over inproc: a worker thread PUSHes, the main thread PULLs and prints msg/s and Mb/s.")

    @Argument(help: ArgumentHelp("Size of each message in bytes.", valueName: "message-size"))
    var messageSize: Int
    @Argument(help: ArgumentHelp("Number of messages to send.", valueName: "message-count"))
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
        try socket.bind("inproc://thr_test")

        let worker = startThread {
            do {
                let sender = try context.socket(.push)
                try sender.connect("inproc://thr_test")
                let message = Message()
                for _ in 0..<count {
                    try message.rebuild(size: size)
                    try sender.send(message)
                }
            } catch {
                printError("worker: \(error)")
                Foundation.exit(1)
            }
        }

        print("message size: \(messageSize) [B]")
        print("message count: \(messageCount)")

        let message = Message()
        try socket.receive(into: message)
        guard message.size == size else { throw IncorrectSize() }

        let start = ContinuousClock.now
        for _ in 1..<count {
            try socket.receive(into: message)
            guard message.size == size else { throw IncorrectSize() }
        }
        let elapsed = max(1, Int((ContinuousClock.now - start) / .microseconds(1)))
        worker.join()

        // libzmq's tool rounds the rate down to whole messages before the Mb/s
        let throughput = Int(Double(messageCount) / Double(elapsed) * 1_000_000)
        let megabits = Double(throughput * messageSize * 8) / 1_000_000
        print("mean throughput: \(throughput) [msg/s]")
        print("mean throughput: \(String(format: "%.3f", megabits)) [Mb/s]")
    }
}

/// A message whose size is not the one given on the command line.
struct IncorrectSize: Error, CustomStringConvertible {
    var description: String { "message of incorrect size received" }
}
