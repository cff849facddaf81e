// Simple Pirate worker: lpserver turned into a load-balancing worker. A
// REQ socket says READY ("\001") to the queue, then echoes each request;
// after a few requests it now and then crashes or runs slowly.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct SPWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spworker",
        abstract: "Simple Pirate worker: REQ to tcp://localhost:5556, echoes requests, now and then crashes or runs slowly.")

    @Flag(help: "Never simulate a crash or a CPU overload (by default, after three requests, each may do either).")
    var noFailures = false

    static let workerReady: [UInt8] = [1]   // tells the queue we are ready

    func run() throws {
        catchSignals()
        let context = try Context()
        let worker = try context.socket(.req)

        // A printable identity, to tell the workers apart in traces
        let identity = try worker.setRandomIdentity()
        try worker.connect("tcp://localhost:5556")

        print("I: (\(identity)) worker ready")
        try worker.send(Self.workerReady)

        var cycles = 0
        while !isInterrupted {
            // [client, "", request]
            let message: [[UInt8]]
            do { message = try worker.receiveMultipart() } catch {
                if error.isInterrupted { break }
                throw error
            }

            // After a few cycles, misbehave at random
            cycles += 1
            if !noFailures && cycles > 3 && randof(5) == 0 {
                print("I: (\(identity)) simulating a crash")
                break
            } else if !noFailures && cycles > 3 && randof(5) == 0 {
                print("I: (\(identity)) simulating CPU overload")
                sleep(milliseconds: 3000)
                if isInterrupted { break }
            }
            print("I: (\(identity)) normal reply")
            sleep(milliseconds: 1000)   // the heavy work
            try worker.send(multipart: message)
        }
    }
}
