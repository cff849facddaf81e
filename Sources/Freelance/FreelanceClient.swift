import ZHelpers
import ZMQ

/// A client of the Freelance pattern, model three (the guide's `flcliapi`):
/// it talks to any number of servers over one ROUTER socket, each server
/// known by its endpoint (which is also its identity), sends each request
/// to the first server it believes alive, and pings idle servers.
///
/// The work is done by an agent on a thread of its own; this object talks
/// to it over an inproc pipe, so its methods are called on one thread.
/// ```swift
/// let client = try FreelanceClient(context: context)
/// try client.connect("tcp://localhost:5555")
/// if let reply = try client.request(ZMsg(strings: ["random name"])) { ... }
/// ```
public final class FreelanceClient {
    /// If no server replies within this time, a request fails (msecs).
    public static let globalTimeout: Int64 = 3000
    /// Idle servers we think are alive are pinged this often (msecs).
    public static let pingInterval: Int64 = 2000
    /// A server silent for this long is taken as dead (msecs).
    public static let serverTTL: Int64 = 6000

    private let actor: ZActor

    /// Starts the agent thread.
    public init(context: Context) throws {
        actor = try ZActor(context) { context, pipe in
            try FreelanceAgent(context: context, pipe: pipe).run()
        }
    }

    deinit { actor.stop() }

    /// Connects to a server, whose identity must be `endpoint`. Waits
    /// 100 ms for the connection, so that the first requests do not all go
    /// to the first server.
    public func connect(_ endpoint: String) throws {
        try actor.pipe.send(multipart: [Array("CONNECT".utf8), Array(endpoint.utf8)])
        sleep(milliseconds: 100)
    }

    /// Sends `request` and waits for the reply; nil if no server answered
    /// within ``globalTimeout``.
    public func request(_ request: ZMsg) throws -> ZMsg? {
        var message = request
        message.push("REQUEST")
        try message.send(to: actor.pipe)
        var reply = try ZMsg.receive(from: actor.pipe)
        guard reply.popString() == "OK" else { return nil }
        return reply
    }
}

/// The agent behind ``FreelanceClient``: runs on its own thread, reads
/// commands from the pipe and replies from the servers, and sends the
/// pending request and the pings.
final class FreelanceAgent {
    /// One server we talk to.
    final class Server {
        let endpoint: String
        var isAlive = false
        var pingAt: Int64
        var expires: Int64

        init(endpoint: String, now: Int64) {
            self.endpoint = endpoint
            pingAt = now + FreelanceClient.pingInterval
            expires = now + FreelanceClient.serverTTL
        }
    }

    let pipe: Socket
    let router: Socket
    var servers: [String: Server] = [:]
    var actives: [Server] = []     // servers we believe alive, in order of use
    var sequence = 0                // number of requests ever sent
    var request: ZMsg?              // the pending request, [sequence, body...]
    var expires: Int64 = 0          // when the pending request fails

    init(context: Context, pipe: Socket) throws {
        self.pipe = pipe
        router = try context.socket(.router)
        try router.set(.linger, to: 0)
    }

    /// Polls the pipe and the servers until the pipe says stop.
    func run() throws {
        var poller = Poller()
        let pipeItem = poller.add(pipe)
        let routerItem = poller.add(router)
        while !isInterrupted {
            // Sleep until the next ping or the request's deadline, an hour at most
            var tickless = clockMilliseconds() + 3_600_000
            if request != nil { tickless = min(tickless, expires) }
            for server in servers.values { tickless = min(tickless, server.pingAt) }
            do {
                try poller.poll(timeoutMilliseconds: Int(max(0, tickless - clockMilliseconds())))
            } catch {
                if error.isStop { break }
                throw error
            }
            if poller.isReadable(pipeItem) {
                if try !controlMessage() { break }
            }
            if poller.isReadable(routerItem) { try routerMessage() }
            try dispatch()
            try ping()
        }
    }

    /// Handles CONNECT or REQUEST from the application; false on stop.
    func controlMessage() throws -> Bool {
        var message = try ZMsg.receive(from: pipe)
        switch message.popString() {
        case "CONNECT":
            guard let endpoint = message.popString() else { return true }
            print("I: connecting to \(endpoint)...")
            try router.connect(endpoint)
            let server = Server(endpoint: endpoint, now: clockMilliseconds())
            servers[endpoint] = server
            server.isAlive = true
            actives.append(server)
        case "REQUEST":
            // Strict request-reply: the application waits for each answer
            sequence += 1
            message.push(String(sequence))
            request = message
            expires = clockMilliseconds() + FreelanceClient.globalTimeout
        case ZActor.terminate:
            return false
        default:
            break
        }
        return true
    }

    /// Handles one message from a server: [endpoint, sequence or PONG, body...].
    func routerMessage() throws {
        var reply = try ZMsg.receive(from: router)
        guard let endpoint = reply.popString(), let server = servers[endpoint] else {
            printError("E: message from an unknown server, dropped")
            return
        }
        // Any message shows the server is alive
        if !server.isAlive {
            actives.append(server)
            server.isAlive = true
        }
        let now = clockMilliseconds()
        server.pingAt = now + FreelanceClient.pingInterval
        server.expires = now + FreelanceClient.serverTTL

        // A reply goes up only while its request is pending: a late or
        // duplicate answer to an earlier request is dropped
        guard request != nil, let number = reply.popString(), Int(number) == sequence else { return }
        reply.push("OK")
        try reply.send(to: pipe)
        request = nil
    }

    /// Fails the pending request if it is out of time, else (re)sends it
    /// to the first server still alive, dropping the expired ones.
    func dispatch() throws {
        guard let pending = request else { return }
        let now = clockMilliseconds()
        if now >= expires {
            try pipe.send("FAILED")
            request = nil
            return
        }
        while let server = actives.first {
            if now >= server.expires {
                actives.removeFirst()
                server.isAlive = false
            } else {
                var message = pending
                message.push(server.endpoint)
                try message.send(to: router)
                break
            }
        }
    }

    /// Pings each server that is due: [endpoint, "PING"].
    func ping() throws {
        let now = clockMilliseconds()
        for server in servers.values where now >= server.pingAt {
            try router.send(multipart: [Array(server.endpoint.utf8), Array("PING".utf8)])
            server.pingAt = now + FreelanceClient.pingInterval
        }
    }
}
