// UDP ping, model 1: the UDP work done inline. Broadcasts a one-byte beacon
// to port 9999 once a second and reports every datagram that arrives, its
// own beacons included.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct UDPPing1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udpping1",
        abstract: "UDP ping model 1: a '!' beacon to UDP port 9999 once a second; prints each datagram's sender.")

    @Option(help: "Broadcast address for the beacons (the guide uses 255.255.255.255; loopback by default here).")
    var broadcast = "127.255.255.255"

    static let port: UInt16 = 9999
    static let beaconSize = 1
    static let interval: Int64 = 1000   // once a second

    struct SystemError: Error, CustomStringConvertible {
        let description: String
        init(_ call: String) { description = "\(call): \(String(cString: strerror(errno)))" }
    }

    func validate() throws {
        var address = in_addr()
        guard inet_pton(AF_INET, broadcast, &address) == 1 else {
            throw ValidationError("'\(broadcast)' is not a dotted IPv4 address")
        }
    }

    func run() throws {
        catchSignals()
        // A UDP socket that may broadcast, bound to the port on every address;
        // address reuse lets several pings run on one machine.
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), Int32(IPPROTO_UDP))
        #else
        let fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)
        #endif
        guard fd >= 0 else { throw SystemError("socket") }
        defer { close(fd) }
        var on: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemError("setsockopt (SO_BROADCAST)")
        }
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemError("setsockopt (SO_REUSEADDR)")
        }
        var this = sockaddr_in()
        this.sin_family = sa_family_t(AF_INET)
        this.sin_port = Self.port.bigEndian
        this.sin_addr.s_addr = INADDR_ANY
        guard withSocketAddress(&this, { bind(fd, $0, $1) }) == 0 else { throw SystemError("bind") }
        var that = this
        inet_pton(AF_INET, broadcast, &that.sin_addr)

        // Wait on the UDP socket with a poller, which takes plain descriptors
        var poller = Poller()
        poller.add(fileDescriptor: fd)
        var buffer = [UInt8](repeating: 0, count: Self.beaconSize)
        var pingAt = clockMilliseconds()   // the first ping at once
        while !isInterrupted {
            let timeout = max(0, pingAt - clockMilliseconds())
            do { try poller.poll(timeoutMilliseconds: Int(timeout)) } catch { break }   // interrupted

            // Someone's beacon (maybe our own): say where it came from
            if !poller.events(at: 0).isEmpty {
                var sender = sockaddr_in()
                let size = buffer.withUnsafeMutableBytes { bytes in
                    withSocketAddress(&sender) { address, length in
                        var length = length
                        return recvfrom(fd, bytes.baseAddress, bytes.count, 0, address, &length)
                    }
                }
                if size == -1 { throw SystemError("recvfrom") }
                var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                inet_ntop(AF_INET, &sender.sin_addr, &text, socklen_t(text.count))
                let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                print("Found peer \(address):\(UInt16(bigEndian: sender.sin_port))")
            }
            if clockMilliseconds() >= pingAt {
                print("Pinging peers...")
                buffer[0] = UInt8(ascii: "!")
                let sent = buffer.withUnsafeBytes { bytes in
                    withSocketAddress(&that) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, $1) }
                }
                if sent == -1 { throw SystemError("sendto") }
                pingAt = clockMilliseconds() + Self.interval
            }
        }
    }
}

/// Calls `body` with `address` seen as a `sockaddr` and its length.
private func withSocketAddress<Result>(
    _ address: inout sockaddr_in, _ body: (UnsafeMutablePointer<sockaddr>, socklen_t) -> Result
) -> Result {
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}
