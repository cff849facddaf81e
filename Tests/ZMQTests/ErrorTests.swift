#if canImport(Glibc)
import Glibc
#endif
import Testing
import ZMQ

@Suite("Bad use gives a clear error")
struct ErrorTests {
    @Test("an endpoint that cannot be parsed is named in the error")
    func invalidEndpoint() throws {
        let context = try Context()
        let socket = try context.socket(.req)
        let error = #expect(throws: ZMQError.self) { try socket.connect("tcp://no-port-here") }
        #expect(error?.description.contains("connect tcp://no-port-here") == true)
        #expect(throws: ZMQError.self) { try socket.bind("bogus://x") }
    }

    @Test("an endpoint already in use fails with EADDRINUSE, naming it")
    func addressInUse() throws {
        let context = try Context()
        let first = try context.socket(.rep), second = try context.socket(.rep)
        try first.bind("tcp://127.0.0.1:*")
        let endpoint = try first.get(.lastEndpoint)
        let error = #expect(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error?.code == EADDRINUSE)
        #expect(error?.description == "bind \(endpoint): Address already in use")
    }

    @Test("an unknown option or a bad value is refused")
    func badOption() throws {
        let context = try Context()
        let socket = try context.socket(.dealer)
        #expect(throws: ZMQError(code: EINVAL)) { try socket.set(SocketOption<Int32>(code: 9999, name: "bogus"), to: 1) }
        #expect(throws: ZMQError(code: EINVAL)) { try socket.set(.sendHighWaterMark, to: -5) }
    }

    @Test("a call on a closed socket throws ENOTSOCK instead of crashing")
    func closedSocket() throws {
        let context = try Context()
        let socket = try context.socket(.push)
        socket.close()
        #expect(socket.isClosed)
        let error = #expect(throws: ZMQError.self) { try socket.send("x") }
        #expect(error?.code == ENOTSOCK)
        #expect(throws: ZMQError.self) { try socket.bind("inproc://x") }
        #expect(throws: ZMQError.self) { _ = try socket.receiveString() }
        socket.close()   // closing twice is harmless
    }

    @Test("a REQ socket refuses to send twice without a reply (EFSM)")
    func stateMachine() throws {
        let context = try Context()
        let req = try context.socket(.req)
        try req.connect("inproc://nobody-\(Int.random(in: 0..<1_000_000))")
        try req.send("first", flags: .dontWait)
        #expect(throws: ZMQError.wrongState) { try req.send("second", flags: .dontWait) }
    }

    @Test("a receive timeout and a non-blocking receive report EAGAIN")
    func again() throws {
        let context = try Context()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://empty-\(Int.random(in: 0..<1_000_000))")
        #expect(throws: ZMQError.again) { try pull.receiveMessage(flags: .dontWait) }
        try pull.set(.receiveTimeout, to: 10)
        let error = #expect(throws: ZMQError.self) { try pull.receiveMessage() }
        #expect(error?.isAgain == true)
    }

    @Test("a shut-down context makes a blocked receive fail with ETERM")
    func terminated() throws {
        let context = try Context()
        let pull = try context.socket(.pull)
        context.shutdown()
        let error = #expect(throws: ZMQError.self) { try pull.receiveMessage() }
        #expect(error?.isTerminated == true)
        #expect(error?.isStop == true)
    }
}
