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
        // Two frames per message: a high-water mark of twice the pipeline
        // is a sanity check, not a limit a well-behaved client meets
        try router.set(.sendHighWaterMark, to: Int32(pipeline * 2))
        try router.set(.receiveHighWaterMark, to: Int32(pipeline * 2))
        // A ROUTER drops what does not fit; libzmq 4.3's count of queued
        // messages lags, so it can drop a chunk even within the credit. Make
        // a full queue hold the server up instead of losing the chunk.
        try router.set(.routerMandatory, to: true)
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
            do {
                try router.send(request[0], flags: .more)
                try router.send(Array(buffer.prefix(read)))
            } catch {
                if error.isInterrupted { try pipe.send("INTERRUPTED"); return }
                if error == .hostUnreachable { continue }   // the client left: nobody to send to
                throw error
            }
        }
    }

    func run() throws {
        let context = try Context()
        var actors: [Actor] = []
        defer {
            context.shutdown()
            for actor in actors {
                actor.join()
                actor.pipe.close()
            }
        }
        if role != .client {
            if role == .server { catchSignals() }
            let server = try Actor(context, Self.serverTask)
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
        let client = try Actor(context, Self.clientTask)
        actors.append(client)
        // Wait for the client to say it is done, then end both threads
        _ = try client.pipe.receiveString()
    }
}
