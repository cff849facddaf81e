// Freelance client, model two: sends each request to every server at once
// over one DEALER socket and takes the first reply that carries the
// request's sequence number. Times 10,000 requests.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FLClient2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flclient2",
        abstract: "Freelance client, model two: blasts each request to all servers and takes the first reply.")

    /// If not a single service replies within this time, give up (msecs).
    static let globalTimeout: Int64 = 2500

    @Argument(help: "The endpoints of the servers, e.g. tcp://localhost:5555.")
    var endpoints: [String]

    func validate() throws {
        if endpoints.isEmpty { throw ValidationError("give at least one endpoint") }
    }

    /// The client class of model two: one DEALER socket connected to every
    /// server, and a count of requests sent.
    final class FreelanceClient {
        let socket: Socket
        var servers = 0
        var sequence = 0

        init(context: Context) throws {
            socket = try context.socket(.dealer)
            try socket.set(.linger, to: 0)
        }

        func connect(_ endpoint: String) throws {
            try socket.connect(endpoint)
            servers += 1
        }

        /// Sends the request to all servers, returns the first reply with
        /// its sequence number, or nil when none came in time.
        func request(_ request: ZMsg) throws -> ZMsg? {
            // [empty, sequence, body...]: the empty frame makes REP servers happy
            sequence += 1
            var message = request
            message.push(String(sequence))
            message.push("")
            for _ in 0..<servers { try message.send(to: socket) }

            // Other replies, late or for old requests, are dropped
            let endTime = clockMilliseconds() + FLClient2.globalTimeout
            var poller = Poller()
            let item = poller.add(socket)
            while clockMilliseconds() < endTime {
                try poller.poll(timeoutMilliseconds: Int(max(0, endTime - clockMilliseconds())))
                guard poller.isReadable(item) else { continue }
                var reply = try ZMsg.receive(from: socket)
                // A reply is [empty, sequence, "OK"]
                guard reply.count == 3, reply.pop() == [] else {
                    printError("E: malformed reply (\(reply.count) frames), dropped")
                    continue
                }
                if reply.popString().flatMap({ Int($0) }) == sequence { return reply }
            }
            return nil
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let client = try FreelanceClient(context: context)
        for endpoint in endpoints { try client.connect(endpoint) }

        // Send a bunch of name resolution "requests", measure time
        let requests = 10000
        let start = clockMilliseconds()
        for _ in 0..<requests {
            if isInterrupted { break }
            guard try client.request(ZMsg(strings: ["random name"])) != nil else {
                print("E: name service not available, aborting")
                break
            }
        }
        print("Average round trip cost: \((clockMilliseconds() - start) * 1000 / Int64(requests)) usec")
    }
}
