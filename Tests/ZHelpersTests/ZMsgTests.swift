import Foundation
import Testing
import ZHelpers
import ZMQ

@Suite("ZMsg")
struct ZMsgTests {
    @Test("push, append, pop and the text forms")
    func listOperations() {
        var message = ZMsg()
        message.append("body")
        message.push("header")
        message.append([0x00, 0xFF])
        #expect(message.count == 3)
        #expect(message.contentSize == 12)
        #expect(message.first == Array("header".utf8))
        #expect(message.last == [0x00, 0xFF])
        #expect(message.popString() == "header")
        #expect(message.pop() == Array("body".utf8))
        #expect(message.pop() == [0x00, 0xFF])
        #expect(message.pop() == nil)
        #expect(message.isEmpty)
    }

    @Test("wrap adds an address and a delimiter; unwrap takes both off")
    func envelope() {
        var message = ZMsg(strings: ["HELLO"])
        message.wrap(Array("CLIENT".utf8))
        #expect(message.frames == [Array("CLIENT".utf8), [], Array("HELLO".utf8)])
        let duplicate = message          // zmsg_dup: a value copy
        #expect(message.unwrap() == Array("CLIENT".utf8))
        #expect(message.frames == [Array("HELLO".utf8)])
        #expect(duplicate.count == 3)
        // Without a delimiter, unwrap takes the address only.
        var bare = ZMsg(strings: ["A", "B"])
        #expect(bare.unwrap() == Array("A".utf8))
        #expect(bare.frames == [Array("B".utf8)])
    }

    @Test("send and receive keep every frame, empty and binary ones included")
    func overTheWire() throws {
        let context = try Context()
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try pull.bind("inproc://zmsg")
        try push.connect("inproc://zmsg")
        let message = ZMsg([Array("id".utf8), [], [0, 1, 2, 255], []])
        try message.send(to: push)
        #expect(try ZMsg.receive(from: pull) == message)
    }

    @Test("save and load round-trip through a file, in zmsg_save's layout")
    func saveAndLoad() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zmsg-\(UUID()).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let message = ZMsg([Array("one".utf8), [], [0xDE, 0xAD]])
        try message.save(toFile: path)
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(data.count == 3 * 8 + 3 + 0 + 2)
        #expect(Array(data.prefix(8)) == [3, 0, 0, 0, 0, 0, 0, 0])
        #expect(ZMsg.load(fromFile: path) == message)
        #expect(ZMsg.load(fromFile: path + ".missing") == nil)
        // A truncated file yields the frames that were whole.
        #expect(ZMsg.load(from: data.prefix(8 + 3 + 4)) == ZMsg([Array("one".utf8)]))
    }

    @Test("dump prints the guide's format")
    func dump() {
        let message = ZMsg([Array("PEER2".utf8), [], [0x00, 0x6B, 0x8B, 0x45, 0x67]])
        #expect(message.description == """
            ----------------------------------------
            [005] PEER2
            [000] \n[005] 006B8B4567

            """)
    }
}
