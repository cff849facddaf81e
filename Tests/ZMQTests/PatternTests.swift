import Foundation
import Testing
import ZMQ

/// Endpoints for one round trip: inproc, ipc in a temporary folder, and tcp
/// on a port the kernel picks (read back through the last endpoint option).
enum Transport: String, CaseIterable, Sendable {
    case inproc, ipc, tcp

    func bindEndpoint(_ tag: String) -> String {
        switch self {
        case .inproc: "inproc://\(tag)-\(UUID().uuidString)"
        case .ipc: "ipc://\(FileManager.default.temporaryDirectory.path)/zmqtest-\(tag)-\(UUID().uuidString.prefix(8)).ipc"
        case .tcp: "tcp://127.0.0.1:*"
        }
    }
}

/// Binds `server` and connects `client` to it over `transport`.
func link(_ server: Socket, _ client: Socket, over transport: Transport, tag: String = #function) throws {
    try server.bind(transport.bindEndpoint(tag.filter(\.isLetter)))
    try client.connect(try server.get(.lastEndpoint))
}

@Suite("Socket patterns")
struct PatternTests {
    let context: Context
    init() throws {
        context = try Context()
    }

    @Test("REQ and REP round-trip", arguments: Transport.allCases)
    func requestReply(_ transport: Transport) throws {
        let rep = try context.socket(.rep), req = try context.socket(.req)
        try link(rep, req, over: transport)
        try req.send("Hello")
        #expect(try rep.receiveString() == "Hello")
        try rep.send("World")
        #expect(try req.receiveString() == "World")
    }

    @Test("PUSH and PULL carry messages in order", arguments: Transport.allCases)
    func pipeline(_ transport: Transport) throws {
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try link(pull, push, over: transport)
        for n in 0..<100 { try push.send(String(n)) }
        for n in 0..<100 { #expect(try pull.receiveString() == String(n)) }
    }

    @Test("PUB and SUB filter by prefix", arguments: Transport.allCases)
    func publishSubscribe(_ transport: Transport) throws {
        let pub = try context.socket(.pub), sub = try context.socket(.sub)
        try sub.subscribe("B")
        try sub.set(.receiveTimeout, to: 50)
        try link(pub, sub, over: transport)
        // A subscription takes a moment to reach the publisher: publish until one arrives.
        var received: String?
        for _ in 0..<100 where received == nil {
            try pub.send("A dropped")
            try pub.send("B kept")
            received = try? sub.receiveString()
        }
        #expect(received == "B kept")
    }

    @Test("DEALER and ROUTER: the router sees the dealer's identity and routes back", arguments: Transport.allCases)
    func dealerRouter(_ transport: Transport) throws {
        let router = try context.socket(.router), dealer = try context.socket(.dealer)
        try dealer.set(.routingID, to: Array("D1".utf8))
        try link(router, dealer, over: transport)
        try dealer.send(multipart: [[], Array("ping".utf8)])
        let frames = try router.receiveMultipart()
        #expect(frames == [Array("D1".utf8), [], Array("ping".utf8)])
        try router.send(multipart: [Array("D1".utf8), [], Array("pong".utf8)])
        #expect(try dealer.receiveMultipart() == [[], Array("pong".utf8)])
    }

    @Test("PAIR sockets talk both ways", arguments: Transport.allCases)
    func pair(_ transport: Transport) throws {
        let a = try context.socket(.pair), b = try context.socket(.pair)
        try link(a, b, over: transport)
        try b.send("to a")
        #expect(try a.receiveString() == "to a")
        try a.send("to b")
        #expect(try b.receiveString() == "to b")
    }

    @Test("multipart messages keep empty and binary frames intact")
    func multipartIntegrity() throws {
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try link(pull, push, over: .inproc)
        let frames: [[UInt8]] = [[], [0], Array(0...255), [], Array(repeating: 0xFF, count: 100_000), []]
        try push.send(multipart: frames)
        #expect(try pull.receiveMultipart() == frames)
        #expect(!pull.hasMore)
    }

    @Test("a reused Message receives frame after frame, with the more flag")
    func messageReuse() throws {
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try link(pull, push, over: .inproc)
        try push.send("one", flags: .more)
        try push.send("two")
        let message = Message()
        try pull.receive(into: message)
        #expect(message.string == "one" && message.hasMore)
        try pull.receive(into: message)
        #expect(message.string == "two" && !message.hasMore)
    }

    @Test("zmq_recv into a short buffer truncates and reports the full size")
    func truncatingReceive() throws {
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try link(pull, push, over: .inproc)
        try push.send("Hello, World")
        var buffer = [UInt8](repeating: 0, count: 5)
        let size = try buffer.withUnsafeMutableBytes { try pull.receive(into: $0) }
        #expect(size == 12)
        #expect(buffer == Array("Hello".utf8))
    }

    @Test("a zero-copy message is sent and its buffer released once")
    func zeroCopy() throws {
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try link(pull, push, over: .tcp)
        let released = ReleaseCounter()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
        buffer.initializeMemory(as: UInt8.self, repeating: 7)
        try push.send(Message(noCopy: buffer) { buffer in
            released.add()
            buffer.deallocate()
        })
        let message = try pull.receiveMessage()
        #expect(message.size == 65536)
        #expect(message.bytes.allSatisfy { $0 == 7 })
        push.close()
        // libzmq releases the buffer once the I/O thread has written it out.
        for _ in 0..<200 where released.count == 0 { usleep(5000) }
        #expect(released.count == 1)
    }
}

/// Counts releases from libzmq's I/O thread.
final class ReleaseCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
