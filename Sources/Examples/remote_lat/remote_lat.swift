// Latency test, measuring side (a port of libzmq's perf/remote_lat).
// A REQ socket connects, sends a message of message-size bytes and waits for
// it to come back, roundtrip-count times, then prints half the mean round
// trip: the one-way latency, as libzmq reports it.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct RemoteLat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote_lat",
        abstract: "Latency test, client: REQ connects to local_lat, times round trips, prints the average latency.")

    @Argument(help: ArgumentHelp("Endpoint to connect to, such as tcp://localhost:5555.", valueName: "connect-to"))
    var connectTo: String
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
        try socket.connect(connectTo)

        let message = try Message(size: size)
        message.mutableBytes.initializeMemory(as: UInt8.self, repeating: 0)

        // One message travels back and forth: each send empties it, each
        // receive refills it with the echo.
        let start = ContinuousClock.now
        for _ in 0..<count {
            try socket.send(message)
            try socket.receive(into: message)
            guard message.size == size else { throw IncorrectSize() }
        }
        let elapsed = Int((ContinuousClock.now - start) / .microseconds(1))

        let latency = Double(elapsed) / Double(roundtripCount * 2)
        print("message size: \(messageSize) [B]")
        print("roundtrip count: \(roundtripCount)")
        print("average latency: \(String(format: "%.3f", latency)) [us]")
    }
}

/// A message whose size is not the one given on the command line.
struct IncorrectSize: Error, CustomStringConvertible {
    var description: String { "message of incorrect size received" }
}
