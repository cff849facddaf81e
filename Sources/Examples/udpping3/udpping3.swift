// UDP ping, model 3: the network behind the interface class, whose agent
// thread beacons and tracks peers. Prints each JOINED or LEFT message.
import ArgumentParser
import Discovery
import UDP
import ZHelpers
import ZMQ

@main
struct UDPPing3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "udpping3",
        abstract: "UDP ping model 3: beacons its UUID to UDP port 9999 and dumps each JOINED or LEFT peer message.")

    @Option(help: "Broadcast address for the beacons (the guide uses 255.255.255.255; loopback by default here).")
    var broadcast = loopbackBroadcast

    func validate() throws {
        guard isDottedIPv4(broadcast) else { throw ValidationError("'\(broadcast)' is not a dotted IPv4 address") }
    }

    func run() throws {
        catchSignals()
        let interface = try Interface(broadcastAddress: broadcast)
        while true {
            let message: ZMsg
            do { message = try interface.receive() } catch {
                if error.isInterrupted { break }
                throw error
            }
            message.dump()
        }
    }
}
