// Message queue broker.
// The request-reply broker again, with libzmq's proxy doing the switching
// between the ROUTER on tcp://*:5559 and the DEALER on tcp://*:5560.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct MsgQueue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msgqueue",
        abstract: "Message queue broker: zmq_proxy between ROUTER tcp://*:5559 and DEALER tcp://*:5560.")

    func run() throws {
        let context = try Context()
        // Facing the clients
        let frontend = try context.socket(.router)
        try frontend.bind("tcp://*:5559")
        // Facing the services
        let backend = try context.socket(.dealer)
        try backend.bind("tcp://*:5560")

        // Runs until the process is stopped
        try ZMQ.proxy(frontend: frontend, backend: backend)
    }
}
