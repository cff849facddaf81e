// Espresso: tracing a pub-sub flow. An XSUB/XPUB proxy stands between a
// publisher thread (tcp://*:6000) and a subscriber thread (tcp://*:6001),
// and copies every frame that crosses it, both ways, to a listener thread
// that prints it: the data going down and the subscriptions ("\1A") going up.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Espresso: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "espresso",
        abstract: "Espresso pattern: an XSUB/XPUB proxy that prints everything crossing it, until Ctrl-C.")

    /// The subscriber: asks for topics "A" and "B", then reads five messages.
    static func subscriberTask(context: Context) throws {
        let subscriber = try context.socket(.sub)
        try subscriber.set(.linger, to: 0)
        try subscriber.connect("tcp://localhost:6001")
        try subscriber.subscribe("A")
        try subscriber.subscribe("B")
        for _ in 0..<5 {
            _ = try subscriber.receiveMultipart()
        }
    }

    /// The publisher: a random message starting with A to J every tenth of a
    /// second, such as "C-04217", until interrupted.
    static func publisherTask(context: Context) throws {
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:6000")
        while !isInterrupted {
            let letter = Character(Unicode.Scalar(UInt8(ascii: "A") + UInt8(randof(10))))
            let number = String(randof(100000))
            try publisher.send("\(letter)-" + String(repeating: "0", count: 5 - number.count) + number)
            sleep(milliseconds: 100)
        }
    }

    /// The listener: prints every frame the proxy copies to its pipe.
    static func listenerTask(context: Context, pipe: Socket) throws {
        while true {
            print(dumpLine(of: try pipe.receiveBytes()))
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let threads = [
            startThread {
                do { try Self.publisherTask(context: context) } catch { reportUnlessStopped(error) }
                // However the signal reached the process, this ends the proxy too
                context.shutdown()
            },
            startThread {
                do { try Self.subscriberTask(context: context) } catch { reportUnlessStopped(error) }
            },
        ]
        let subscriber = try context.socket(.xsub)
        try subscriber.set(.linger, to: 0)
        try subscriber.connect("tcp://localhost:6000")
        let publisher = try context.socket(.xpub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        try publisher.bind("tcp://*:6001")
        let listener = try ZActor(context, Self.listenerTask)
        try listener.pipe.set(.linger, to: 0)

        do {
            try ZMQ.proxy(frontend: subscriber, backend: publisher, capture: listener.pipe)
        } catch {
            if !error.isStop { throw error }
        }
        print(" interrupted")
        // Tell the threads to end, as destroying the C's context does
        context.shutdown()
        listener.join()
        threads.forEach { $0.join() }
    }
}

/// Prints a thread's error unless it is the interrupt or the shutdown that ends it.
func reportUnlessStopped(_ error: any Error) {
    if let error = error as? ZMQError, error.isStop { return }
    printError("E: \(error)")
}
