// Clone server, model six: a Binary Star pair of Clone servers. The primary
// (-p) serves snapshots on tcp://*:5556, publishes on 5557 and collects on
// 5558 (SUB: clients publish their updates to both servers); the backup
// (-b) uses 5566, 5567 and 5568. The two exchange their Binary Star state
// on 5003 and 5004. The passive server follows the active one's updates, so
// both hold the state, and keeps the clients' updates it has not yet seen
// published as pending, to publish them itself if it takes over. Both send
// HUGZ once a second so that clients know they are alive.
import ArgumentParser
import BinaryStar
import KVMsg
import ZHelpers
import ZMQ

@main
struct CloneSrv6: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesrv6",
        abstract: "Clone server, model six: a Binary Star pair, primary (-p) on 5556-5558 and backup (-b) on 5566-5568.")

    @Flag(name: .customShort("p"), help: "Run as the primary server.")
    var primary = false

    @Flag(name: .customShort("b"), help: "Run as the backup server.")
    var backup = false

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with a client's.")
    var digest = false

    func validate() throws {
        guard primary != backup else { throw ValidationError("Give either -p or -b.") }
    }

    /// The server's state, which the reactor's handlers share.
    final class Server {
        let context: Context
        var map: [String: KeyValueMessage]? // nil until a passive server takes its snapshot
        let star: BinaryStar
        var sequence: Int64 = 0             // how many updates we are at
        let port: Int                       // our snapshot port
        let peer: Int                       // our peer's
        let publisher: Socket               // updates and HUGZ
        let collector: Socket               // clients' updates
        let subscriber: Socket              // the peer's updates
        var pending: [KeyValueMessage] = [] // clients' updates the active server has not published yet
        var isActive = false

        init(context: Context, primary: Bool) throws {
            self.context = context
            if primary {
                logLine("I: primary active, waiting for backup (passive)")
                star = try BinaryStar(context: context, primary: true,
                                      local: "tcp://*:5003", remote: "tcp://localhost:5004")
                (port, peer) = (5556, 5566)
                map = [:]
            } else {
                logLine("I: backup passive, waiting for primary (active)")
                star = try BinaryStar(context: context, primary: false,
                                      local: "tcp://*:5004", remote: "tcp://localhost:5003")
                (port, peer) = (5566, 5556)
            }
            star.isVerbose = true
            publisher = try context.socket(.pub)
            try publisher.limitSubscriptions()
            try publisher.set(.linger, to: 0)
            try publisher.bind("tcp://*:\(port + 1)")
            collector = try context.socket(.sub)
            try collector.set(.linger, to: 0)
            try collector.subscribe("")
            try collector.bind("tcp://*:\(port + 2)")
            subscriber = try context.socket(.sub)
            try subscriber.set(.linger, to: 0)
            try subscriber.subscribe("")
            try subscriber.connect("tcp://localhost:\(peer + 1)")
        }

        /// A snapshot request, [identity, "ICANHAZ?", subtree] (only while
        /// active: Binary Star drops it otherwise).
        func handleSnapshot(_ socket: Socket) throws {
            let request = try socket.receiveMultipart()
            guard request.count == 3, request[1] == Array("ICANHAZ?".utf8) else {
                printError("E: bad request, dropped")
                return
            }
            let identity = request[0]
            let subtree = String(decoding: request[2], as: UTF8.self)
            for message in (map ?? [:]).values where message.isInSubtree(subtree) {
                try socket.sendMore(identity)
                try message.send(to: socket)
            }
            logLine("I: sending shapshot=\(sequence)")
            try socket.sendMore(identity)
            try KeyValueMessage(key: "KTHXBAI", sequence: sequence, body: subtree).send(to: socket)
        }

        /// Removes `message` from the pending list, if it is there (same UUID).
        func wasPending(_ message: KeyValueMessage) -> Bool {
            guard !message.uuid.isEmpty, let index = pending.firstIndex(where: { $0.uuid == message.uuid }) else {
                return false
            }
            pending.remove(at: index)
            return true
        }

        /// Stores an update, its relative TTL made absolute.
        func store(_ message: KeyValueMessage) {
            var message = message
            message.makeTTLAbsolute(now: clockMilliseconds())
            var current = map ?? [:]
            map = nil   // so that the store does not copy the map
            message.store(in: &current)
            map = current
        }

        /// A client's update: the active server numbers, publishes and
        /// stores it; the passive one holds it until the active one publishes it.
        func handleCollector(_ reactor: Reactor) throws {
            switch try KeyValueMessage.receive(from: collector) {
            case .success(var message):
                if isActive {
                    sequence += 1
                    message.sequence = sequence
                    try message.send(to: publisher)
                    store(message)
                    logLine("I: publishing update=\(sequence)")
                } else if !wasPending(message) {
                    pending.append(message)
                }
            case .failure(let error):
                printError("E: malformed update dropped: \(error)")
            }
        }

        /// Once a second, while active: expired values are deleted, and the
        /// deletes published (the passive server gets them from us).
        func flushTTL(_ reactor: Reactor) throws {
            guard isActive, let map else { return }
            let now = clockMilliseconds()
            for key in map.keys.sorted() {
                guard var message = map[key], message.hasExpired(now: now) else { continue }
                sequence += 1
                message.sequence = sequence
                message.body = []
                try message.send(to: publisher)
                store(message)
                logLine("I: publishing delete=\(sequence)")
            }
        }

        /// Once a second: HUGZ with our sequence number, so clients know we are alive.
        func sendHugz(_ reactor: Reactor) throws {
            try KeyValueMessage(key: "HUGZ", sequence: sequence).send(to: publisher)
        }

        /// Becoming active: stop following the peer, publish what is pending.
        func becomeActive(_ reactor: Reactor) throws {
            isActive = true
            reactor.removeReader(subscriber)
            if map == nil { map = [:] }
            while !pending.isEmpty {
                var message = pending.removeFirst()
                sequence += 1
                message.sequence = sequence
                try message.send(to: publisher)
                store(message)
                logLine("I: publishing pending=\(sequence)")
            }
        }

        /// Becoming passive: forget the state and follow the peer's, from a
        /// fresh snapshot taken when its first update arrives.
        func becomePassive(_ reactor: Reactor) throws {
            map = nil
            isActive = false
            reactor.addReader(subscriber) { [unowned self] in try handleSubscriber($0) }
        }

        /// An update from the active peer, applied if newer than ours; a
        /// client's update it publishes is no longer pending.
        func handleSubscriber(_ reactor: Reactor) throws {
            if map == nil { try takeSnapshot() }
            switch try KeyValueMessage.receive(from: subscriber) {
            case .success(let message) where message.key != "HUGZ":
                // A client's update we may not have had from the client yet;
                // the peer's own deletes of expired values are not clients'
                let isExpiry = message.body.isEmpty && message.ttl != 0
                if !message.uuid.isEmpty && !isExpiry && !wasPending(message) { pending.append(message) }
                if message.sequence > sequence, message.sequence <= largestSequence {
                    sequence = message.sequence
                    store(message)
                    logLine("I: received update=\(sequence)")
                }
            case .success:
                break
            case .failure(let error):
                printError("E: malformed update from peer dropped: \(error)")
            }
        }

        /// The whole state from the peer (subtree ""), waiting at most a few seconds.
        func takeSnapshot() throws {
            let snapshot = try context.socket(.dealer)
            defer { snapshot.close() }
            try snapshot.set(.linger, to: 0)
            try snapshot.connect("tcp://localhost:\(peer)")
            logLine("I: asking for snapshot from: tcp://localhost:\(peer)")
            try snapshot.sendMore("ICANHAZ?")
            try snapshot.send("")
            var received: [String: KeyValueMessage] = [:]
            var poller = Poller()
            poller.add(snapshot)
            while try poller.poll(timeoutMilliseconds: 5000) > 0 {
                switch try KeyValueMessage.receive(from: snapshot) {
                case .success(let message) where message.key == "KTHXBAI":
                    // A sequence we could not count on from is nonsense: start from 0
                    sequence = (0...largestSequence).contains(message.sequence) ? message.sequence : 0
                    map = received
                    logLine("I: received snapshot=\(sequence)")
                    return
                case .success(let message):
                    message.store(in: &received)
                case .failure(let error):
                    printError("E: malformed snapshot entry dropped: \(error)")
                }
            }
            logLine("W: no snapshot from tcp://localhost:\(peer), will ask again")
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let server = try Server(context: context, primary: primary)
        let star = server.star
        // The server owns the Binary Star and so its reactor's handlers:
        // they hold the server unowned, or the cycle would never be freed.
        try star.setVoter(endpoint: "tcp://*:\(server.port)", type: .router) { [unowned server] _, socket in
            try server.handleSnapshot(socket)
        }
        star.onActive { [unowned server] in try server.becomeActive($0) }
        star.onPassive { [unowned server] in try server.becomePassive($0) }
        star.reactor.addReader(server.collector) { [unowned server] in try server.handleCollector($0) }
        _ = star.reactor.addTimer(every: .seconds(1)) { [unowned server] in try server.flushTTL($0) }
        _ = star.reactor.addTimer(every: .seconds(1)) { [unowned server] in try server.sendHugz($0) }
        try star.run()
        if digest { print(mapDigestLine(server.map ?? [:])) }
    }
}
