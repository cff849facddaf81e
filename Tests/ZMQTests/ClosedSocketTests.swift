import Testing
import ZMQ

/// The inlined send and receive paths hand a closed socket's nil handle to
/// libzmq, which refuses it; the error must still say what happened.
@Suite("Closed sockets")
struct ClosedSocketTests {
    /// The error `body` throws, if any.
    static func error(of body: () throws(ZMQError) -> Void) -> ZMQError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("send and receive on a closed socket throw ENOTSOCK naming the operation")
    func closedSocketErrors() throws {
        let context = try Context()
        let socket = try context.socket(.pair)
        socket.close()
        let space = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
        defer { space.deallocate() }

        let sends = [
            Self.error { () throws(ZMQError) in try socket.send(Message()) },
            Self.error { () throws(ZMQError) in try socket.send([1, 2, 3]) },
            Self.error { () throws(ZMQError) in try socket.send("text") },
            Self.error { () throws(ZMQError) in try socket.send(UnsafeRawBufferPointer(space)) },
        ]
        let receives = [
            Self.error { () throws(ZMQError) in try socket.receive(into: Message()) },
            Self.error { () throws(ZMQError) in _ = try socket.receive(into: space) },
        ]
        for error in sends {
            #expect(error?.operation == "send on a closed socket")
        }
        for error in receives {
            #expect(error?.operation == "receive on a closed socket")
        }
        #if os(Linux)
        for error in sends + receives {
            #expect(error?.code == 88)   // ENOTSOCK
        }
        #endif
    }

    @Test("a failing send on an open socket reports libzmq's error, not a closed socket")
    func openSocketErrors() throws {
        let context = try Context()
        let socket = try context.socket(.push)   // no peer: a non-blocking send cannot proceed
        let error = Self.error { () throws(ZMQError) in try socket.send("x", flags: .dontWait) }
        #expect(error == ZMQError.again)
        #expect(error?.operation == "send")
    }
}
