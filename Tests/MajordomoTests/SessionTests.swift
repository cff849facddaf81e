import Majordomo
import Testing
import ZHelpers
import ZMQ

/// The client and worker sessions against a scripted broker on inproc,
/// with short timings: retries, abandon, heartbeats and reconnection.
@Suite("Majordomo sessions")
struct SessionTests {
    /// A ROUTER standing in for a silent broker, bound on a fresh inproc endpoint.
    private func fakeBroker(_ context: Context) throws -> (Socket, String) {
        let endpoint = "inproc://broker-\(randomIdentity())"
        let router = try context.socket(.router)
        try router.set(.linger, to: 0)
        try router.bind(endpoint)
        return (router, endpoint)
    }

    /// The next message on `socket` within `milliseconds`, or nil.
    private func receive(_ socket: Socket, within milliseconds: Int = 5000) throws -> ZMsg? {
        var poller = Poller()
        poller.add(socket)
        guard try poller.poll(timeoutMilliseconds: milliseconds) > 0 else { return nil }
        return try ZMsg.receive(from: socket)
    }

    @Test("The synchronous client sends its request `retries` times on fresh sockets, then abandons")
    func clientRetriesThenAbandons() throws {
        let context = try Context()
        let (router, endpoint) = try fakeBroker(context)
        let client = try MajordomoClient(broker: endpoint, context: context)
        client.timeout = 100
        client.retries = 3
        #expect(try client.send(service: "echo", request: ZMsg(strings: ["hi"])) == nil)
        var senders: Set<Frame> = []
        while let message = try receive(router, within: 200) {
            #expect(Array(message.frames.dropFirst()) == [[], Array("MDPC01".utf8), Array("echo".utf8), Array("hi".utf8)])
            senders.insert(message.first ?? [])
        }
        #expect(senders.count == 3)   // one socket per attempt
    }

    @Test("The synchronous and asynchronous clients return the body of the reply")
    func clientsGetReplies() throws {
        let context = try Context()
        let endpoint = "inproc://broker-\(randomIdentity())"
        let echo = startThread {
            // Answer two requests as a broker would
            guard let router = try? context.socket(.router), (try? router.bind(endpoint)) != nil else { return }
            for _ in 0..<2 {
                guard var request = try? ZMsg.receive(from: router) else { return }
                let client = request.unwrap() ?? []
                _ = request.pop()   // MDPC01
                let service = request.pop() ?? []
                try? MDP.brokerToClient(client, service: service, body: request).send(to: router)
            }
            router.close()
        }
        let client = try MajordomoClient(broker: endpoint, context: context)
        #expect(try client.send(service: "echo", request: ZMsg(strings: ["one"])) == ZMsg(strings: ["one"]))
        let async = try MajordomoAsyncClient(broker: endpoint, context: context)
        try async.send(service: "echo", request: ZMsg(strings: ["two", "parts"]))
        #expect(try async.receive() == ZMsg(strings: ["two", "parts"]))
        echo.join()
        async.timeout = 50
        #expect(try async.receive() == nil)
    }

    /// What the scripted broker saw, for the test to check once it is done.
    final class Transcript: @unchecked Sendable {
        var messages: [ZMsg] = []
        var heartbeats = 0
    }

    @Test("The worker says READY, answers a request, heartbeats, and reconnects when the broker falls silent or says DISCONNECT")
    func workerLifecycle() throws {
        let context = try Context()
        let endpoint = "inproc://broker-\(randomIdentity())"
        let transcript = Transcript()
        let broker = startThread {
            guard let router = try? context.socket(.router), (try? router.bind(endpoint)) != nil else { return }
            defer { router.close() }
            func next(within milliseconds: Int = 5000) -> ZMsg? {
                var poller = Poller()
                poller.add(router)
                guard (try? poller.poll(timeoutMilliseconds: milliseconds)) ?? 0 > 0 else { return nil }
                return try? ZMsg.receive(from: router)
            }
            func command(_ message: ZMsg) -> Frame { message.count > 3 ? message.frames[3] : [] }
            // READY, then one request and its reply
            guard let ready = next() else { return }
            transcript.messages.append(ready)
            try? MDP.brokerToWorker(ready.first ?? [], .request,
                                    body: ZMsg([Array("C1".utf8), [], Array("hi".utf8)])).send(to: router)
            guard let reply = next() else { return }
            transcript.messages.append(reply)
            // Silence: heartbeats come, then READY again from a new socket
            while let message = next(within: 3000) {
                if command(message) == [4] { transcript.heartbeats += 1 }
                if command(message) == [1] { transcript.messages.append(message); break }
            }
            // DISCONNECT: the worker registers once more
            guard let second = transcript.messages.last?.first else { return }
            try? MDP.brokerToWorker(second, .disconnect).send(to: router)
            while let message = next() {
                if command(message) == [1] { transcript.messages.append(message); break }
            }
            // A last request lets the worker's receive return
            guard let third = transcript.messages.last?.first else { return }
            try? MDP.brokerToWorker(third, .request, body: ZMsg([Array("C1".utf8), [], Array("bye".utf8)])).send(to: router)
        }
        let worker = try MajordomoWorker(broker: endpoint, service: "echo", context: context)
        worker.heartbeat = 100
        worker.reconnect = 100
        let first = try worker.receive(reply: nil)
        #expect(first == ZMsg(strings: ["hi"]))
        let last = try worker.receive(reply: first)
        #expect(last == ZMsg(strings: ["bye"]))
        broker.join()

        let ready: Frame = [1]
        let messages = transcript.messages
        try #require(messages.count == 4)
        #expect(Array(messages[0].frames.dropFirst()) == [[], Array("MDPW01".utf8), ready, Array("echo".utf8)])
        #expect(Array(messages[1].frames.dropFirst()) == [[], Array("MDPW01".utf8), [3], Array("C1".utf8), [], Array("hi".utf8)])
        #expect(transcript.heartbeats >= 1)
        // Each READY after the first comes from a new socket
        #expect(Array(messages[2].frames.dropFirst()) == [[], Array("MDPW01".utf8), ready, Array("echo".utf8)])
        #expect(Array(messages[3].frames.dropFirst()) == [[], Array("MDPW01".utf8), ready, Array("echo".utf8)])
        #expect(Set(messages.map { $0.first ?? [] }).count == 3)
    }
}
