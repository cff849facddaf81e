// Asynchronous client/server (DEALER to ROUTER).
// Three client threads, each a DEALER with a random identity, send a request
// to tcp://localhost:5570 once a second and print every reply that comes back.
// The server thread proxies between a ROUTER frontend and a DEALER backend
// that five worker threads share; a worker answers each request with zero to
// four copies of it, at random intervals. The threads stand in for separate
// processes, sharing one context. The program stops after five seconds.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct AsyncSrv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asyncsrv",
        abstract: "Asynchronous client/server: three DEALER clients, a ROUTER-DEALER proxy and five workers, for five seconds.")

    @Option(help: "How long to run, in seconds (0: until Ctrl-C or SIGTERM).")
    var seconds = 5

    func validate() throws {
        guard seconds >= 0 else { throw ValidationError("--seconds must be 0 or more") }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let clients = try (0..<3).map { _ in try ZActor(context, clientTask) }
        let server = try ZActor(context, serverTask)

        // Run for the given time (five seconds in the guide), or until a signal
        let end = clockMilliseconds() + Int64(seconds) * 1000
        while !isInterrupted && (seconds == 0 || clockMilliseconds() < end) {
            sleep(milliseconds: 100)
        }
        // Without waiting: after a signal the server thread may have ended already
        try? server.pipe.send("TERMINATE", flags: .dontWait)
        server.join()
        clients.forEach { $0.stop() }
    }
}

/// A client: sends "request #N" once a second and prints the replies as they
/// arrive, each prefixed with the client's identity.
func clientTask(_ context: Context, _ pipe: Socket) throws {
    let client = try context.socket(.dealer)
    try client.set(.linger, to: 0)   // as CZMQ sockets: drop what is unsent at the end
    let identity = try client.setRandomIdentity()   // before connecting
    try client.connect("tcp://localhost:5570")

    var poller = Poller()
    poller.add(pipe)
    poller.add(client)
    var signaled = false
    var requestNumber = 0
    while !signaled {
        // Tick once a second, taking in replies as they arrive
        for _ in 0..<100 {
            try poller.poll(timeoutMilliseconds: 10)
            if poller.isReadable(0) {
                signaled = true
                break
            }
            if poller.isReadable(1) {
                let reply = try client.receiveMultipart()
                print("D: " + timestampPrefix() + identity + dumpLine(of: reply.last ?? []))
            }
        }
        requestNumber += 1
        try client.send("request #\(requestNumber)")
    }
}

/// The server: five workers behind a proxy from the ROUTER frontend to the
/// DEALER backend, until "TERMINATE" arrives on the pipe.
func serverTask(_ context: Context, _ pipe: Socket) throws {
    // Start the pool of workers; the precise number does not matter
    let workers = try (0..<5).map { _ in try ZActor(context, serverWorker) }

    let frontend = try context.socket(.router)
    try frontend.set(.linger, to: 0)
    try frontend.bind("tcp://*:5570")
    let backend = try context.socket(.dealer)
    try backend.set(.linger, to: 0)
    try backend.bind("inproc://backend")

    // The pipe steers the proxy: it returns when told to terminate
    try ZMQ.proxySteerable(frontend: frontend, backend: backend, control: pipe)
    workers.forEach { $0.stop() }
}

/// A worker: takes one request at a time and sends back zero to four
/// copies of it, sleeping up to a second before each.
func serverWorker(_ context: Context, _ pipe: Socket) throws {
    let worker = try context.socket(.dealer)
    try worker.set(.linger, to: 0)
    try worker.connect("inproc://backend")

    var poller = Poller()
    poller.add(pipe)
    poller.add(worker)
    var pipeOnly = Poller()
    pipeOnly.add(pipe)
    while true {
        try poller.poll()
        if poller.isReadable(0) { break }
        guard poller.isReadable(1) else { continue }

        // The DEALER gives us the reply envelope (the client's identity) and the request
        let request = try worker.receiveMultipart()
        guard request.count == 2 else {
            printError("E: malformed request of \(request.count) frames, dropped")
            continue
        }
        for _ in 0..<randof(5) {
            // Sleep up to a second, but stop at once when the pipe says so
            if try pipeOnly.poll(timeout: .milliseconds(randof(1000) + 1)) > 0 { return }
            do throws(ZMQError) {
                try worker.send(request[0], flags: [.more, .dontWait])
                try worker.send(request[1], flags: .dontWait)
            } catch {
                guard error.isAgain else { throw error }   // the backend is full: drop this copy
            }
        }
    }
}
