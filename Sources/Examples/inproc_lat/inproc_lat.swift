// Latency test within one process (a port of libzmq's perf/inproc_lat).
// The main thread binds a REQ socket to inproc://lat_test; a worker thread
// connects a REP socket and echoes every message; the main thread times
// roundtrip-count round trips and prints half the mean: the one-way latency.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct InprocLat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inproc_lat",
        abstract: "Latency test over inproc: the main thread's REQ times round trips to a REP echo thread.")

    @Argument(help: ArgumentHelp("Size of each message in bytes.", valueName: "message-size"))
    var messageSize: Int
    @Argument(help: ArgumentHelp("Number of round trips.", valueName: "roundtrip-count"))
    var roundtripCount: Int

    func validate() throws {
        guard messageSize >= 0 else { throw ValidationError("message-size must be 0 or more") }
        guard roundtripCount >= 1 else { throw ValidationError("roundtrip-count must be at least 1") }
    }

    func run() throws {
        // Plain locals: the loops below must not go through the argument wrappers
        let (size, count) = (messageSize, roundtripCount)
        let context = try Context()
        let socket = try context.socket(.req)
        try socket.bind("inproc://lat_test")

        let worker = startThread {
            do {
                let echo = try context.socket(.rep)
                try echo.connect("inproc://lat_test")
                let message = Message()
                for _ in 0..<count {
                    try echo.receive(into: message)
                    try echo.send(message)
                }
            } catch {
                printError("worker: \(error)")
                Foundation.exit(1)
            }
        }

        let message = try Message(size: size)
        message.mutableBytes.initializeMemory(as: UInt8.self, repeating: 0)

        print("message size: \(messageSize) [B]")
        print("roundtrip count: \(roundtripCount)")

        let start = ContinuousClock.now
        for _ in 0..<count {
            try socket.send(message)
            try socket.receive(into: message)
            guard message.size == size else { throw IncorrectSize() }
        }
        let elapsed = Int((ContinuousClock.now - start) / .microseconds(1))
        worker.join()

        let latency = Double(elapsed) / Double(roundtripCount * 2)
        print("average latency: \(String(format: "%.3f", latency)) [us]")
    }
}

/// A message whose size is not the one given on the command line.
struct IncorrectSize: Error, CustomStringConvertible {
    var description: String { "message of incorrect size received" }
}
