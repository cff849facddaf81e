import Majordomo
import Testing
import ZHelpers

/// The MDP/0.1 frames each message is built from, and the checks the
/// broker, worker and client apply to what they receive.
@Suite("MDP frames")
struct MDPTests {
    private func bytes(_ text: String) -> Frame { Array(text.utf8) }

    @Test("The protocol's constants are the guide's")
    func constants() {
        #expect(MDP.clientHeader == bytes("MDPC01"))
        #expect(MDP.workerHeader == bytes("MDPW01"))
        #expect(MDP.Command.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect(MDP.Command.allCases.map(\.name) == ["READY", "REQUEST", "REPLY", "HEARTBEAT", "DISCONNECT"])
        #expect(MDP.heartbeatLiveness == 3)
        #expect(MDP.heartbeatInterval == 2500)
        #expect(MDP.heartbeatExpiry == 7500)
        #expect(MDP.reconnectDelay == 2500)
        #expect(MDP.clientTimeout == 2500)
        #expect(MDP.clientRetries == 3)
    }

    @Test("Each message shape, frame by frame")
    func building() {
        let body = ZMsg(strings: ["a", "b"])
        #expect(MDP.clientRequest(service: "echo", body: body).frames
                == [bytes("MDPC01"), bytes("echo"), bytes("a"), bytes("b")])
        #expect(MDP.workerMessage(.ready, option: bytes("echo")).frames
                == [[], bytes("MDPW01"), [1], bytes("echo")])
        #expect(MDP.workerMessage(.heartbeat).frames == [[], bytes("MDPW01"), [4]])
        #expect(MDP.workerMessage(.disconnect).frames == [[], bytes("MDPW01"), [5]])
        var reply = body
        reply.wrap(bytes("CLIENT"))
        #expect(MDP.workerMessage(.reply, body: reply).frames
                == [[], bytes("MDPW01"), [3], bytes("CLIENT"), [], bytes("a"), bytes("b")])
        #expect(MDP.brokerToWorker(bytes("W1"), .request, body: reply).frames
                == [bytes("W1"), [], bytes("MDPW01"), [2], bytes("CLIENT"), [], bytes("a"), bytes("b")])
        #expect(MDP.brokerToClient(bytes("C1"), service: bytes("echo"), body: body).frames
                == [bytes("C1"), [], bytes("MDPC01"), bytes("echo"), bytes("a"), bytes("b")])
    }

    @Test("The broker reads a client request and each worker command")
    func brokerInput() throws {
        let request = ZMsg([bytes("C1"), [], bytes("MDPC01"), bytes("echo"), bytes("hi")])
        #expect(try MDP.BrokerInput(request) == .client(sender: bytes("C1"), service: bytes("echo"), body: ZMsg(strings: ["hi"])))
        var ready = MDP.workerMessage(.ready, option: bytes("echo"))
        ready.push(bytes("W1"))
        #expect(try MDP.BrokerInput(ready) == .worker(sender: bytes("W1"), command: .ready, rest: ZMsg(strings: ["echo"])))
        var beat = MDP.workerMessage(.heartbeat)
        beat.push(bytes("W1"))
        #expect(try MDP.BrokerInput(beat) == .worker(sender: bytes("W1"), command: .heartbeat, rest: ZMsg()))
    }

    @Test("The broker refuses malformed messages with a reason",
          arguments: [
              [],                                                     // nothing at all
              [Array("C1".utf8)],                                     // identity only
              [Array("C1".utf8), Array("MDPC01".utf8), Array("echo".utf8), Array("x".utf8)],  // no delimiter
              [Array("C1".utf8), []],                                 // no header
              [Array("C1".utf8), [], Array("MDPX01".utf8), Array("echo".utf8), Array("x".utf8)],  // wrong header
              [Array("C1".utf8), [], Array("MDPC01".utf8)],           // no service
              [Array("C1".utf8), [], Array("MDPC01".utf8), Array("echo".utf8)],  // no body
              [Array("W1".utf8), [], Array("MDPW01".utf8)],           // no command
              [Array("W1".utf8), [], Array("MDPW01".utf8), [9]],      // unknown command
              [Array("W1".utf8), [], Array("MDPW01".utf8), [1, 1]],   // command of two bytes
              [Array("W1".utf8), [], Array("MDPW01".utf8), [1]],      // READY without service
              [Array("W1".utf8), [], Array("MDPW01".utf8), [2], Array("x".utf8)],  // REQUEST from a worker
              [Array("W1".utf8), [], Array("MDPW01".utf8), [3], Array("x".utf8)],  // REPLY without envelope
          ] as [[Frame]])
    func brokerRefuses(frames: [Frame]) {
        #expect(throws: MDP.Violation.self) { try MDP.BrokerInput(ZMsg(frames)) }
    }

    @Test("A 10 MB header frame is refused")
    func hugeHeader() {
        let frames: [Frame] = [Array("W1".utf8), [], [UInt8](repeating: 77, count: 10_000_000)]
        #expect(throws: MDP.Violation("invalid header")) { try MDP.BrokerInput(ZMsg(frames)) }
    }

    @Test("The worker reads REQUEST, HEARTBEAT and DISCONNECT and refuses the rest")
    func workerInput() throws {
        let request = ZMsg([[], bytes("MDPW01"), [2], bytes("C1"), [], bytes("hi")])
        #expect(try MDP.WorkerInput(request) == .request(replyTo: bytes("C1"), body: ZMsg(strings: ["hi"])))
        #expect(try MDP.WorkerInput(ZMsg([[], bytes("MDPW01"), [4]])) == .heartbeat)
        #expect(try MDP.WorkerInput(ZMsg([[], bytes("MDPW01"), [5]])) == .disconnect)
        for bad: [Frame] in [[[], bytes("MDPW01")], [[], bytes("MDPC01"), [4]], [bytes("x"), bytes("MDPW01"), [4]],
                             [[], bytes("MDPW01"), [1]], [[], bytes("MDPW01"), [7]], [[], bytes("MDPW01"), [2]]] {
            #expect(throws: MDP.Violation.self) { try MDP.WorkerInput(ZMsg(bad)) }
        }
    }

    @Test("The client takes the body of a reply from the service it asked")
    func clientReply() throws {
        let reply = ZMsg([bytes("MDPC01"), bytes("echo"), bytes("hi")])
        #expect(try MDP.clientReply(reply, service: "echo") == ZMsg(strings: ["hi"]))
        #expect(throws: MDP.Violation.self) { try MDP.clientReply(reply, service: "other") }
        #expect(throws: MDP.Violation.self) { try MDP.clientReply(ZMsg([bytes("MDPW01"), bytes("echo"), bytes("hi")])) }
        #expect(throws: MDP.Violation.self) { try MDP.clientReply(ZMsg([bytes("MDPC01"), bytes("echo")])) }
    }

    @Test("mmi.* names are the broker's own")
    func managementNames() {
        #expect(MDP.isManagementService(bytes("mmi.service")))
        #expect(MDP.isManagementService(bytes("mmi.")))
        #expect(!MDP.isManagementService(bytes("mmi")))
        #expect(!MDP.isManagementService(bytes("echo")))
    }
}
