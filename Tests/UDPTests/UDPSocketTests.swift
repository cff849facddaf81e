#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import UDP

/// UDPSocket without sending anything: these tests run in the host's network
/// namespace, where no test may broadcast (the scenarios do that, alone on
/// loopback).
@Suite("UDP socket")
struct UDPSocketTests {
    /// A port from the dynamic range, unlikely to be taken.
    private func somePort() -> UInt16 { UInt16.random(in: 40000...60000) }

    @Test("defaults to the loopback broadcast address")
    func loopbackByDefault() throws {
        let udp = try UDPSocket(port: somePort())
        #expect(udp.broadcastAddress == "127.255.255.255")
        #expect(udp.fileDescriptor >= 0)
    }

    @Test("a broadcast address that is not dotted IPv4 is refused")
    func badAddress() {
        #expect(throws: UDPError.self) { try UDPSocket(port: somePort(), broadcastAddress: "not-an-address") }
        #expect(throws: UDPError.self) { try UDPSocket(port: somePort(), broadcastAddress: "300.1.1.1") }
    }

    @Test("two sockets share one port (address reuse), as two processes on one machine do")
    func sharedPort() throws {
        let port = somePort()
        let first = try UDPSocket(port: port)
        let second = try UDPSocket(port: port)
        #expect(first.port == second.port)
    }

    @Test("receiving with nothing queued returns nil at once instead of blocking")
    func nothingToReceive() throws {
        let udp = try UDPSocket(port: somePort())
        #expect(try udp.receive(maxLength: 16) == nil)
    }

    @Test("transient errors are the ones the guide's udplib ignores")
    func transientErrors() {
        #expect(UDPSocket.isTransient(EAGAIN))
        #expect(UDPSocket.isTransient(ENETUNREACH))
        #expect(UDPSocket.isTransient(EINTR))
        #expect(!UDPSocket.isTransient(EBADF))
        #expect(!UDPSocket.isTransient(EACCES))
    }

    @Test("addresses print in dotted form")
    func dotted() {
        var address = in_addr()
        inet_pton(AF_INET, "127.0.0.1", &address)
        #expect(UDPSocket.dotted(address) == "127.0.0.1")
    }
}
