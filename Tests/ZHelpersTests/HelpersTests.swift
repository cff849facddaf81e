#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import ZHelpers
import ZMQ

@Suite("zhelpers")
struct HelpersTests {
    @Test("a random identity is printable, in the form XXXX-XXXX, and set on the socket")
    func identity() throws {
        let context = try Context()
        let socket = try context.socket(.dealer)
        let identity = try socket.setRandomIdentity()
        #expect(identity.wholeMatch(of: /[0-9A-F]{4}-[0-9A-F]{4}/) != nil)
        #expect(try socket.get(.routingID) == Array(identity.utf8))
    }

    @Test("randof stays in range and the clock moves with sleep")
    func randomAndClock() {
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(randof(7)) })
        let start = clockMilliseconds()
        sleep(milliseconds: 30)
        #expect(clockMilliseconds() - start >= 29)
        #expect(timestampPrefix().wholeMatch(of: #/\d\d-\d\d-\d\d \d\d:\d\d:\d\d /#) != nil)
    }

    @Test("Socket.dump receives one whole message")
    func socketDump() throws {
        let context = try Context()
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try pull.bind("inproc://dump")
        try push.connect("inproc://dump")
        try push.sendMore("A")
        try push.send("B")
        try push.send("next")
        try pull.dump()
        #expect(try pull.receiveString() == "next")
    }
}
