// Latency test, echoing side (a port of libzmq's perf/local_lat).
// A REP socket binds and sends each of roundtrip-count messages straight
// back; remote_lat at the other end measures the round trips.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct LocalLat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local_lat",
        abstract: "Latency test, echo: REP binds and returns every message from remote_lat.")

    @Argument(help: ArgumentHelp("Endpoint to bind, such as tcp://*:5555.", valueName: "bind-to"))
    var bindTo: String
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
        let socket = try context.socket(.rep)
        try socket.bind(bindTo)

        // The message received is the message sent back: nothing is copied
        let message = Message()
        for _ in 0..<count {
            try socket.receive(into: message)
            guard message.size == size else { throw IncorrectSize() }
            try socket.send(message)
        }

        sleep(milliseconds: 1000)   // as libzmq's tool does, before closing
    }
}

/// A message whose size is not the one given on the command line.
struct IncorrectSize: Error, CustomStringConvertible {
    var description: String { "message of incorrect size received" }
}
