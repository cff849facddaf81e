// Handling Ctrl-C cleanly.
// A REP server on tcp://*:5555 that, on SIGINT or SIGTERM, leaves its loop,
// says so, closes its socket and context and exits normally.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Interrupt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interrupt",
        abstract: "Shows how to handle Ctrl-C: a REP server on tcp://*:5555 that shuts down cleanly on SIGINT or SIGTERM.")

    func run() throws {
        let context = try Context()
        let socket = try context.socket(.rep)
        try socket.bind("tcp://*:5555")

        // From here on, SIGINT and SIGTERM no longer kill the process: they
        // set isInterrupted and make the blocking poll below return EINTR.
        catchSignals()

        var poller = Poller()
        poller.add(socket)
        while true {
            do {
                try poller.poll()
                if poller.isReadable(0) {
                    // Non-blocking, so that the loop always goes back to the poll
                    _ = try socket.receiveMessage(flags: .dontWait)
                    print("W: recv")
                    // As in the guide, the reply is left out: the REP socket then
                    // takes no further request, and the server waits for a signal.
                }
            } catch {
                // A signal, or a request that was gone by the time we read:
                // anything else is a real failure.
                guard error.isInterrupted || error.isAgain else { throw error }
            }
            if isInterrupted {
                print("W: interrupt received, killing server...")
                break
            }
        }

        print("W: cleaning up")
        socket.close()
    }
}
