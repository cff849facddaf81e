import Testing
import ZMQ

@Suite("Context")
struct ContextTests {
    @Test("a context is made, reports its I/O threads and makes every socket type")
    func makesSockets() throws {
        let context = try Context(ioThreads: 2)
        #expect(context.ioThreads == 2)
        for type in SocketType.allCases {
            let socket = try context.socket(type)
            #expect(socket.type == type)
            #expect(try socket.get(.type) == type.rawValue)
        }
    }

    @Test("libzmq reports a version of 4 or later")
    func version() {
        #expect(ZMQ.version.major >= 4)
        #expect(ZMQ.versionString.split(separator: ".").count == 3)
    }
}
