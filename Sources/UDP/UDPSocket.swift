// The guide's udplib (chapter 8): a UDP socket that broadcasts datagrams to
// one port and receives the datagrams broadcast to it, for peer discovery.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The loopback broadcast address, the default everywhere in this project:
/// a beacon sent there reaches every socket bound to the port on this
/// machine and never leaves it.
public let loopbackBroadcast = "127.255.255.255"

/// A failed system call on a ``UDPSocket``: its name and `errno`.
public struct UDPError: Error, CustomStringConvertible, Sendable {
    /// The system call, such as `bind`.
    public let operation: String
    /// The `errno` it set.
    public let code: Int32

    /// The error of `operation` with the current `errno`.
    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    /// Such as `bind: Address already in use`.
    public var description: String { "\(operation): \(String(cString: strerror(code)))" }
}

/// One datagram received by a ``UDPSocket``, with its sender.
public struct Datagram: Sendable, Equatable {
    /// The bytes received (at most the length asked for; longer datagrams are cut).
    public var bytes: [UInt8]
    /// The sender's IPv4 address in dotted form, such as `127.0.0.1`.
    public var address: String
    /// The sender's UDP port.
    public var port: UInt16
}

/// A UDP socket bound to every local address on one port, which sends each
/// datagram to a broadcast address on that same port (the guide's `udp_t`).
///
/// Address reuse is on, so several processes on one machine can each make
/// one on the same port; each of them receives every broadcast, its own
/// included.
///
/// ```swift
/// let udp = try UDPSocket(port: 9999)            // broadcasts to 127.255.255.255
/// try udp.send([0x21])
/// var poller = Poller()
/// poller.add(fileDescriptor: udp.fileDescriptor)
/// if let datagram = try udp.receive(maxLength: 1) { print(datagram.address) }
/// ```
/// Not Sendable: use it on the thread that made it.
public final class UDPSocket {
    /// The port this socket is bound to and broadcasts to.
    public let port: UInt16
    /// Where ``send(_:)`` sends: the broadcast address and ``port``.
    public let broadcastAddress: String
    /// The socket's file descriptor, for a `Poller` (`udp_handle`).
    public let fileDescriptor: Int32
    private var destination = sockaddr_in()

    /// Makes a broadcast-capable UDP socket bound to `port` on every local
    /// address, with address reuse, sending to `broadcastAddress` (dotted
    /// IPv4, such as ``loopbackBroadcast``) on the same port.
    public init(port: UInt16, broadcastAddress: String = loopbackBroadcast) throws(UDPError) {
        self.port = port
        self.broadcastAddress = broadcastAddress
        var target = in_addr()
        guard inet_pton(AF_INET, broadcastAddress, &target) == 1 else {
            throw UDPError("broadcast address '\(broadcastAddress)'", code: EINVAL)
        }
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = port.bigEndian
        destination.sin_addr = target

        #if canImport(Glibc)
        let handle = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), Int32(IPPROTO_UDP))
        #else
        let handle = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)
        #endif
        guard handle >= 0 else { throw UDPError("socket") }
        fileDescriptor = handle
        do throws(UDPError) {
            var on: Int32 = 1
            let size = socklen_t(MemoryLayout<Int32>.size)
            guard setsockopt(handle, SOL_SOCKET, SO_BROADCAST, &on, size) == 0 else {
                throw UDPError("setsockopt (SO_BROADCAST)")
            }
            // Several processes may bind the port; each gets every broadcast.
            guard setsockopt(handle, SOL_SOCKET, SO_REUSEADDR, &on, size) == 0 else {
                throw UDPError("setsockopt (SO_REUSEADDR)")
            }
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_port = port.bigEndian
            local.sin_addr.s_addr = INADDR_ANY
            let rc = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard rc == 0 else { throw UDPError("bind") }
        } catch {
            close(handle)
            throw error
        }
    }

    deinit { close(fileDescriptor) }

    /// Broadcasts `bytes` as one datagram (`udp_send`). Transient network
    /// errors (unreachable, down, interrupted) are ignored, as in the guide:
    /// the next beacon tries again. Anything else throws.
    public func send(_ bytes: [UInt8]) throws(UDPError) {
        var target = destination
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fileDescriptor, buffer.baseAddress, buffer.count, 0, $0,
                           socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if sent == -1 && !Self.isTransient(errno) { throw UDPError("sendto") }
    }

    /// Receives one datagram of at most `maxLength` bytes (`udp_recv`);
    /// a longer one is cut to that length. Returns nil after a transient
    /// error (nothing to read, interrupted); anything else throws.
    public func receive(maxLength: Int) throws(UDPError) -> Datagram? {
        var buffer = [UInt8](repeating: 0, count: max(maxLength, 0))
        var sender = sockaddr_in()
        var senderLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let size = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &sender) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    // MSG_DONTWAIT: the caller polled first; never block here.
                    recvfrom(fileDescriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, &senderLength)
                }
            }
        }
        if size == -1 {
            if Self.isTransient(errno) { return nil }
            throw UDPError("recvfrom")
        }
        return Datagram(bytes: Array(buffer.prefix(size)),
                        address: Self.dotted(sender.sin_addr),
                        port: UInt16(bigEndian: sender.sin_port))
    }

    /// The dotted form of an IPv4 address, such as `127.0.0.1`.
    static func dotted(_ address: in_addr) -> String {
        var address = address
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &address, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The errors the guide's udplib ignores and tries again after.
    static func isTransient(_ code: Int32) -> Bool {
        var transient: Set<Int32> = [EAGAIN, EWOULDBLOCK, EINTR, ENETDOWN, EPROTO, ENOPROTOOPT,
                                     EHOSTDOWN, EHOSTUNREACH, EOPNOTSUPP, ENETUNREACH, EPIPE,
                                     ECONNRESET, ECONNREFUSED]
        #if canImport(Glibc)
        transient.insert(ENONET)
        #endif
        return transient.contains(code)
    }
}

/// Whether `text` is an IPv4 address in dotted form, such as `127.255.255.255`.
public func isDottedIPv4(_ text: String) -> Bool {
    var address = in_addr()
    return inet_pton(AF_INET, text, &address) == 1
}
