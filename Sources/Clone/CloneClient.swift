// clone: the client side of Clone model 6 (chapter 5), the guide's `clone`
// class. The application calls a small API; each call is a message over an
// inproc pipe to an agent thread, which keeps the key-value map, talks to
// up to two servers (a Binary Star pair) and fails over between them.
//
// Pipe commands, as in the C (frames of text):
//   ["SUBTREE", subtree]            work on keys under subtree only
//   ["CONNECT", address, service]   add a server: snapshots on port service,
//                                   updates from service+1, ours to service+2
//   ["SET", key, value, ttl]        send an update (ttl in seconds, 0 for ever)
//   ["GET", key]                    the agent replies [value] ("" when none)
// and one the C has not, for tests and digests:
//   ["MAP"]                         the agent replies [key, value, key, value, ...]
import KVMsg
import ZHelpers
import ZMQ

/// The Clone client API (the guide's `clone` class): a replicated
/// key-value map kept up to date by an agent thread that talks to a pair
/// of Clone servers and fails over from one to the other.
///
/// ```swift
/// let clone = try CloneClient()
/// try clone.subtree("/client/")
/// try clone.connect(address: "tcp://localhost", service: 5556)
/// try clone.connect(address: "tcp://localhost", service: 5566)
/// try clone.set(key: "/client/1", value: "42", ttl: 10)
/// let value = try clone.get(key: "/client/1")
/// ```
public final class CloneClient {
    /// How long a server may stay silent (no update, no HUGZ) before the
    /// agent fails over to the other one, in milliseconds.
    public static let serverTimeout: Int64 = 5000
    /// How many servers the agent talks to at most (a Binary Star pair).
    public static let serverMax = 2

    private let context: Context
    private let actor: ZActor

    /// Starts the agent thread, with a context of its own.
    public init() throws {
        context = try Context()
        actor = try ZActor(context) { context, pipe in
            try Agent(context: context, pipe: pipe).run()
        }
    }

    deinit {
        actor.stop()
    }

    /// Works on the keys under `subtree` only (call before ``connect(address:service:)``).
    public func subtree(_ subtree: String) throws {
        try actor.pipe.send(multipart: [Array("SUBTREE".utf8), Array(subtree.utf8)])
    }

    /// Adds a server (at most two): snapshots from `address`:`service`,
    /// updates from the next port, the client's updates to the one after.
    public func connect(address: String, service: Int) throws {
        try actor.pipe.send(multipart: ["CONNECT", address, String(service)].map { Array($0.utf8) })
    }

    /// Sets `key` to `value` for `ttl` seconds (0: for ever), in the local
    /// map at once and, through the servers, in every client's.
    public func set(key: String, value: String, ttl: Int = 0) throws {
        try actor.pipe.send(multipart: ["SET", key, value, String(ttl)].map { Array($0.utf8) })
    }

    /// The value of `key` in the local map, or "" when there is none.
    public func get(key: String) throws -> String {
        try actor.pipe.send(multipart: ["GET", key].map { Array($0.utf8) })
        return try actor.pipe.receiveString()
    }

    /// The whole local map: each key with its value.
    public func map() throws -> [String: String] {
        try actor.pipe.send("MAP")
        let frames = try actor.pipe.receiveMultipart()
        var map: [String: String] = [:]
        var index = 0
        while index + 1 < frames.count {
            map[String(decoding: frames[index], as: UTF8.self)] = String(decoding: frames[index + 1], as: UTF8.self)
            index += 2
        }
        return map
    }
}

/// One server the agent knows: its sockets and when it last spoke.
private final class Server {
    let address: String
    let port: Int
    let snapshot: Socket      // DEALER: snapshot requests
    let subscriber: Socket    // SUB: updates and HUGZ
    var expiry: Int64 = 0     // when the server counts as dead
    var requests = 0          // snapshot requests made and not yet answered

    init(context: Context, address: String, port: Int, subtree: String) throws {
        logLine("I: adding server \(address):\(port)...")
        self.address = address
        self.port = port
        snapshot = try context.socket(.dealer)
        try snapshot.set(.linger, to: 0)
        try snapshot.connect("\(address):\(port)")
        subscriber = try context.socket(.sub)
        try subscriber.set(.linger, to: 0)
        try subscriber.connect("\(address):\(port + 1)")
        try subscriber.subscribe(subtree)
        try subscriber.subscribe("HUGZ")
    }

    var name: String { "\(address):\(port)" }
}

/// The agent thread: the map, the servers, and the client's state.
private final class Agent {
    enum State {
        case initial    // before asking a server for the state
        case syncing    // getting the state from a server
        case active     // getting updates from a server
    }

    let context: Context
    let pipe: Socket
    var map: [String: KeyValueMessage] = [:]
    var subtree = ""
    var servers: [Server] = []
    var state = State.initial
    var current = 0               // the server we use, when active
    var sequence: Int64 = 0       // the last update applied
    let publisher: Socket         // our updates, to every server's collector

    init(context: Context, pipe: Socket) throws {
        self.context = context
        self.pipe = pipe
        publisher = try context.socket(.pub)
        try publisher.set(.linger, to: 0)
    }

    /// A command from the application; false when told to end.
    func handleCommand() throws -> Bool {
        var message = try ZMsg.receive(from: pipe)
        guard let command = message.popString(), command != ZActor.terminate else { return false }
        switch command {
        case "SUBTREE":
            subtree = message.popString() ?? ""
        case "CONNECT":
            guard let address = message.popString(), let port = message.popString().flatMap({ Int($0) }) else {
                printError("E: bad CONNECT command, dropped")
                break
            }
            if servers.count < CloneClient.serverMax {
                servers.append(try Server(context: context, address: address, port: port, subtree: subtree))
                try publisher.connect("\(address):\(port + 2)")
            } else {
                logLine("E: too many servers (max. \(CloneClient.serverMax))")
            }
        case "SET":
            guard message.count == 3, let key = message.popString(), let value = message.popString(),
                  let ttl = message.popString() else {
                printError("E: bad SET command, dropped")
                break
            }
            var update = KeyValueMessage(key: key, body: value)
            update.setUUID()
            update.setProperty("ttl", to: ttl)
            try update.send(to: publisher)
            update.store(in: &map)
        case "GET":
            let key = message.popString() ?? ""
            try pipe.send(map[key]?.body ?? [])
        case "MAP":
            let frames = map.keys.sorted().flatMap { [Array($0.utf8), map[$0]?.body ?? []] }
            if frames.isEmpty { try pipe.send("") } else { try pipe.send(multipart: frames) }
        default:
            printError("E: unknown command \(command), dropped")
        }
        return true
    }

    /// A message from the current server, on its snapshot or its subscriber socket.
    func handleServer(_ server: Server, _ socket: Socket) throws {
        let received = try KeyValueMessage.receive(from: socket)
        server.expiry = clockMilliseconds() + CloneClient.serverTimeout
        guard case .success(let message) = received else {
            if case .failure(let error) = received { printError("E: malformed message from \(server.name) dropped: \(error)") }
            return
        }
        switch state {
        case .syncing:
            server.requests = 0
            if message.key == "KTHXBAI" {
                sequence = message.sequence
                state = .active
                logLine("I: received from \(server.name) snapshot=\(sequence)")
            } else {
                message.store(in: &map)
            }
        case .active:
            // HUGZ only tells that the server is alive; updates must be newer than ours
            if message.key != "HUGZ" && message.sequence > sequence {
                sequence = message.sequence
                message.store(in: &map)
                logLine("I: received from \(server.name) update=\(sequence)")
            }
        case .initial:
            break
        }
    }

    func run() throws {
        while true {
            var poller = Poller()
            poller.add(pipe)
            var timeout = -1
            var server: Server?
            if !servers.isEmpty {
                let chosen = servers[current]
                server = chosen
                if state == .initial {
                    logLine("I: waiting for server at \(chosen.name)...")
                    // Two requests at most: a server that is down gets them when it is back
                    if chosen.requests < 2 {
                        try chosen.snapshot.sendMore("ICANHAZ?")
                        try chosen.snapshot.send(subtree)
                        chosen.requests += 1
                    }
                    chosen.expiry = clockMilliseconds() + CloneClient.serverTimeout
                    state = .syncing
                }
                poller.add(state == .syncing ? chosen.snapshot : chosen.subscriber)
                timeout = Int(max(0, chosen.expiry - clockMilliseconds()))
            }
            do {
                try poller.poll(timeoutMilliseconds: timeout)
            } catch {
                // A signal is the application's to act on: it ends us with $TERM
                if error.isInterrupted { continue }
                throw error
            }
            if poller.isReadable(0) {
                if try !handleCommand() { break }
            } else if let server, poller.count > 1, poller.isReadable(1) {
                try handleServer(server, state == .syncing ? server.snapshot : server.subscriber)
            } else if let server, clockMilliseconds() >= server.expiry {
                logLine("I: server at \(server.name) didn't give HUGZ")
                current = (current + 1) % servers.count
                state = .initial
            }
        }
    }
}
