// Decentralised chat: no server. Each node publishes its user's lines on
// its own address, port 9000, and subscribes to port 9000 on every address
// 1 to 254 of its network, so it hears every node there (itself included).
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct DeChat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dechat",
        abstract: "Decentralised chat: PUB on INTERFACE:9000, SUB to port 9000 on addresses 1-254 of IPADDRESS's network.",
        discussion: "Example: dechat 127.0.0.2 127.0.0.2 joe (loopback; on a LAN: dechat 192.168.55.123 eth0 joe)")

    @Argument(help: "An address of the network to listen to: its last number is replaced by 1 to 254.")
    var ipaddress = "127.0.0.1"

    @Argument(help: "The interface or address to publish on, port 9000.")
    var interface = "127.0.0.1"

    @Argument(help: "The name that starts each of your lines.")
    var username = "anonymous"

    static let port = 9000

    func validate() throws {
        guard ipaddress.contains(".") else {
            throw ValidationError("'\(ipaddress)' is not an address such as 127.0.0.1")
        }
    }

    /// The listener: hears every node of the network, until the context ends.
    static func listenerTask(context: Context, prefix: String) throws {
        let listener = try context.socket(.sub)
        try listener.set(.linger, to: 0)
        for address in 1...254 {
            try listener.connect("tcp://\(prefix)\(address):\(port)")
        }
        try listener.subscribe("")
        while true {
            let message: String
            do { message = try listener.receiveString() } catch {
                if error.isStop { return }
                throw error
            }
            print(message)
        }
    }

    func run() throws {
        // Keep IPADDRESS up to and including its last dot: "127.0.0."
        let prefix = String(ipaddress[...(ipaddress.lastIndex(of: ".") ?? ipaddress.startIndex)])
        let context = try Context()
        let listener = startThread {
            do { try Self.listenerTask(context: context, prefix: prefix) } catch {
                printError("E: listener: \(error)")
            }
        }
        let broadcaster = try context.socket(.pub)
        try broadcaster.set(.linger, to: 0)
        try broadcaster.bind("tcp://\(interface):\(Self.port)")
        // One frame per line of input, "USERNAME: LINE", until end of input
        while let line = readLine() {
            try broadcaster.send("\(username): \(line)")
        }
        broadcaster.close()
        context.shutdown()
        listener.join()
    }
}
