import Testing
import ZHelpers
import ZMQ

@Suite("Receiving within a time")
struct TimeoutTests {
    @Test("nil when nothing comes in time; the first frame when a message does, its other frames dropped")
    func receiveWithin() throws {
        let context = try Context()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://within")
        let push = try context.socket(.push)
        try push.connect("inproc://within")
        #expect(try pull.receiveString(within: .milliseconds(50)) == nil)
        try push.send(multipart: [Array("first".utf8), Array("second".utf8)])
        try push.send("next")
        #expect(try pull.receiveString(within: .seconds(5)) == "first")
        #expect(try pull.receiveString(within: .seconds(5)) == "next")
        push.close()
        pull.close()
    }
}
