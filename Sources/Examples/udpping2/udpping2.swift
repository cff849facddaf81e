// UDP ping, model 2: the same beacon as model 1, with the UDP work moved
// into the UDP library (the guide's udplib). It receives beacons silently.
import ArgumentParser
import UDP
import ZHelpers
import ZMQ

@main
struct UDPPing2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udpping2",
        abstract: "UDP ping model 2: a '!' beacon to UDP port 9999 once a second, with the UDP library; receives silently.")

    @Option(help: "Broadcast address for the beacons (the guide uses 255.255.255.255; loopback by default here).")
    var broadcast = loopbackBroadcast

    static let port: UInt16 = 9999
    static let beaconSize = 1
    static let interval: Int64 = 1000   // once a second

    func validate() throws {
        guard isDottedIPv4(broadcast) else { throw ValidationError("'\(broadcast)' is not a dotted IPv4 address") }
    }

    func run() throws {
        catchSignals()
        let udp = try UDPSocket(port: Self.port, broadcastAddress: broadcast)
        var poller = Poller()
        poller.add(fileDescriptor: udp.fileDescriptor)
        var pingAt = clockMilliseconds()   // the first ping at once
        while !isInterrupted {
            let timeout = max(0, pingAt - clockMilliseconds())
            do { try poller.poll(timeoutMilliseconds: Int(timeout)) } catch { break }   // interrupted

            // Someone's beacon: take it in, say nothing
            if !poller.events(at: 0).isEmpty {
                _ = try udp.receive(maxLength: Self.beaconSize)
            }
            if clockMilliseconds() >= pingAt {
                print("Pinging peers...")
                try udp.send([UInt8(ascii: "!")])
                pingAt = clockMilliseconds() + Self.interval
            }
        }
    }
}
