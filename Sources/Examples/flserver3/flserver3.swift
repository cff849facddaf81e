// Freelance server, model three: a ROUTER socket whose identity is the
// endpoint clients connect to, so that a ROUTER client can address it.
// Answers PING with PONG and each request [sequence, body] with
// [sequence, "OK"], on one thread.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FLServer3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flserver3",
        abstract: "Freelance server, model three: ROUTER on tcp://*:5555 with identity tcp://localhost:5555.")

    @Flag(name: .customShort("v"), help: "Dump each message received and sent.")
    var verbose = false

    @Option(help: "The TCP port to bind; the identity is tcp://localhost:PORT.")
    var port = 5555

    func run() throws {
        catchSignals()
        let context = try Context()

        // A predictable identity: the endpoint the clients connect to
        let bindEndpoint = "tcp://*:\(port)"
        let connectEndpoint = "tcp://localhost:\(port)"
        let server = try context.socket(.router)
        try server.set(.routingID, to: Array(connectEndpoint.utf8))
        try server.bind(bindEndpoint)
        print("I: service is ready at \(bindEndpoint)")

        while !isInterrupted {
            var request: ZMsg
            do { try server.waitUnlessInterrupted(); request = try ZMsg.receive(from: server) } catch {
                if error.isStop { break }
                throw error
            }
            if verbose { request.dump() }

            // [client identity, PING or sequence, body...]
            guard let identity = request.pop(), let control = request.pop() else {
                printError("E: malformed request (\(request.count + 1) frames), dropped")
                continue
            }
            var reply = ZMsg()
            if control == Array("PING".utf8) {
                reply.append("PONG")
            } else {
                reply.append(control)
                reply.append("OK")
            }
            reply.push(identity)
            if verbose { reply.dump() }
            try reply.send(to: server)
        }
        if isInterrupted { print("W: interrupted") }
    }
}
