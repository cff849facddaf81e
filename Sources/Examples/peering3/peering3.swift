// Broker peering simulation, part 3: the full cluster.
// Each broker has clients that send bursts of tasks and workers that take
// up to a second per task. When all its own workers are busy and a peer has
// said it has free workers, a broker sends its clients' tasks to a random
// peer (the cloud). Brokers tell each other their free-worker count over
// PUB/SUB whenever it changes. Clients report each answered task, or a lost
// one, through a PUSH/PULL monitor socket that the broker prints.
import ArgumentParser
import ZHelpers
import ZMQ

let clientCount = 10
let workerCount = 5
let workerReady: [UInt8] = [1]   // a worker's first message: it is ready

@main
struct Peering3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peering3",
        abstract: "Broker peering, part 3: full cluster simulation with state, local, cloud and monitor flows.",
        usage: "peering3 me {you}...")

    @Argument(help: "This broker's name; its ipc endpoints are named after it.")
    var me: String

    @Argument(help: "The names of the peer brokers to connect to.")
    var peers: [String] = []

    func run() throws {
        print("I: preparing broker at \(me)...")
        catchSignals()
        let context = try Context()

        // The local frontend talks to our clients, the local backend to our workers
        let localfe = try context.socket(.router)
        try localfe.set(.linger, to: 0)
        try localfe.bind("ipc://\(me)-localfe.ipc")
        let localbe = try context.socket(.router)
        try localbe.set(.linger, to: 0)
        try localbe.bind("ipc://\(me)-localbe.ipc")

        // The cloud frontend takes tasks from peers as if they were clients;
        // the cloud backend passes tasks to peers as if they were workers
        let cloudfe = try context.socket(.router)
        try cloudfe.set(.linger, to: 0)
        try cloudfe.set(.routingID, to: Array(me.utf8))
        try cloudfe.bind("ipc://\(me)-cloud.ipc")
        let cloudbe = try context.socket(.router)
        try cloudbe.set(.linger, to: 0)
        try cloudbe.set(.routingID, to: Array(me.utf8))
        for peer in peers {
            print("I: connecting to cloud frontend at '\(peer)'")
            try cloudbe.connect("ipc://\(peer)-cloud.ipc")
        }

        // The state backend publishes our free-worker count; the state
        // frontend collects the peers' counts
        let statebe = try context.socket(.pub)
        try statebe.limitSubscriptions()
        try statebe.set(.linger, to: 0)
        try statebe.bind("ipc://\(me)-state.ipc")
        let statefe = try context.socket(.sub)
        try statefe.set(.linger, to: 0)
        try statefe.subscribe()
        for peer in peers {
            print("I: connecting to state backend at '\(peer)'")
            try statefe.connect("ipc://\(peer)-state.ipc")
        }

        // The monitor collects the clients' reports, to print them
        let monitor = try context.socket(.pull)
        try monitor.set(.linger, to: 0)
        try monitor.bind("ipc://\(me)-monitor.ipc")

        let me = self.me
        for _ in 0..<workerCount {
            startThread { runTask("worker") { try workerTask(context, broker: me) } }
        }
        for _ in 0..<clientCount {
            startThread { runTask("client") { try clientTask(context, broker: me) } }
        }

        var ready: [Frame] = []   // free workers, least recently used first
        var cloudCapacity = 0     // free workers a peer last told us about

        // The primary poll set always watches the workers, the peers' replies
        // and states, and the monitor. Requests are only taken (secondary
        // poll set) while some worker, local or in the cloud, is free.
        var primary = Poller()
        primary.add(localbe)
        primary.add(cloudbe)
        primary.add(statefe)
        primary.add(monitor)
        var secondary = Poller()
        secondary.add(localfe)
        secondary.add(cloudfe)
        do {
            while !isInterrupted {
                try primary.poll(timeout: ready.isEmpty ? nil : .seconds(1))
                let previous = ready.count
                var reply: ZMsg?
                if primary.isReadable(0) {
                    // A worker: it is free again, and its message is a reply or READY
                    let frames = try localbe.receiveMultipart()
                    if let message = WorkerMessage(parsing: frames, ready: workerReady) {
                        if !ready.contains(message.worker) { ready.append(message.worker) }   // queued once
                        if message.isMalformedReply { printError("E: malformed reply from a worker, dropped") }
                        reply = message.reply
                    } else {
                        printError("E: malformed message from a worker, dropped")
                    }
                } else if primary.isReadable(1) {
                    // A peer broker's reply; its name is of no use to us
                    var message = try ZMsg.receive(from: cloudbe)
                    _ = message.unwrap()
                    if message.isEmpty {
                        printError("E: malformed reply from a peer broker, dropped")
                    } else {
                        reply = message
                    }
                }
                // A reply addressed to a peer broker goes back across the
                // cloud, any other to one of our clients
                if let reply, let address = reply.first {
                    try reply.send(to: peers.contains(address.string) ? cloudfe : localfe)
                }

                if primary.isReadable(2) {
                    // A peer's state: its name, then its free-worker count
                    let frames = try statefe.receiveMultipart()
                    if frames.count == 2 {
                        cloudCapacity = peerCapacity(frames[1].string) ?? 0
                    } else {
                        printError("E: malformed state message of \(frames.count) frames, dropped")
                    }
                }
                if primary.isReadable(3) {
                    print(try monitor.receiveString())
                }

                // Route as many requests as there are free workers: locally
                // while we have some, else to a random peer. Peers' requests
                // are only taken while we have local workers free.
                while ready.count + cloudCapacity > 0 {
                    secondary.setEvents(ready.isEmpty ? [] : .readable, at: 1)
                    try secondary.poll(timeout: .zero)
                    var request: ZMsg
                    if secondary.isReadable(0) {
                        request = try ZMsg.receive(from: localfe)
                    } else if secondary.isReadable(1) {
                        request = try ZMsg.receive(from: cloudfe)
                    } else {
                        break   // no work: back to the primary poll set
                    }
                    guard request.envelope != nil else {
                        printError("E: malformed request, dropped")
                        continue
                    }
                    if !ready.isEmpty {
                        request.wrap(ready.removeFirst())
                        try request.send(to: localbe)
                    } else if !peers.isEmpty {
                        request.push(peers[randof(peers.count)])
                        try request.send(to: cloudbe)
                    }
                }
                // Tell the peers our free-worker count, only when it changed,
                // to keep the chatter down
                if ready.count != previous {
                    try statebe.sendMore(me)
                    try statebe.send(String(ready.count))
                }
            }
        } catch {
            if !error.isInterrupted { throw error }   // Ctrl-C: shut down below
        }
        // Make the clients' and workers' blocking calls fail, so that they
        // close their sockets and the context can terminate
        context.shutdown()
    }
}

/// Runs a client's or worker's body on its thread; the context shutting
/// down (or a signal) is the normal way for it to end.
func runTask(_ name: String, _ body: () throws -> Void) {
    do {
        try body()
    } catch let error as ZMQError where error.isStop {
    } catch {
        printError("E: \(name): \(error)")
    }
}

/// A client: now and then, sends a burst of tasks with random hexadecimal
/// ids, one at a time. It reports each answered task to the monitor, and
/// gives up, reporting the lost task, when one stays unanswered ten seconds.
func clientTask(_ context: Context, broker: String) throws {
    let client = try context.socket(.req)
    try client.set(.linger, to: 0)
    try client.connect("ipc://\(broker)-localfe.ipc")
    let monitor = try context.socket(.push)
    try monitor.set(.linger, to: 0)
    try monitor.connect("ipc://\(broker)-monitor.ipc")

    // A PUSH socket never has input: polling it is a sleep that ends early
    // when the context shuts down
    var idle = Poller()
    idle.add(monitor)
    var poller = Poller()
    poller.add(client)
    while true {
        try idle.poll(timeout: .seconds(randof(5)))
        for _ in 0..<randof(15) {
            let digits = String(randof(0x10000), radix: 16, uppercase: true)
            let taskID = String(repeating: "0", count: 4 - digits.count) + digits
            try client.send(taskID)
            guard try poller.poll(timeout: .seconds(10)) > 0 else {
                try monitor.send("E: CLIENT EXIT - lost task \(taskID)")
                return
            }
            // The worker answers with our task id
            let reply = try client.receiveString()
            if reply != taskID {
                printError("E: client: reply \(reply) to task \(taskID)")
            }
            try monitor.send(reply)
        }
    }
}

/// A worker: tells its broker it is ready, then echoes each task back after
/// zero or one second of pretend work.
func workerTask(_ context: Context, broker: String) throws {
    let worker = try context.socket(.req)
    try worker.set(.linger, to: 0)
    try worker.connect("ipc://\(broker)-localbe.ipc")
    try worker.send(workerReady)
    while true {
        let message = try ZMsg.receive(from: worker)
        sleep(milliseconds: randof(2) * 1000)
        try message.send(to: worker)
    }
}
