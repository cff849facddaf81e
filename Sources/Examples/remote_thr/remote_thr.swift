// Throughput test, sending side (a port of libzmq's perf/remote_thr).
// A PUSH socket connects and sends message-count messages of message-size
// bytes as fast as it can; local_thr at the other end measures the rate.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct RemoteThr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote_thr",
        abstract: "Throughput test, sender: PUSH connects and sends messages to local_thr as fast as it can.")

    @Argument(help: ArgumentHelp("Endpoint to connect to, such as tcp://localhost:5555.", valueName: "connect-to"))
    var connectTo: String
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
        let socket = try context.socket(.push)
        try socket.connect(connectTo)

        // As in C, each message is a fresh zmq_msg_init_size, here made in one
        // reused Message object; sending hands its content to libzmq.
        let message = Message()
        for _ in 0..<count {
            try message.rebuild(size: size)
            try socket.send(message)
        }
        // Closing the socket and the context waits until every message is out.
    }
}
