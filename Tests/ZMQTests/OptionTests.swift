import Testing
import ZMQ

@Suite("Socket options")
struct OptionTests {
    @Test("integer, boolean and binary options are set and read back")
    func roundTrip() throws {
        let context = try Context()
        let socket = try context.socket(.dealer)
        try socket.set(.linger, to: 0)
        #expect(try socket.get(.linger) == 0)
        try socket.set(.sendHighWaterMark, to: 42)
        #expect(try socket.get(.sendHighWaterMark) == 42)
        try socket.set(.receiveHighWaterMark, to: 43)
        #expect(try socket.get(.receiveHighWaterMark) == 43)
        try socket.set(.receiveTimeout, to: 250)
        #expect(try socket.get(.receiveTimeout) == 250)
        try socket.set(.sendTimeout, to: 251)
        #expect(try socket.get(.sendTimeout) == 251)
        try socket.set(.reconnectInterval, to: 200)
        #expect(try socket.get(.reconnectInterval) == 200)
        try socket.set(.reconnectIntervalMax, to: 5000)
        #expect(try socket.get(.reconnectIntervalMax) == 5000)
        try socket.set(.maxMessageSize, to: 1 << 20)
        #expect(try socket.get(.maxMessageSize) == 1 << 20)
        try socket.set(.affinity, to: 1)
        #expect(try socket.get(.affinity) == 1)
        try socket.set(.immediate, to: true)
        #expect(try socket.get(.immediate) == true)
        try socket.set(.ipv6, to: true)
        #expect(try socket.get(.ipv6) == true)
        try socket.set(.routingID, to: Array("PEER2".utf8))
        #expect(try socket.get(.routingID) == Array("PEER2".utf8))
        #expect(try socket.get(.identity) == Array("PEER2".utf8))
        #expect(try socket.get(.receiveMore) == false)
        #expect(try socket.fileDescriptor >= 0)
    }

    @Test("write-only options are accepted")
    func writeOnly() throws {
        let context = try Context()
        let router = try context.socket(.router)
        try router.set(.routerMandatory, to: true)
        try router.set(.routerHandover, to: true)
        let sub = try context.socket(.sub)
        try sub.subscribe("10001 ")
        try sub.unsubscribe("10001 ")
        try sub.subscribe([0x00, 0xFF])
        let req = try context.socket(.req)
        try req.set(.requestRelaxed, to: true)
        try req.set(.requestCorrelate, to: true)
    }

    @Test("the last endpoint names the port chosen for a wildcard")
    func lastEndpoint() throws {
        let context = try Context()
        let socket = try context.socket(.rep)
        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try socket.get(.lastEndpoint)
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(Int(endpoint.split(separator: ":").last ?? "") ?? 0 > 0)
    }
}
