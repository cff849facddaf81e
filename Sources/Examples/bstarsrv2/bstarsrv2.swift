// Binary Star server on the BinaryStar reactor class: the same echo
// service and the same failover as bstarsrv, with the state machine, the
// heartbeats and the client votes handled by the class.
import ArgumentParser
import BinaryStar
import ZHelpers
import ZMQ

@main
struct BStarSrv2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bstarsrv2",
        abstract: "Binary Star server on the reactor class: -p primary on tcp://*:5001, -b backup on tcp://*:5002.",
        usage: "bstarsrv2 { -p | -b }")

    @Flag(name: .customShort("p"), help: "Primary: clients on tcp://*:5001, state out on 5003, in from 5004.")
    var primary = false
    @Flag(name: .customShort("b"), help: "Backup: clients on tcp://*:5002, state out on 5004, in from 5003.")
    var backup = false

    func validate() throws {
        guard primary != backup else { throw ValidationError("give exactly one of -p and -b") }
    }

    /// The echo service: the whole request, envelope and all, goes back.
    static func echo(_ reactor: Reactor, _ socket: Socket) throws {
        let message = try ZMsg.receive(from: socket)
        try message.send(to: socket)
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let star: BinaryStar
        if primary {
            print("I: Primary active, waiting for backup (passive)")
            star = try BinaryStar(context: context, primary: true,
                                  local: "tcp://*:5003", remote: "tcp://localhost:5004")
            try star.setVoter(endpoint: "tcp://*:5001", type: .router, handler: Self.echo)
        } else {
            print("I: Backup passive, waiting for primary (active)")
            star = try BinaryStar(context: context, primary: false,
                                  local: "tcp://*:5004", remote: "tcp://localhost:5003")
            try star.setVoter(endpoint: "tcp://*:5002", type: .router, handler: Self.echo)
        }
        try star.run()
    }
}
