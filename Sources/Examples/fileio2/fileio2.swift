// File transfer, model 2: the client asks for each chunk in turn (offset
// and size) and the server answers each request with one chunk: no queue
// can overflow, at the cost of a round trip per chunk. Client and server
// are two threads of this process, over tcp port 6000.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FileIO2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fileio2",
        abstract: "File transfer model 2: the client fetches ./testdata one chunk at a time (make it with mktestdata).")

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case both, server, client
    }

    @Option(help: "Run both threads (as the guide does), only the server (until Ctrl-C) or only the client.")
    var role = Role.both

    @Option(help: "Seconds the client waits for a chunk before it gives up (the guide's client waits forever).")
    var timeout = 10

    static let chunkSize = 250_000
    /// The largest chunk the server reads for one request.
    static let largestChunk = 16 * 1024 * 1024

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The client: asks for the chunk at the next offset, and waits for it,
    /// until a chunk comes back short (the end of the file). Reports OK, or
    /// FAILED when a chunk never came.
    static func clientTask(context: Context, pipe: Socket, timeout: Int) throws {
        let dealer = try context.socket(.dealer)
        try dealer.set(.linger, to: 0)
        try dealer.set(.sendHighWaterMark, to: 1)
        try dealer.set(.receiveHighWaterMark, to: 1)
        try dealer.connect("tcp://127.0.0.1:6000")
        var poller = Poller()
        poller.add(dealer)

        var total = 0    // bytes received
        var chunks = 0   // chunks received
        var complete = true
        while true {
            // ["fetch", offset, size]
            try dealer.sendMore("fetch")
            try dealer.sendMore(String(total))
            try dealer.send(String(chunkSize))
            // A reply the high-water mark dropped would leave us waiting forever
            if try poller.poll(timeoutMilliseconds: timeout * 1000) == 0 {
                printError("E: no chunk within \(timeout) s of asking for offset \(total): the reply was lost, giving up")
                complete = false
                break
            }
            let chunk = try dealer.receiveMessage()
            chunks += 1
            total += chunk.size
            if chunk.size < chunkSize { break }   // the last chunk
        }
        print("\(chunks) chunks received, \(total) bytes")
        try pipe.send(complete ? "OK" : "FAILED")
    }

    /// The server: answers each [identity, "fetch", offset, size] with
    /// [identity, chunk]. Says READY on its pipe once bound, or why it is not;
    /// says INTERRUPTED if a signal ends its wait.
    static func serverTask(context: Context, pipe: Socket) throws {
        guard let file = fopen("testdata", "r") else {
            try pipe.send("cannot open testdata: \(String(cString: strerror(errno)))")
            return
        }
        defer { fclose(file) }
        let router = try context.socket(.router)
        try router.set(.linger, to: 0)
        try router.set(.sendHighWaterMark, to: 1)
        try router.set(.receiveHighWaterMark, to: 1)
        do { try router.bind("tcp://*:6000") } catch {
            try pipe.send("bind tcp://*:6000: \(error.message)")
            return
        }
        try pipe.send("READY")
        var buffer: [UInt8] = []
        while true {
            let request: [[UInt8]]
            do { request = try router.receiveMultipart() } catch {
                if error.isInterrupted { try pipe.send("INTERRUPTED"); return }
                throw error
            }
            guard request.count == 4, request[1] == Array("fetch".utf8),
                  let offset = Int(String(decoding: request[2], as: UTF8.self)), offset >= 0,
                  let size = Int(String(decoding: request[3], as: UTF8.self)), (0...largestChunk).contains(size)
            else {
                printError("E: malformed fetch request (\(request.count) frames), dropped")
                continue
            }
            // Read the chunk at that offset: short or empty past the end
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            fseeko(file, off_t(offset), SEEK_SET)
            let read = fread(&buffer, 1, size, file)
            try router.send(request[0], flags: .more)
            try router.send(Array(buffer.prefix(read)))
        }
    }

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be at least 1 second") }
    }

    func run() throws {
        let context = try Context()
        var actors: [ZActor] = []
        defer {
            context.shutdown()
            for actor in actors {
                actor.join()
                actor.pipe.close()
            }
        }
        if role != .client {
            if role == .server { catchSignals() }
            let server = try ZActor(context, Self.serverTask)
            actors.append(server)
            let hello = try server.pipe.receiveString()
            guard hello == "READY" else { throw Failure(description: hello) }
            if role == .server {
                // Serve until Ctrl-C (or SIGTERM)
                do { _ = try server.pipe.receiveString() } catch {
                    if !error.isInterrupted { throw error }
                }
                return
            }
        }
        let timeout = timeout
        let client = try ZActor(context) { context, pipe in
            try Self.clientTask(context: context, pipe: pipe, timeout: timeout)
        }
        actors.append(client)
        // Wait for the client to say it is done, then end both threads
        if try client.pipe.receiveString() != "OK" { throw ExitCode.failure }
    }
}
