// Majordomo Protocol broker: one ROUTER socket for clients and workers,
// services created when first named, idle workers heartbeated and expired,
// and the "mmi.service" lookup answered by the broker itself.
import ArgumentParser
import Majordomo
import ZHelpers
import ZMQ

@main
struct MDBroker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mdbroker",
        abstract: "Majordomo Protocol broker: ROUTER bound to tcp://*:5555 for clients and workers.")

    @Flag(name: .customShort("v"), help: "Trace every message received and sent.")
    var verbose = false

    @Option(help: "The endpoint to bind.")
    var endpoint = "tcp://*:5555"

    func run() throws {
        catchSignals()
        let broker = try Broker(verbose: verbose)
        try broker.bind(endpoint)

        // Get and process messages until interrupted
        var poller = Poller()
        poller.add(broker.socket)
        while true {
            do {
                try poller.pollUnlessInterrupted(timeout: .milliseconds(MDP.heartbeatInterval))
                // Process every message already waiting (up to a batch), so
                // that a busy broker polls once per batch, not per message
                var batch = poller.isReadable(0) ? 256 : 0
                while batch > 0, let message = try broker.receive() {
                    batch -= 1
                    if verbose {
                        logLine("I: received message:")
                        message.dump()
                    }
                    try broker.handle(message)
                }
                // Forget expired workers, heartbeat the idle ones when it is time
                if clockMilliseconds() > broker.heartbeatAt {
                    try broker.purge()
                    for worker in broker.waiting {
                        try broker.send(to: worker, .heartbeat)
                    }
                    broker.heartbeatAt = clockMilliseconds() + Int64(MDP.heartbeatInterval)
                }
            } catch {
                if error.isInterrupted { break }
                throw error
            }
        }
        if isInterrupted { print("W: interrupt received, shutting down...") }
    }
}

/// A service: its queued requests and its idle workers.
final class Service {
    let name: Frame
    var requests = Queue<ZMsg>()   // [client, "", body...], oldest first
    var waiting: [Worker] = []     // idle workers, longest idle first
    var workers = 0                // live workers, idle or busy
    init(name: Frame) { self.name = name }
}

/// A worker the broker knows, idle or busy.
final class Worker {
    let identity: Frame
    weak var service: Service?   // set by READY; the broker owns services (weak: no cycle with Service.waiting)
    var expiry: Int64 = 0   // when the worker expires unless it heartbeats
    init(identity: Frame) { self.identity = identity }
    /// The identity as hex, as the guide's traces print it.
    var idString: String { identity.map { String($0, radix: 16, uppercase: true).leftPadded(2) }.joined() }
}

/// The broker's state: its socket, services, workers and idle workers.
final class Broker {
    let socket: Socket
    let verbose: Bool
    var services: [Frame: Service] = [:]
    var workers: [Frame: Worker] = [:]
    var waiting: [Worker] = []   // idle workers of every service, longest idle first
    var heartbeatAt = clockMilliseconds() + Int64(MDP.heartbeatInterval)

    init(verbose: Bool) throws(ZMQError) {
        let context = try Context()
        socket = try context.socket(.router)
        try socket.set(.linger, to: 0)
        self.verbose = verbose
    }

    func bind(_ endpoint: String) throws(ZMQError) {
        try socket.bind(endpoint)
        logLine("I: MDP broker/0.2.0 is active at \(endpoint)")
    }

    /// The next message if one is waiting, else nil.
    func receive() throws(ZMQError) -> ZMsg? {
        do {
            return try ZMsg.receive(from: socket, flags: .dontWait)
        } catch {
            if error.isAgain { return nil }
            throw error
        }
    }

    /// One message from the socket: a client's request or a worker's
    /// command. A message that breaks the protocol is reported and dropped.
    func handle(_ message: ZMsg) throws(ZMQError) {
        let input: MDP.BrokerInput
        do {
            input = try MDP.BrokerInput(message)
        } catch {
            printError("E: invalid message (\(error)) of \(message.count) frames, \(message.contentSize) bytes, dropped")
            return
        }
        switch input {
        case .client(let sender, let service, let body):
            try clientMessage(from: sender, service: service, body: body)
        case .worker(let sender, let command, let rest):
            try workerMessage(from: sender, command, rest)
        }
    }

    /// READY, REPLY, HEARTBEAT or DISCONNECT from a worker.
    func workerMessage(from sender: Frame, _ command: MDP.Command, _ rest: ZMsg) throws(ZMQError) {
        let known = workers[sender] != nil
        let worker = requireWorker(sender)
        var message = rest
        switch command {
        case .ready:
            let serviceName = message.pop() ?? []
            if known || MDP.isManagementService(serviceName) {
                // Not the first command of its session, or a reserved name
                try delete(worker, disconnect: true)
            } else {
                // Attach the worker to its service and mark it idle
                let service = requireService(serviceName)
                worker.service = service
                service.workers += 1
                try markWaiting(worker)
            }
        case .reply:
            if known, let service = worker.service {
                // [client, "", body...] back to the client with the protocol frames
                guard let client = message.unwrap() else { return }
                try MDP.brokerToClient(client, service: service.name, body: message).send(to: socket)
                try markWaiting(worker)
            } else {
                try delete(worker, disconnect: true)
            }
        case .heartbeat:
            if known {
                worker.expiry = clockMilliseconds() + Int64(MDP.heartbeatExpiry)
            } else {
                try delete(worker, disconnect: true)
            }
        case .disconnect:
            try delete(worker, disconnect: false)
        case .request:
            break   // refused by MDP.BrokerInput
        }
    }

    /// A client's request: answered here for mmi.* services, else queued for the service.
    func clientMessage(from sender: Frame, service serviceName: Frame, body: ZMsg) throws(ZMQError) {
        if MDP.isManagementService(serviceName) {
            var code = "501"
            if serviceName == Array(MDP.serviceLookup.utf8) {
                // 200 only while the service has a live worker
                let named = body.last.flatMap { services[$0] }
                code = (named?.workers ?? 0) > 0 ? "200" : "404"
            }
            var reply = body
            reply.frames[reply.count - 1] = Array(code.utf8)
            try MDP.brokerToClient(sender, service: serviceName, body: reply).send(to: socket)
        } else {
            var request = body
            request.wrap(sender)
            try dispatch(requireService(serviceName), request)
        }
    }

    /// Deletes idle workers that have been silent too long. Workers wait
    /// in the order they became idle, so the scan stops at the first live one.
    func purge() throws(ZMQError) {
        let now = clockMilliseconds()
        while let worker = waiting.first, now >= worker.expiry {
            if verbose { logLine("I: deleting expired worker: \(worker.idString)") }
            try delete(worker, disconnect: false)
        }
    }

    /// The service called `name`, created on first use.
    func requireService(_ name: Frame) -> Service {
        if let service = services[name] { return service }
        let service = Service(name: name)
        services[name] = service
        if verbose { logLine("I: added service: \(name.string)") }
        return service
    }

    /// Queues `request` (if any), then gives queued requests to idle workers.
    func dispatch(_ service: Service, _ request: ZMsg?) throws(ZMQError) {
        if let request { service.requests.append(request) }
        try purge()
        while !service.waiting.isEmpty, let request = service.requests.popFirst() {
            let worker = service.waiting.removeFirst()
            waiting.removeAll { $0 === worker }
            try send(to: worker, .request, body: request)
        }
    }

    /// The worker with `identity`, created on first contact.
    func requireWorker(_ identity: Frame) -> Worker {
        if let worker = workers[identity] { return worker }
        let worker = Worker(identity: identity)
        workers[identity] = worker
        if verbose { logLine("I: registering new worker: \(worker.idString)") }
        return worker
    }

    /// Forgets `worker`, first telling it to reconnect if `disconnect`.
    func delete(_ worker: Worker, disconnect: Bool) throws(ZMQError) {
        if disconnect { try send(to: worker, .disconnect) }
        if let service = worker.service {
            service.waiting.removeAll { $0 === worker }
            service.workers -= 1
        }
        waiting.removeAll { $0 === worker }
        workers[worker.identity] = nil
    }

    /// Sends a command, with a body for REQUEST, to a worker.
    func send(to worker: Worker, _ command: MDP.Command, body: ZMsg = ZMsg()) throws(ZMQError) {
        let message = MDP.brokerToWorker(worker.identity, command, body: body)
        if verbose {
            logLine("I: sending \(command.name) to worker")
            message.dump()
        }
        try message.send(to: socket)
    }

    /// The worker is idle: it waits for its service's next request.
    func markWaiting(_ worker: Worker) throws(ZMQError) {
        guard let service = worker.service else { return }
        waiting.append(worker)
        service.waiting.append(worker)
        worker.expiry = clockMilliseconds() + Int64(MDP.heartbeatExpiry)
        try dispatch(service, nil)
    }
}

/// A first-in first-out queue whose removals from the front take constant time.
struct Queue<Element> {
    private var items: [Element?] = []
    private var head = 0
    var isEmpty: Bool { head == items.count }
    mutating func append(_ item: Element) { items.append(item) }
    mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head >= 1024 && head * 2 >= items.count {   // drop the consumed part
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}

extension String {
    /// The string with zeros before it up to `width` characters.
    func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
