// Last value cache: a proxy between a publisher (frontend SUB, connected to
// tcp://localhost:5557) and subscribers (backend XPUB, bound to
// tcp://*:5558) that keeps the last message of each topic and sends it to a
// subscriber as soon as it subscribes to that topic.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct LVCache: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lvcache",
        abstract: "Last value cache: forwards tcp://localhost:5557 to tcp://*:5558 and answers each new subscription with the cached value.")

    func run() throws {
        catchSignals()
        let context = try Context()
        let frontend = try context.socket(.sub)
        try frontend.set(.linger, to: 0)
        try frontend.connect("tcp://localhost:5557")
        let backend = try context.socket(.xpub)
        try backend.limitSubscriptions()
        try backend.set(.linger, to: 0)
        // Every subscription reaches us, also to a topic another subscriber has
        try backend.set(.xpubVerbose, to: true)
        try backend.bind("tcp://*:5558")

        // Subscribe to every topic of the publisher
        try frontend.subscribe("")

        // The last data of each topic
        var cache: [[UInt8]: [UInt8]] = [:]

        var poller = Poller()
        let frontendItem = poller.add(frontend)
        let backendItem = poller.add(backend)
        while !isInterrupted {
            do {
                try poller.poll(timeoutMilliseconds: 1000)
            } catch {
                if error.isInterrupted { break }
                throw error
            }
            // New data for a topic: cache it, then pass it on
            if poller.isReadable(frontendItem) {
                let frames = try frontend.receiveMultipart()
                guard frames.count == 2 else {
                    printError("E: malformed update (\(frames.count) frames instead of [topic, data]), dropped")
                    continue
                }
                cache[frames[0]] = frames[1]
                try backend.send(multipart: frames)
            }
            // A subscription: one byte, 1 to subscribe or 0 to unsubscribe,
            // then the topic. Answer a subscription with the cached data.
            if poller.isReadable(backendItem) {
                let frames = try backend.receiveMultipart()
                guard frames.count == 1, let event = frames[0].first, event <= 1 else {
                    printError("E: malformed subscription, dropped")
                    continue
                }
                if event == 1 {
                    let topic = Array(frames[0].dropFirst())
                    print("Sending cached topic \(String(decoding: topic, as: UTF8.self))")
                    if let previous = cache[topic] {
                        try backend.send(multipart: [topic, previous])
                    }
                }
            }
        }
    }
}
