// File transfer, model 3: the client keeps up to ten chunk requests in
// flight (its credit), asking for one more each time a chunk arrives, so
// the transfer runs at full speed while neither side ever holds more than
// ten chunks. Client and server are two threads of this process, over tcp
// port 6000; --role runs only one of them, to meet an outside peer.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FileIO3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fileio3",
        abstract: "File transfer model 3: credit-based flow control over ./testdata (make it with mktestdata).")

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case both, server, client
    }

    @Option(help: "Run both threads (as the guide does), only the server (until Ctrl-C) or only the client.")
    var role = Role.both

    static let chunkSize = 250_000
    static let pipeline = 10   // chunks in flight at most
    /// The largest chunk the server reads for one request.
    static let largestChunk = 16 * 1024 * 1024

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The client: spends its credit on requests for the next offsets, gets
    /// one credit back per chunk received, until a chunk comes back short.
    static func clientTask(context: Context, pipe: Socket) throws {
        let dealer = try context.socket(.dealer)
        try dealer.set(.linger, to: 0)
        try dealer.connect("tcp://127.0.0.1:6000")

        var credit = pipeline   // requests we may still send
        var total = 0           // bytes received
        var chunks = 0          // chunks received
        var offset = 0          // offset of the next request
        while true {
            while credit > 0 {
                // ["fetch", offset, size]
                try dealer.sendMore("fetch")
                try dealer.sendMore(String(offset))
                try dealer.send(String(chunkSize))
                offset += chunkSize
                credit -= 1
            }
            let chunk = try dealer.receiveMessage()
            chunks += 1
            credit += 1
            total += chunk.size
            if chunk.size < chunkSize { break }   // the last chunk
        }
        print("\(chunks) chunks received, \(total) bytes")
        try pipe.send("OK")
    }

    /// The server: answers each [identity, "fetch", offset, size] with
    /// [identity, chunk], in order. Says READY on its pipe once bound, or why
    /// it is not; says INTERRUPTED if a signal ends its wait.
    static func serverTask(context: Context, pipe: Socket) throws {
        guard let file = fopen("testdata", "r") else {
            try pipe.send("cannot open testdata: \(String(cString: strerror(errno)))")
            return
        }
        defer { fclose(file) }
        let router = try context.socket(.router)
        try router.set(.linger, to: 0)
        // Two frames per message: a high-water mark of twice the pipeline
        // is a sanity check, not a limit a well-behaved client meets
        try router.set(.sendHighWaterMark, to: Int32(pipeline * 2))
        try router.set(.receiveHighWaterMark, to: Int32(pipeline * 2))
        // A ROUTER drops a reply that does not fit; libzmq 4.3's count of
        // queued messages lags, so it drops chunks even within the credit.
        // Mandatory routing refuses instead, and the reply waits its turn.
        try router.set(.routerMandatory, to: true)
        do { try router.bind("tcp://*:6000") } catch {
            try pipe.send("bind tcp://*:6000: \(error.message)")
            return
        }
        try pipe.send("READY")

        var poller = Poller()
        poller.add(router)
        var waiting: [Request] = []   // requests not answered yet, oldest first
        var buffer: [UInt8] = []
        while true {
            // Take in requests: wait for one when all are answered, else
            // look briefly while the oldest reply waits for room
            do {
                if try poller.poll(timeoutMilliseconds: waiting.isEmpty ? -1 : 10) > 0 {
                    while let request = try receiveRequest(router) {
                        if waiting.count < largestBacklog { waiting.append(request) } else {
                            printError("E: too many requests waiting, fetch at offset \(request.offset) dropped")
                        }
                    }
                }
            } catch {
                if error.isInterrupted { try pipe.send("INTERRUPTED"); return }
                throw error
            }
            // Answer as many as there is room for
            while let request = waiting.first {
                do { try router.send(request.identity, flags: [.more, .dontWait]) } catch {
                    if error.isAgain { break }   // the client's queue is full: later
                    if error.isInterrupted { try pipe.send("INTERRUPTED"); return }
                    if error != .hostUnreachable { throw error }
                    waiting.removeFirst()        // the client left: nobody to send to
                    continue
                }
                // The chunk at that offset: short or empty past the end
                if buffer.count < request.size { buffer = [UInt8](repeating: 0, count: request.size) }
                fseeko(file, off_t(request.offset), SEEK_SET)
                let read = fread(&buffer, 1, request.size, file)
                try router.send(Array(buffer.prefix(read)))
                waiting.removeFirst()
            }
        }
    }

    /// A client's request for the chunk of `size` bytes at `offset`.
    struct Request {
        let identity: [UInt8]
        let offset: Int
        let size: Int
    }

    /// The most requests the server keeps waiting for room.
    static let largestBacklog = 10_000

    /// The next [identity, "fetch", offset, size] waiting on `router`, or nil
    /// if none is; a malformed request is logged and dropped.
    static func receiveRequest(_ router: Socket) throws(ZMQError) -> Request? {
        while true {
            let frames: [[UInt8]]
            do { frames = try router.receiveMultipart(flags: .dontWait) } catch {
                if error.isAgain { return nil }
                throw error
            }
            guard frames.count == 4, frames[1] == Array("fetch".utf8),
                  let offset = Int(String(decoding: frames[2], as: UTF8.self)), offset >= 0,
                  let size = Int(String(decoding: frames[3], as: UTF8.self)), (0...largestChunk).contains(size)
            else {
                printError("E: malformed fetch request (\(frames.count) frames), dropped")
                continue
            }
            return Request(identity: frames[0], offset: offset, size: size)
        }
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
        let client = try ZActor(context, Self.clientTask)
        actors.append(client)
        // Wait for the client to say it is done, then end both threads
        _ = try client.pipe.receiveString()
    }
}
