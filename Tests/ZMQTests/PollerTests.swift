#if canImport(Glibc)
import Glibc
#endif
import Testing
import ZMQ

@Suite("Poller")
struct PollerTests {
    @Test("a poll with nothing ready returns 0 after the timeout")
    func timeout() throws {
        let context = try Context()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://poll-timeout")
        var poller = Poller()
        let item = poller.add(pull)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try poller.poll(timeout: .milliseconds(50)) == 0)
        #expect(clock.now - start >= .milliseconds(45))
        #expect(!poller.isReadable(item))
        #expect(try poller.poll(timeout: .zero) == 0)
    }

    @Test("only the socket with a message is reported readable")
    func readiness() throws {
        let context = try Context()
        let a = try context.socket(.pull), b = try context.socket(.pull)
        try a.bind("inproc://poll-a")
        try b.bind("inproc://poll-b")
        let push = try context.socket(.push)
        try push.connect("inproc://poll-b")
        try push.send("for b")
        var poller = Poller()
        let itemA = poller.add(a), itemB = poller.add(b)
        #expect(try poller.poll(timeout: .seconds(1)) == 1)
        #expect(!poller.isReadable(itemA))
        #expect(poller.isReadable(itemB))
        #expect(try b.receiveString() == "for b")
    }

    @Test("a writable socket is reported writable; an empty event set is left out")
    func writable() throws {
        let context = try Context()
        let push = try context.socket(.push), pull = try context.socket(.pull)
        try pull.bind("inproc://poll-w")
        try push.connect("inproc://poll-w")
        var poller = Poller()
        let item = poller.add(push, for: .writable)
        #expect(try poller.poll(timeout: .seconds(1)) == 1)
        #expect(poller.isWritable(item))
        poller.setEvents([], at: item)
        #expect(try poller.poll(timeout: .milliseconds(10)) == 0)
    }

    @Test("a plain file descriptor can be polled")
    func fileDescriptor() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var poller = Poller()
        let item = poller.add(fileDescriptor: fds[0])
        #expect(try poller.poll(timeout: .milliseconds(10)) == 0)
        _ = write(fds[1], "x", 1)
        #expect(try poller.poll(timeout: .seconds(1)) == 1)
        #expect(poller.isReadable(item))
    }
}
