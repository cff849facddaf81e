// Freelance server, model two: does its "work" and replies OK to each
// request, echoing the request's sequence number so that a client that
// asks every server at once can match the replies.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FLServer2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flserver2",
        abstract: "Freelance server, model two: answers [sequence, body] with [sequence, \"OK\"] on a REP socket bound to <endpoint>.")

    @Argument(help: "The endpoint to bind, e.g. tcp://*:5555.")
    var endpoint: String

    func run() throws {
        catchSignals()
        let context = try Context()
        let server = try context.socket(.rep)
        try server.bind(endpoint)

        print("I: service is ready at \(endpoint)")
        while true {
            var request: ZMsg
            do { try server.waitUnlessInterrupted(); request = try ZMsg.receive(from: server) } catch {
                if error.isStop { break }
                throw error
            }
            // A request is [sequence, body]; anything else comes from the
            // wrong client. REP must still answer, so it gets an empty frame
            guard request.count == 2, let sequence = request.pop() else {
                printError("E: malformed request (\(request.count) frames), answered with an empty frame")
                try server.send("")
                continue
            }
            try ZMsg([sequence, Array("OK".utf8)]).send(to: server)
        }
        if isInterrupted { print("W: interrupted") }
    }
}
