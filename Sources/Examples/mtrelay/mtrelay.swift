// Multithreaded relay.
// Three steps in a chain of threads, each signalling the next over an inproc
// PAIR socket: step 1 signals step 2, which signals step 3, the main thread.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct MTRelay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mtrelay",
        abstract: "Multithreaded relay: three threads signal each other in turn over inproc PAIR sockets.")

    func run() throws {
        let context = try Context()

        // Bind before starting step 2, so that its connect finds us
        let receiver = try context.socket(.pair)
        try receiver.bind("inproc://step3")
        startThread { reportingFailure("step 2") { try step2(context) } }

        // Wait for the signal
        _ = try receiver.receiveMessage()
        receiver.close()

        print("Test successful!")
    }
}

/// Step 1: connects to step 2 and tells it that it is ready.
func step1(_ context: Context) throws {
    let transmitter = try context.socket(.pair)
    try transmitter.connect("inproc://step2")
    print("Step 1 ready, signaling step 2")
    try transmitter.send("READY")
}

/// Step 2: starts step 1, waits for its signal and passes it on to step 3.
func step2(_ context: Context) throws {
    // Bind before starting step 1, so that its connect finds us
    let receiver = try context.socket(.pair)
    try receiver.bind("inproc://step2")
    startThread { reportingFailure("step 1") { try step1(context) } }

    // Wait for the signal and pass it on
    _ = try receiver.receiveMessage()
    receiver.close()

    let transmitter = try context.socket(.pair)
    try transmitter.connect("inproc://step3")
    print("Step 2 ready, signaling step 3")
    try transmitter.send("READY")
}

/// Runs a thread's body, printing the error that ends it, if any.
func reportingFailure(_ name: String, _ body: () throws -> Void) {
    do { try body() } catch { printError("E: \(name): \(error)") }
}
