// Clone server, model five: as model four, on a reactor, with kvmsg's five
// frames and ephemeral values. An update may carry a "ttl" property (seconds
// to live); the server keeps it as an absolute expiry time and, checking
// once a second, deletes each expired value and publishes the delete (an
// empty body) to every client. Snapshots on ROUTER tcp://*:5556, updates on
// PUB tcp://*:5557, clients' updates collected on PULL tcp://*:5558.
import ArgumentParser
import KVMsg
import ZHelpers
import ZMQ

@main
struct CloneSrv5: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonesrv5",
        abstract: "Clone server, model five: subtrees and values that expire, on a reactor (ports 5556-5558).")

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with a client's.")
    var digest = false

    /// The server's state, which the reactor's handlers share.
    final class Server {
        let port = 5556                        // snapshots; publisher +1, collector +2
        var map: [String: KeyValueMessage] = [:]
        var sequence: Int64 = 0                // how many updates we have published
        let snapshot: Socket
        let publisher: Socket
        let collector: Socket

        init(context: Context) throws {
            snapshot = try context.socket(.router)
            try snapshot.set(.linger, to: 0)
            try snapshot.set(.sendHighWaterMark, to: 0)
            try snapshot.bind("tcp://*:\(port)")
            publisher = try context.socket(.pub)
            try publisher.limitSubscriptions()
            try publisher.set(.linger, to: 0)
            try publisher.bind("tcp://*:\(port + 1)")
            collector = try context.socket(.pull)
            try collector.set(.linger, to: 0)
            try collector.bind("tcp://*:\(port + 2)")
        }

        /// A snapshot request, [identity, "ICANHAZ?", subtree]: the keys of
        /// the subtree, then KTHXBAI with our sequence number and the subtree.
        func handleSnapshot(_ reactor: Reactor) throws {
            let request = try snapshot.receiveMultipart()
            guard request.count == 3, request[1] == Array("ICANHAZ?".utf8) else {
                printError("E: bad request, dropped")
                return
            }
            let identity = request[0]
            let subtree = String(decoding: request[2], as: UTF8.self)
            for message in map.values where message.isInSubtree(subtree) {
                try snapshot.sendMore(identity)
                try message.send(to: snapshot)
            }
            logLine("I: sending shapshot=\(sequence)")
            try snapshot.sendMore(identity)
            try KeyValueMessage(key: "KTHXBAI", sequence: sequence, body: subtree).send(to: snapshot)
        }

        /// An update from a client: numbered, published as it came, then
        /// stored with its TTL made absolute.
        func handleCollector(_ reactor: Reactor) throws {
            switch try KeyValueMessage.receive(from: collector) {
            case .success(var message):
                sequence += 1
                message.sequence = sequence
                try message.send(to: publisher)
                message.makeTTLAbsolute(now: clockMilliseconds())
                message.store(in: &map)
                logLine("I: publishing update=\(sequence)")
            case .failure(let error):
                printError("E: malformed update dropped: \(error)")
            }
        }

        /// Once a second: every expired value is deleted, and the delete published.
        func flushTTL(_ reactor: Reactor) throws {
            let now = clockMilliseconds()
            for key in map.keys.sorted() {
                guard var message = map[key], message.hasExpired(now: now) else { continue }
                sequence += 1
                message.sequence = sequence
                message.body = []
                try message.send(to: publisher)
                message.store(in: &map)
                logLine("I: publishing delete=\(sequence)")
            }
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let server = try Server(context: context)
        let reactor = Reactor()
        reactor.addReader(server.snapshot) { try server.handleSnapshot($0) }
        reactor.addReader(server.collector) { try server.handleCollector($0) }
        _ = reactor.addTimer(every: .seconds(1)) { try server.flushTTL($0) }
        try reactor.run()
        if digest { print(mapDigestLine(server.map)) }
    }
}
