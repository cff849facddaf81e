import Testing
import ZHelpers
import ZMQ

private func frames(_ strings: String...) -> [Frame] { strings.map { Array($0.utf8) } }

@Suite("Envelopes and whole messages from untrusted peers")
struct EnvelopeTests {
    @Test("an envelope splits at the first empty frame after the addresses")
    func splits() throws {
        let one = try #require(Envelope(parsing: frames("client", "", "HELLO")))
        #expect(one.addresses == frames("client"))
        #expect(one.body == frames("HELLO"))
        #expect(one.frames == frames("client", "", "HELLO"))
        let two = try #require(Envelope(parsing: frames("broker", "client", "", "a", "", "b")))
        #expect(two.addresses == frames("broker", "client"))
        #expect(two.body == frames("a", "", "b"))
        #expect(Envelope(parsing: frames("client", ""))?.body == [])
    }

    @Test("no address, no delimiter or too many addresses: no envelope", arguments: [
        [] as [String], [""], ["", "HELLO"], ["client", "HELLO"], ["client"],
        ["a", "b", "c", "d", "e", "f", "g", "h", "i", "", "x"],
    ])
    func refuses(strings: [String]) {
        #expect(Envelope(parsing: strings.map { Array($0.utf8) }) == nil)
        #expect(ZMsg(strings: strings).envelope == nil)
    }

    @Test("a worker's READY, its reply, and what no worker sends")
    func workerMessages() throws {
        let ready: Frame = [1]
        let free = try #require(WorkerMessage(parsing: [Array("w1".utf8), [], ready], ready: ready))
        #expect(free.worker == Array("w1".utf8))
        #expect(free.reply == nil && !free.isMalformedReply)

        let reply = try #require(WorkerMessage(parsing: frames("w1", "", "c1", "", "OK"), ready: ready))
        #expect(reply.reply?.frames == frames("c1", "", "OK"))

        let odd = try #require(WorkerMessage(parsing: frames("w1", "", "OK"), ready: ready))
        #expect(odd.worker == Array("w1".utf8))
        #expect(odd.reply == nil && odd.isMalformedReply)   // the worker is free; the reply has no address

        #expect(WorkerMessage(parsing: frames("w1", "OK"), ready: ready) == nil)
        #expect(WorkerMessage(parsing: frames("w1", "x", "", "OK"), ready: ready) == nil)
        #expect(WorkerMessage(parsing: frames("w1", ""), ready: ready) == nil)
    }

    @Test("a REP socket reads a request of several frames whole, so its reply is allowed")
    func wholeRequest() throws {
        let context = try Context()
        let server = try context.socket(.rep)
        try server.bind("inproc://envelope-whole")
        let client = try context.socket(.dealer)
        try client.connect("inproc://envelope-whole")
        try client.send(multipart: [[], Array("Hello".utf8), Array("extra".utf8)])
        try client.send(multipart: [[], Array("again".utf8)])
        #expect(try server.receiveWholeString() == "Hello")
        try server.send("World")   // refused (EFSM) had only one frame been read
        #expect(try server.receiveWholeString() == "again")
        try server.send("World")
        #expect(try client.receiveMultipart() == [[], Array("World".utf8)])
        #expect(try client.receiveMultipart() == [[], Array("World".utf8)])
    }
}
