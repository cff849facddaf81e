// File transfer, model 1: the client asks for the file once and the server
// sends all of it in chunks of 250,000 bytes, ending with an empty chunk,
// with no flow control at all (an unlimited high-water mark). Client and
// server are two threads of this process, over tcp port 6000.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct FileIO1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fileio1",
        abstract: "File transfer model 1: the server sends all of ./testdata at once (make it with mktestdata).")

    static let chunkSize = 250_000

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The client: one "fetch", then chunks until the empty one.
    static func clientTask(context: Context, pipe: Socket) throws {
        let dealer = try context.socket(.dealer)
        try dealer.set(.linger, to: 0)
        try dealer.connect("tcp://127.0.0.1:6000")
        try dealer.send("fetch")
        var total = 0    // bytes received
        var chunks = 0   // chunks received
        while true {
            let chunk = try dealer.receiveMessage()
            chunks += 1
            total += chunk.size
            if chunk.size == 0 { break }   // the whole file is here
        }
        print("\(chunks) chunks received, \(total) bytes")
        try pipe.send("OK")
    }

    /// The server: for each "fetch", the whole file in chunks, then an
    /// empty chunk. Says READY on its pipe once bound, or why it is not.
    static func serverTask(context: Context, pipe: Socket) throws {
        guard let file = fopen("testdata", "r") else {
            try pipe.send("cannot open testdata: \(String(cString: strerror(errno)))")
            return
        }
        defer { fclose(file) }
        let router = try context.socket(.router)
        try router.set(.linger, to: 0)
        // More than the default 1,000 chunks may be queued: no limit at all,
        // the guide's "simple, stupid solution"
        try router.set(.sendHighWaterMark, to: 0)
        try router.set(.receiveHighWaterMark, to: 0)
        do { try router.bind("tcp://*:6000") } catch {
            try pipe.send("bind tcp://*:6000: \(error.message)")
            return
        }
        try pipe.send("READY")
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            // [identity, "fetch"]
            let request = try router.receiveMultipart()
            guard request.count == 2, request[1] == Array("fetch".utf8) else {
                printError("E: malformed request (\(request.count) frames), dropped")
                continue
            }
            rewind(file)
            while true {
                let size = fread(&buffer, 1, chunkSize, file)
                try router.send(request[0], flags: .more)
                try router.send(Array(buffer.prefix(size)))
                if size == 0 { break }   // always end with an empty chunk
            }
        }
    }

    func run() throws {
        let context = try Context()
        let server = try ZActor(context, Self.serverTask)
        let hello = try server.pipe.receiveString()
        guard hello == "READY" else { throw Failure(description: hello) }
        let client = try ZActor(context, Self.clientTask)
        // Wait for the client to say it is done, then end both threads
        _ = try client.pipe.receiveString()
        context.shutdown()
        for actor in [client, server] {
            actor.join()
            actor.pipe.close()
        }
    }
}
