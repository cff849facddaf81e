import Clone
import Foundation
import KVMsg
import Testing
import ZHelpers
import ZMQ

/// The clone class against a fake Clone server made of plain sockets in
/// the test: snapshots on a ROUTER, updates from a PUB, the client's own
/// updates into a SUB, on three consecutive loopback ports.
@Suite("clone: the Clone client API and its agent")
struct CloneClientTests {
    /// A fake server bound on ports base, base + 1 and base + 2.
    struct FakeServer {
        let base: Int
        let snapshot: Socket
        let publisher: Socket
        let collector: Socket

        init(context: Context) throws {
            var attempt = 0
            while true {
                let base = Int.random(in: 30000...60000)
                let snapshot = try context.socket(.router)
                let publisher = try context.socket(.pub)
                let collector = try context.socket(.sub)
                for socket in [snapshot, publisher, collector] { try socket.set(.linger, to: 0) }
                try collector.subscribe("")
                do {
                    try snapshot.bind("tcp://127.0.0.1:\(base)")
                    try publisher.bind("tcp://127.0.0.1:\(base + 1)")
                    try collector.bind("tcp://127.0.0.1:\(base + 2)")
                    (self.base, self.snapshot, self.publisher, self.collector) = (base, snapshot, publisher, collector)
                    return
                } catch {
                    attempt += 1
                    if attempt > 20 { throw error }
                }
            }
        }
    }

    /// Asks `condition` again every 50 ms, for at most `seconds`.
    func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            sleep(milliseconds: 50)
        }
        return false
    }

    @Test("set, get and map work on the local map with no server")
    func localMap() throws {
        let clone = try CloneClient()
        try clone.set(key: "/a", value: "1")
        try clone.set(key: "/b", value: "2", ttl: 10)
        try clone.set(key: "/b", value: "3")
        #expect(try clone.get(key: "/a") == "1")
        #expect(try clone.get(key: "/b") == "3")
        #expect(try clone.get(key: "/none") == "")
        #expect(try clone.map() == ["/a": "1", "/b": "3"])
        try clone.set(key: "/a", value: "")   // an empty value deletes
        #expect(try clone.map() == ["/b": "3"])
    }

    @Test("the agent takes a snapshot of its subtree, applies newer updates only, and sends kvmsg updates")
    func withServer() throws {
        let context = try Context()
        let server = try FakeServer(context: context)
        let clone = try CloneClient()
        try clone.subtree("/t/")
        try clone.connect(address: "tcp://127.0.0.1", service: server.base)

        // The snapshot request: [identity, "ICANHAZ?", "/t/"]
        let request = try server.snapshot.receiveMultipart()
        #expect(request.count == 3)
        #expect(Array(request.dropFirst()) == [Array("ICANHAZ?".utf8), Array("/t/".utf8)])
        let identity = request[0]
        try server.snapshot.sendMore(identity)
        try KeyValueMessage(key: "/t/a", sequence: 3, body: "x").send(to: server.snapshot)
        try server.snapshot.sendMore(identity)
        try KeyValueMessage(key: "KTHXBAI", sequence: 5, body: "/t/").send(to: server.snapshot)
        #expect(try eventually { try clone.get(key: "/t/a") == "x" })

        // Updates: an old one is dropped, a newer one applied; HUGZ changes nothing;
        // a malformed one is dropped. Published until the subscription is in.
        #expect(try eventually {
            try KeyValueMessage(key: "HUGZ", sequence: 5).send(to: server.publisher)
            try server.publisher.send(multipart: [Array("/t/bad".utf8), [0, 1]])
            try KeyValueMessage(key: "/t/old", sequence: 4, body: "stale").send(to: server.publisher)
            try KeyValueMessage(key: "/t/b", sequence: 6, body: "y").send(to: server.publisher)
            return try clone.get(key: "/t/b") == "y"
        })
        try KeyValueMessage(key: "/t/a", sequence: 7, body: "").send(to: server.publisher)
        #expect(try eventually { try clone.map() == ["/t/b": "y"] })

        // Our update reaches the collector as a kvmsg with a UUID and its TTL
        var poller = Poller()
        poller.add(server.collector)
        var update: KeyValueMessage?
        for _ in 0..<100 where update == nil {
            try clone.set(key: "/t/mine", value: "42", ttl: 7)
            if try poller.poll(timeoutMilliseconds: 100) > 0,
               case .success(let message) = try KeyValueMessage.receive(from: server.collector) {
                update = message
            }
        }
        #expect(update?.key == "/t/mine")
        #expect(update?.bodyText == "42")
        #expect(update?.uuid.count == 16)
        #expect(update?.property("ttl") == "7")
        #expect(update?.sequence == 0)
    }

    @Test("a silent server is left for the next one, which gives the snapshot")
    func failover() throws {
        let context = try Context()
        let first = try FakeServer(context: context)
        let second = try FakeServer(context: context)
        let clone = try CloneClient()
        try clone.connect(address: "tcp://127.0.0.1", service: first.base)
        try clone.connect(address: "tcp://127.0.0.1", service: second.base)
        // The first server hears the request and never answers; after the
        // server timeout the agent asks the second
        _ = try first.snapshot.receiveMultipart()
        try second.snapshot.set(.receiveTimeout, to: Int32(CloneClient.serverTimeout + 5000))
        let request = try second.snapshot.receiveMultipart()
        #expect(Array(request.dropFirst()) == [Array("ICANHAZ?".utf8), []])
        try second.snapshot.sendMore(request[0])
        try KeyValueMessage(key: "/k", sequence: 9, body: "v").send(to: second.snapshot)
        try second.snapshot.sendMore(request[0])
        try KeyValueMessage(key: "KTHXBAI", sequence: 9).send(to: second.snapshot)
        #expect(try eventually { try clone.get(key: "/k") == "v" })
    }
}
