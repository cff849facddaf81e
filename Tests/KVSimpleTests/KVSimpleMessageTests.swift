import KVSimple
import Testing
import ZMQ

@Suite("kvsimple")
struct KVSimpleMessageTests {
    @Test("a message is three frames: key, the sequence in 8 bytes big-endian, body")
    func encoding() {
        let message = KVSimpleMessage(key: "key", sequence: 0x0102_0304_0506_0708, body: "body")
        #expect(message.frames == [Array("key".utf8), [1, 2, 3, 4, 5, 6, 7, 8], Array("body".utf8)])
        #expect(KVSimpleMessage.sequenceBytes(1) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(KVSimpleMessage.sequenceBytes(-1) == [UInt8](repeating: 255, count: 8))
    }

    @Test("decoding gives back what was encoded")
    func roundTrip() throws {
        for sequence: Int64 in [0, 1, 255, 256, 1 << 40, .max, -1] {
            let message = KVSimpleMessage(key: "4242", sequence: sequence, body: [0, 1, 2, 255])
            #expect(try KVSimpleMessage(frames: message.frames) == message)
        }
    }

    @Test("a short or long sequence field and a wrong frame count are rejected")
    func malformed() {
        #expect(throws: KVSimpleError.sequenceSize(4)) {
            try KVSimpleMessage(frames: [Array("k".utf8), [0, 0, 0, 1], Array("v".utf8)])
        }
        #expect(throws: KVSimpleError.sequenceSize(9)) {
            try KVSimpleMessage(frames: [[], [UInt8](repeating: 0, count: 9), []])
        }
        #expect(throws: KVSimpleError.frameCount(2)) {
            try KVSimpleMessage(frames: [Array("k".utf8), [0, 0, 0, 0, 0, 0, 0, 1]])
        }
        #expect(throws: KVSimpleError.frameCount(4)) {
            try KVSimpleMessage(frames: [[], [0, 0, 0, 0, 0, 0, 0, 1], [], []])
        }
        // kvmsg's five frames (key, sequence, UUID, properties, body) are not kvsimple
        #expect(throws: KVSimpleError.frameCount(5)) {
            try KVSimpleMessage(frames: [Array("k".utf8), [0, 0, 0, 0, 0, 0, 0, 7], [], [], Array("v".utf8)])
        }
    }

    @Test("send and receive over a socket pair; a malformed message is consumed and reported")
    func overTheWire() throws {
        let context = try Context()
        let output = try context.socket(.pair)
        try output.bind("inproc://kvsimple-test")
        let input = try context.socket(.pair)
        try input.connect("inproc://kvsimple-test")

        let message = KVSimpleMessage(key: "key", sequence: 1, body: "body")
        try message.send(to: output)
        try output.send(multipart: [Array("bad".utf8), [0, 1]])
        try message.send(to: output)

        #expect(try KVSimpleMessage.receive(from: input) == .success(message))
        #expect(try KVSimpleMessage.receive(from: input) == .failure(.frameCount(2)))
        #expect(try KVSimpleMessage.receive(from: input) == .success(message))
    }

    @Test("storing keeps the last value of each key; the digest depends on keys and bodies only")
    func storeAndDigest() {
        var first: [String: KVSimpleMessage] = [:]
        KVSimpleMessage(key: "1", sequence: 1, body: "a").store(in: &first)
        KVSimpleMessage(key: "2", sequence: 2, body: "b").store(in: &first)
        KVSimpleMessage(key: "1", sequence: 3, body: "c").store(in: &first)
        #expect(first.count == 2)
        #expect(first["1"]?.bodyText == "c")

        var second: [String: KVSimpleMessage] = [:]
        KVSimpleMessage(key: "2", sequence: 7, body: "b").store(in: &second)
        KVSimpleMessage(key: "1", sequence: 9, body: "c").store(in: &second)
        #expect(mapDigest(first) == mapDigest(second))
        KVSimpleMessage(key: "2", sequence: 10, body: "x").store(in: &second)
        #expect(mapDigest(first) != mapDigest(second))
        // The FNV-1a offset basis for an empty map
        #expect(mapDigestLine([:]) == "I: map size=0 digest=CBF29CE484222325")
        // A value computed by the scenarios' Python digest (sorted keys, each as
        // key, 0, body, 0); KVMsg's tests expect the same line for the same map
        var known: [String: KVSimpleMessage] = [:]
        for (key, value) in [("/client/1", [UInt8]("a".utf8)), ("/other/2", Array("bc".utf8)), ("k", [0xFF, 0x00])] {
            KVSimpleMessage(key: key, sequence: 1, body: value).store(in: &known)
        }
        #expect(mapDigestLine(known) == "I: map size=3 digest=DF14C4385A986EA5")
    }

    @Test("the dump line of kvmsg_dump")
    func dump() {
        #expect(KVSimpleMessage(key: "k", sequence: 5, body: [0x31, 0xAB]).description == "[seq:5][key:k][size:2] 31AB")
    }
}
