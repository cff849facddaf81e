// Broker peering simulation, part 2: the request-reply flow.
// Each broker load-balances its own clients' requests over its own workers,
// and sends about one request in five to a random peer broker instead (the
// cloud). Requests that peers send us go to our workers, and their replies
// go back to the peer they came from.
import ArgumentParser
import ZHelpers
import ZMQ

let clientCount = 10
let workerCount = 3
let workerReady: [UInt8] = [1]   // a worker's first message: it is ready

@main
struct Peering2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peering2",
        abstract: "Broker peering, part 2: local clients and workers, with requests sent across the cloud.",
        usage: "peering2 me {you}...")

    @Argument(help: "This broker's name; it binds ipc://<me>-cloud.ipc, -localfe.ipc and -localbe.ipc.")
    var me: String

    @Argument(help: "The names of the peer brokers to connect to.")
    var peers: [String] = []

    func run() throws {
        print("I: preparing broker at \(me)...")
        catchSignals()
        let context = try Context()

        // The cloud frontend takes requests from peers, as if they were clients
        let cloudfe = try context.socket(.router)
        try cloudfe.set(.linger, to: 0)
        try cloudfe.set(.routingID, to: Array(me.utf8))
        try cloudfe.bind("ipc://\(me)-cloud.ipc")

        // The cloud backend passes requests to peers, as if they were workers
        let cloudbe = try context.socket(.router)
        try cloudbe.set(.linger, to: 0)
        try cloudbe.set(.routingID, to: Array(me.utf8))
        for peer in peers {
            print("I: connecting to cloud frontend at '\(peer)'")
            try cloudbe.connect("ipc://\(peer)-cloud.ipc")
        }

        // The local frontend talks to our clients, the local backend to our workers
        let localfe = try context.socket(.router)
        try localfe.set(.linger, to: 0)
        try localfe.bind("ipc://\(me)-localfe.ipc")
        let localbe = try context.socket(.router)
        try localbe.set(.linger, to: 0)
        try localbe.bind("ipc://\(me)-localbe.ipc")

        // Peers get no state from us, so let the user say when they are all up
        print("Press Enter when all brokers are started: ", terminator: "")
        flushOutput()
        _ = readLineUnlessInterrupted()   // Ctrl-C or SIGTERM here ends the broker
        if isInterrupted { return }

        let me = self.me
        let workers = try (0..<workerCount).map { _ in try ZActor(context) { context, pipe in
            try workerTask(context, pipe, broker: me)
        } }
        let clients = try (0..<clientCount).map { _ in try ZActor(context) { context, pipe in
            try clientTask(context, pipe, broker: me)
        } }

        // Poll the backends always, the frontends only while a worker is free
        var ready: [Frame] = []   // free workers, least recently used first
        var backends = Poller()
        backends.add(localbe)
        backends.add(cloudbe)
        var frontends = Poller()
        frontends.add(cloudfe)
        frontends.add(localfe)
        while !isInterrupted {
            do {
                try backends.poll(timeout: ready.isEmpty ? nil : .seconds(1))
            } catch {
                if error.isInterrupted { break }   // Ctrl-C
                throw error
            }
            var reply: ZMsg?
            if backends.isReadable(0) {
                // A worker: it is free again, and its message is a reply or READY
                let frames = try localbe.receiveMultipart()
                guard let message = WorkerMessage(parsing: frames, ready: workerReady) else {
                    printError("E: malformed message from a worker, dropped")
                    continue
                }
                if !ready.contains(message.worker) { ready.append(message.worker) }   // queued once
                if message.isMalformedReply { printError("E: malformed reply from a worker, dropped") }
                reply = message.reply
            } else if backends.isReadable(1) {
                // A peer broker's reply; its name is of no use to us
                var message = try ZMsg.receive(from: cloudbe)
                _ = message.unwrap()
                if message.isEmpty {
                    printError("E: malformed reply from a peer broker, dropped")
                } else {
                    reply = message
                }
            }
            // A reply addressed to a peer broker goes back across the cloud,
            // any other to one of our clients
            if let reply, let address = reply.first {
                try reply.send(to: peers.contains(address.string) ? cloudfe : localfe)
            }

            // Route as many requests as we have free workers. Peers' requests
            // come first, so that they are not starved, and only requests of
            // our own clients may go to the cloud: one in five, at random,
            // for now.
            while !ready.isEmpty {
                try frontends.poll(timeout: .zero)
                var request: ZMsg
                var reroutable = false
                if frontends.isReadable(0) {
                    request = try ZMsg.receive(from: cloudfe)
                } else if frontends.isReadable(1) {
                    request = try ZMsg.receive(from: localfe)
                    reroutable = true
                } else {
                    break   // no work: back to the backends
                }
                guard request.envelope != nil else {
                    printError("E: malformed request, dropped")
                    continue
                }
                if reroutable && !peers.isEmpty && randof(5) == 0 {
                    request.push(peers[randof(peers.count)])
                    try request.send(to: cloudbe)
                } else {
                    request.wrap(ready.removeFirst())
                    try request.send(to: localbe)
                }
            }
        }
        // Stop the clients and workers, then close the sockets
        for actor in workers + clients { actor.stop() }
    }
}

/// A client: sends HELLO to its broker's local frontend, prints the reply,
/// and does it again a second later, until its creator stops it.
func clientTask(_ context: Context, _ pipe: Socket, broker: String) throws {
    let client = try context.socket(.req)
    try client.set(.linger, to: 0)
    try client.connect("ipc://\(broker)-localfe.ipc")
    var poller = Poller()
    poller.add(pipe)
    poller.add(client)
    while true {
        try client.send("HELLO")
        try poller.poll()
        if poller.isReadable(0) { return }   // asked to stop
        print("Client: \(try client.receiveString())")
        sleep(milliseconds: 1000)
    }
}

/// A worker: tells its broker's local backend it is ready, then answers
/// every request with OK, printing the request's body first.
func workerTask(_ context: Context, _ pipe: Socket, broker: String) throws {
    let worker = try context.socket(.req)
    try worker.set(.linger, to: 0)
    try worker.connect("ipc://\(broker)-localbe.ipc")
    try worker.send(workerReady)
    var poller = Poller()
    poller.add(pipe)
    poller.add(worker)
    while true {
        try poller.poll()
        if poller.isReadable(0) { return }   // asked to stop
        var message = try ZMsg.receive(from: worker)
        guard let body = message.last else { continue }
        print("D: " + timestampPrefix() + "Worker: " + dumpLine(of: body))
        message.frames[message.count - 1] = Array("OK".utf8)
        try message.send(to: worker)
    }
}
