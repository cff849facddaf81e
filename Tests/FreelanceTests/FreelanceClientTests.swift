import Synchronization
import Testing
import ZHelpers
import ZMQ
@testable import Freelance

/// The Freelance client agent against servers (ROUTER sockets whose
/// identity is their endpoint) on threads of the test, over inproc.
@Suite("Freelance client")
struct FreelanceClientTests {
    /// A server thread: answers each request [client, sequence, body] with
    /// `answer` (which returns the replies to send), and PINGs with PONG.
    /// The thread ends once it has been idle for a second.
    static func server(_ context: Context, _ endpoint: String,
                       _ answer: @escaping @Sendable ([[UInt8]]) -> [[[UInt8]]]) throws -> ThreadHandle {
        startThread {
            do {
                let socket = try context.socket(.router)
                try socket.set(.routingID, to: Array(endpoint.utf8))
                try socket.set(.linger, to: 0)
                try socket.set(.receiveTimeout, to: 1000)
                try socket.bind(endpoint)
                while true {
                    let frames = try socket.receiveMultipart()
                    guard frames.count >= 2 else { continue }
                    if frames[1] == Array("PING".utf8) {
                        try socket.send(multipart: [frames[0], Array("PONG".utf8)])
                        continue
                    }
                    for reply in answer(frames) { try socket.send(multipart: reply) }
                }
            } catch {}
        }
    }

    @Test("a reply goes up only while its request is pending: a duplicate of an answered one is dropped")
    func duplicateReply() throws {
        let context = try Context()
        let server = try Self.server(context, "inproc://fl-dup") { frames in
            // [client, sequence, body]: answer twice, the body upper-cased
            let reply = [frames[0], frames[1], Array(String(decoding: frames[2], as: UTF8.self).uppercased().utf8)]
            return [reply, reply]
        }
        do {
            let client = try FreelanceClient(context: context)
            try client.connect("inproc://fl-dup")
            #expect(try client.request(ZMsg(strings: ["one"])) == ZMsg(strings: ["ONE"]))
            sleep(milliseconds: 200)   // the duplicate arrives while nothing is pending
            #expect(try client.request(ZMsg(strings: ["two"])) == ZMsg(strings: ["TWO"]))
            #expect(try client.request(ZMsg(strings: ["three"])) == ZMsg(strings: ["THREE"]))
        }
        server.join()
    }

    @Test("the agent sends [endpoint, sequence, body] with no empty frame, sequences counting from 1")
    func requestFrames() throws {
        let context = try Context()
        let seen = Mutex<[[[UInt8]]]>([])
        let server = try Self.server(context, "inproc://fl-frames") { frames in
            seen.withLock { $0.append(frames) }
            return [[frames[0], frames[1], Array("OK".utf8)]]
        }
        do {
            let client = try FreelanceClient(context: context)
            try client.connect("inproc://fl-frames")
            for _ in 0..<3 {
                #expect(try client.request(ZMsg(strings: ["random name"])) == ZMsg(strings: ["OK"]))
            }
        }
        server.join()
        // The server sees [client identity, sequence, body]: no empty delimiter
        let bodies = seen.withLock { $0 }.map { Array($0.dropFirst()) }
        #expect(bodies.first == [Array("1".utf8), Array("random name".utf8)])
        #expect(bodies.map { String(decoding: $0[0], as: UTF8.self) }.contains("3"))
    }

    @Test("with no server answering, a request fails after the global timeout")
    func timeout() throws {
        let context = try Context()
        let client = try FreelanceClient(context: context)
        try client.connect("inproc://fl-nobody")
        let start = clockMilliseconds()
        #expect(try client.request(ZMsg(strings: ["hello"])) == nil)
        let waited = clockMilliseconds() - start
        #expect(waited >= FreelanceClient.globalTimeout - 50 && waited < FreelanceClient.globalTimeout + 2000)
    }
}

