// Clone client, model six: the clone class does the work. It connects to
// a Binary Star pair of Clone servers (tcp://localhost:5556 and :5566),
// works on the subtree "/client/", and once a second sets a random key to
// a random value that lives a random number of seconds below 30. When the
// server it uses falls silent, the class fails over to the other one.
import ArgumentParser
import Clone
import KVMsg
import ZHelpers

@main
struct CloneCli6: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonecli6",
        abstract: "Clone client, model six: the clone class on a Binary Star pair (5556, 5566), one random update a second.")

    static let subtree = "/client/"

    @Option(help: "Stop sending after this many updates, but keep receiving (default: never stop, as the C).")
    var updates: Int?

    @Option(help: "Each update's TTL is a random number of seconds below this (0: for ever).")
    var maxTTL = 30

    @Flag(help: "On exit, print a digest of the map (\"I: map size=N digest=X\") to compare with the server's.")
    var digest = false

    func run() throws {
        catchSignals()
        let clone = try CloneClient()
        try clone.subtree(Self.subtree)
        try clone.connect(address: "tcp://localhost", service: 5556)
        try clone.connect(address: "tcp://localhost", service: 5566)

        // Our updates go out on PUB sockets: give them a second to connect
        // to the servers' collectors, or the first would be lost
        var sent = 0
        while !isInterrupted {
            sleep(milliseconds: 1000)
            if !isInterrupted && sent < updates ?? .max {
                try clone.set(key: Self.subtree + String(randof(10000)),
                              value: String(randof(1_000_000)), ttl: randof(max(1, maxTTL)))
                sent += 1
            }
        }
        if digest { print(mapDigestLine(try clone.map())) }
    }
}
