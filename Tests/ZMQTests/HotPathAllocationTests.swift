import AllocationCounter
import CLibZMQ
import Testing
import ZMQ

/// Pins the binding's hot path: in steady state, sending and receiving
/// allocate nothing per message beyond what libzmq itself allocates, so that
/// a later change cannot slip an allocation in unseen (a `receiveString`-style
/// copy inside `receive(into:)`, a Message object per send, a boxed closure...).
///
/// Allocations are counted on the test's own thread only (see
/// Tests/AllocationCounter): the binding's calls run there, libzmq's I/O
/// threads and the other tests running at the same time do not count.
@Suite("Hot path allocations", .enabled(if: AllocationCount.works, "needs glibc's malloc to be interposable"))
struct HotPathAllocationTests {
    /// Messages per measurement; any allocation per message shows as at least this many.
    static let count = 10_000
    /// What may remain from libzmq's own bookkeeping (its queues grow in
    /// chunks of a few hundred messages): far below one per message.
    static let slack = count / 100

    @Test("the counter sees an allocation per message when there is one")
    func counterSeesAllocations() throws {
        let pair = try InprocPair()
        let allocations = try AllocationCount.during {
            for _ in 0..<Self.count {
                try pair.sender.send("short")
                _ = try pair.receiver.receiveBytes()   // a new array per message
            }
        }
        #expect(allocations >= Self.count)
    }

    @Test("receive(into:) a reused Message and send(Message) refilled by rebuild(size:): none")
    func messagePath() throws {
        let pair = try InprocPair()
        let outgoing = Message(), incoming = Message()
        var wrongSizes = 0
        let allocations = try AllocationCount.steadyState { n in
            for _ in 0..<n {
                try outgoing.rebuild(size: 16)
                try pair.sender.send(outgoing)
                try pair.receiver.receive(into: incoming)
                if incoming.size != 16 { wrongSizes += 1 }
            }
        }
        #expect(allocations <= Self.slack)
        #expect(wrongSizes == 0)
    }

    @Test("send from a buffer, bytes or a String and receive into a buffer: none")
    func bytePath() throws {
        let pair = try InprocPair()
        let bytes: [UInt8] = Array(repeating: 7, count: 16)
        let text = "sixteen bytes.."
        var buffer = [UInt8](repeating: 0, count: 64)
        let allocations = try buffer.withUnsafeMutableBytes { space in
            try AllocationCount.steadyState { n in
                for _ in 0..<n {
                    try pair.sender.send(bytes)
                    _ = try pair.receiver.receive(into: space)
                    try bytes.withUnsafeBytes { raw in try pair.sender.send(raw) }
                    _ = try pair.receiver.receive(into: space)
                    try pair.sender.send(text)
                    _ = try pair.receiver.receive(into: space)
                }
            }
        }
        #expect(allocations <= Self.slack)
    }

    @Test("receiveString of short frames and withReceivedBytes: none")
    func shortStrings() throws {
        let pair = try InprocPair()
        var total = 0
        let allocations = try AllocationCount.steadyState { n in
            for _ in 0..<n {
                try pair.sender.send("Hello")
                let text = try pair.receiver.receiveString()   // fits in the String itself
                total += text.utf8.count
                try pair.sender.send("World")
                total += try pair.receiver.withReceivedBytes { $0.count }
            }
        }
        #expect(allocations <= Self.slack)
        #expect(total > 0)
    }

    @Test("1 KiB frames: the binding allocates no more than libzmq's own calls do")
    func largeFramesMatchLibzmq() throws {
        let pair = try InprocPair()
        let outgoing = Message(), incoming = Message()
        let binding = try AllocationCount.steadyState { n in
            for _ in 0..<n {
                try outgoing.rebuild(size: 1024)
                try pair.sender.send(outgoing)
                try pair.receiver.receive(into: incoming)
            }
        }
        // The same loop straight over libzmq's C API.
        let sender = try pair.sender.rawHandle(), receiver = try pair.receiver.rawHandle()
        let raw = AllocationCount.steadyState { n in
            var message = zmq_msg_t(), received = zmq_msg_t()
            zmq_msg_init(&received)
            for _ in 0..<n {
                zmq_msg_init_size(&message, 1024)
                zmq_msg_send(&message, sender, 0)
                zmq_msg_close(&message)
                zmq_msg_recv(&received, receiver, 0)
            }
            zmq_msg_close(&received)
        }
        #expect(raw >= Self.count)   // libzmq allocates each 1 KiB body itself
        #expect(binding <= raw + Self.slack)
    }

    @Test("over tcp, the application thread's send and receive allocate nothing")
    func tcpPath() throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.set(.linger, to: 0)
        try receiver.bind("tcp://127.0.0.1:*")
        let endpoint = try receiver.get(.lastEndpoint)
        let sender = try context.socket(.push)
        try sender.set(.linger, to: 0)
        try sender.connect(endpoint)
        let outgoing = Message(), incoming = Message()
        let allocations = try AllocationCount.steadyState(count: 2000) { n in
            for _ in 0..<n {
                try outgoing.rebuild(size: 16)
                try sender.send(outgoing)
                try receiver.receive(into: incoming)
            }
        }
        #expect(allocations <= 2000 / 100)
    }
}

/// A PUSH/PULL pair over inproc on the calling thread: a send is queued at
/// once, so one thread can alternate send and receive.
struct InprocPair {
    let context: Context
    let sender: Socket
    let receiver: Socket

    init() throws(ZMQError) {
        context = try Context()
        receiver = try context.socket(.pull)
        let name = "inproc://hot-path-\(UInt64.random(in: 0...UInt64.max))"
        try receiver.bind(name)
        sender = try context.socket(.push)
        try sender.connect(name)
        try sender.set(.linger, to: 0)
    }
}

enum AllocationCount {
    /// Counts the calling thread's allocations while `body` runs.
    static func during(_ body: () throws -> Void) rethrows -> Int {
        allocation_counter_start()
        defer { _ = allocation_counter_stop() }
        try body()
        return allocation_counter_stop()
    }

    /// Runs `body(count)` once to warm up (queues, caches, lazy set-up), then
    /// again while counting, and returns the count of the second run.
    static func steadyState(
        count: Int = HotPathAllocationTests.count, _ body: (Int) throws -> Void
    ) rethrows -> Int {
        try body(min(count, 1000))
        return try during { try body(count) }
    }

    /// Whether counting works here: glibc, and an allocation made inside the
    /// Swift runtime (another library than the counter) is seen.
    static let works: Bool = {
        guard allocation_counter_supported() != 0 else { return false }
        let seen = during { _ = Box(value: Int.random(in: 0...9)) }
        return seen >= 1
    }()

    private final class Box {
        let value: Int
        init(value: Int) { self.value = value }
    }
}
