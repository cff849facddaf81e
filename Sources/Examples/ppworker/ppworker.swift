// Paranoid Pirate worker: a DEALER that says READY ("\001"), echoes
// requests, and heartbeats ("\002") with the queue both ways. When the queue
// falls silent it closes its socket and connects again, waiting twice as
// long each time, up to 32 seconds.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct PPWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppworker",
        abstract: "Paranoid Pirate worker: DEALER to tcp://localhost:5556 with heartbeats and reconnect back-off.")

    @Flag(help: "Never simulate a crash or a CPU overload (by default, after three requests, each may do either).")
    var noFailures = false

    static let heartbeatLiveness = 3      // 3 to 5 is reasonable
    static let heartbeatInterval = 1000   // msecs
    static let intervalInit = 1000        // first reconnect delay, msecs
    static let intervalMax = 32000        // the delay stops doubling here

    // The Paranoid Pirate Protocol's two commands
    static let ready: [UInt8] = [1]       // the worker is ready
    static let heartbeat: [UInt8] = [2]   // the worker (or queue) is alive

    /// A new DEALER connected to the queue, which has been told we are ready.
    static func connect(_ context: Context) throws(ZMQError) -> Socket {
        let worker = try context.socket(.dealer)
        try worker.set(.linger, to: 0)
        try worker.connect("tcp://localhost:5556")
        print("I: worker ready")
        try worker.send(ready)
        return worker
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        var worker = try Self.connect(context)

        // When liveness reaches zero we take the queue for gone
        var liveness = Self.heartbeatLiveness
        var interval = Self.intervalInit

        // Heartbeats go out at regular intervals
        var heartbeatAt = clockMilliseconds() + Int64(Self.heartbeatInterval)

        var cycles = 0
        while !isInterrupted {
            var poller = Poller()
            let fromQueue = poller.add(worker)
            do { try poller.poll(timeoutMilliseconds: Self.heartbeatInterval) } catch {
                if error.isInterrupted { break }
                throw error
            }

            if poller.isReadable(fromQueue) {
                // [client, "", request] is work; ["\002"] is the queue's heartbeat
                let message = try ZMsg.receive(from: worker)
                if message.count == 3 {
                    // After a few cycles, misbehave at random
                    cycles += 1
                    if !noFailures && cycles > 3 && randof(5) == 0 {
                        print("I: simulating a crash")
                        break
                    } else if !noFailures && cycles > 3 && randof(5) == 0 {
                        print("I: simulating CPU overload")
                        sleep(milliseconds: 3000)
                        if isInterrupted { break }
                    }
                    print("I: normal reply")
                    try message.send(to: worker)
                    liveness = Self.heartbeatLiveness
                    sleep(milliseconds: 1000)   // the heavy work
                    if isInterrupted { break }
                } else if message.frames == [Self.heartbeat] {
                    liveness = Self.heartbeatLiveness
                } else {
                    print("E: invalid message")
                    message.dump()
                }
                interval = Self.intervalInit
            } else {
                liveness -= 1
                if liveness == 0 {
                    // No word from the queue for a while: start afresh on a
                    // new socket, which also drops whatever we had queued
                    print("W: heartbeat failure, can't reach queue")
                    print("W: reconnecting in \(interval) msec...")
                    sleep(milliseconds: interval)
                    if isInterrupted { break }
                    if interval < Self.intervalMax { interval *= 2 }
                    worker.close()
                    worker = try Self.connect(context)
                    liveness = Self.heartbeatLiveness
                }
            }
            // Our own heartbeat, when it is time
            if clockMilliseconds() > heartbeatAt {
                heartbeatAt = clockMilliseconds() + Int64(Self.heartbeatInterval)
                print("I: worker heartbeat")
                try worker.send(Self.heartbeat)
            }
        }
    }
}
