// Titanic client: sends an echo request through titanic.request, polls
// titanic.reply until the reply is there, prints it and closes the request.
import ArgumentParser
import Majordomo
import ZHelpers

@main
struct TIClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticlient",
        abstract: "Titanic client: one echo request via titanic at the broker tcp://localhost:5555.")

    @Flag(name: .customShort("v"), help: "Trace every message sent and received.")
    var verbose = false

    @Option(help: "The broker's endpoint.")
    var broker = "tcp://localhost:5555"

    @Option(help: "Milliseconds to wait after a reply is not there yet.")
    var retryInterval = 5000

    /// Calls a Titanic service: the reply after its "200" status, or nil
    /// when the status is another; a client or server error ends the program.
    func call(_ session: MajordomoClient, _ service: String, _ request: ZMsg) throws -> ZMsg? {
        guard var reply = try session.send(service: service, request: request) else {
            throw ExitCode.success   // interrupted, or no broker
        }
        switch reply.popString() {
        case "200":
            return reply
        case "400":
            print("E: client fatal error, aborting")
            throw ExitCode.failure
        case "500":
            print("E: server fatal error, aborting")
            throw ExitCode.failure
        default:
            return nil   // not done yet, whatever the reason
        }
    }

    func run() throws {
        catchSignals()
        let session = try MajordomoClient(broker: broker, verbose: verbose)

        // 1. Send an echo request to Titanic
        guard let uuid = try call(session, "titanic.request", ZMsg(strings: ["echo", "Hello world"]))?.first else {
            print("E: titanic did not take the request")
            throw ExitCode.failure
        }
        print("I: request UUID " + dumpLine(of: uuid))

        // 2. Ask for the reply until it is there
        while !isInterrupted {
            sleep(milliseconds: 100)
            if let reply = try call(session, "titanic.reply", ZMsg([uuid])) {
                print("Reply: \(reply.last?.string ?? "")")
                // 3. Close the request
                _ = try call(session, "titanic.close", ZMsg([uuid]))
                break
            }
            print("I: no reply yet, trying again...")
            sleep(milliseconds: retryInterval)
        }
    }
}
