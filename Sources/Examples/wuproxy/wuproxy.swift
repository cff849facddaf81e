// Weather update proxy, a bridge between two networks: XSUB connected to the
// weather server inside, XPUB bound for subscribers outside. The guide's LAN
// addresses become options whose defaults stay on this machine.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct WUProxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wuproxy",
        abstract: "Weather update proxy: XSUB connected to the weather server, XPUB bound for subscribers.")

    @Option(help: "Where the weather server publishes (XSUB connects here); on a LAN, e.g. tcp://192.168.55.210:5556.")
    var frontend = "tcp://localhost:5556"

    @Option(help: "Where subscribers connect (XPUB binds here); on a LAN, e.g. tcp://10.1.1.0:8100.")
    var backend = "tcp://*:8100"

    func run() throws {
        let context = try Context()
        // The weather server's side
        let frontendSocket = try context.socket(.xsub)
        try frontendSocket.connect(frontend)
        // Our public side, for subscribers
        let backendSocket = try context.socket(.xpub)
        try backendSocket.bind(backend)

        // Updates flow out, subscriptions in, until the process is stopped
        try ZMQ.proxy(frontend: frontendSocket, backend: backendSocket)
    }
}
