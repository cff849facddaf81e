// Request-reply broker.
// ROUTER on tcp://*:5559 for clients, DEALER on tcp://*:5560 for workers;
// a poll loop moves each message, all its frames, from one side to the other.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct RRBroker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rrbroker",
        abstract: "Request-reply broker: ROUTER tcp://*:5559 to DEALER tcp://*:5560, by hand.")

    func run() throws {
        let context = try Context()
        let frontend = try context.socket(.router)
        let backend = try context.socket(.dealer)
        try frontend.bind("tcp://*:5559")
        try backend.bind("tcp://*:5560")

        var poller = Poller()
        let fromClients = poller.add(frontend)
        let fromWorkers = poller.add(backend)
        let message = Message()
        while true {
            try poller.poll()
            if poller.isReadable(fromClients) {
                try forward(from: frontend, to: backend, using: message)
            }
            if poller.isReadable(fromWorkers) {
                try forward(from: backend, to: frontend, using: message)
            }
        }
    }

    /// Moves every frame of one message, keeping the more flags.
    private func forward(from source: Socket, to destination: Socket, using message: Message) throws(ZMQError) {
        while true {
            try source.receive(into: message)
            let more = message.hasMore
            try destination.send(message, flags: more ? .more : [])
            if !more { break }   // that was the last frame
        }
    }
}
