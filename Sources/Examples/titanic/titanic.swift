// Titanic: a disconnected, persistent request-reply service on top of
// Majordomo. titanic.request stores each request on disk and answers with
// its UUID; a dispatcher delivers stored requests to their service until
// each has a reply; titanic.reply hands the reply back; titanic.close
// forgets both. Everything lives in .titanic in the working directory, so
// a restarted titanic carries on where the last one stopped.
import ArgumentParser
import Foundation
import Majordomo
import ZHelpers
import ZMQ

@main
struct Titanic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "titanic",
        abstract: "Titanic service: persistent requests under ./.titanic, via the Majordomo broker at tcp://localhost:5555.")

    @Flag(name: .customShort("v"), help: "Print each pending request as it is processed.")
    var verbose = false

    @Option(help: "The broker's endpoint.")
    var broker = "tcp://localhost:5555"

    static let directory = ".titanic"
    static let queueFile = directory + "/queue"
    static func requestFile(_ uuid: String) -> String { "\(directory)/\(uuid).req" }
    static func replyFile(_ uuid: String) -> String { "\(directory)/\(uuid).rep" }

    /// A new UUID as 32 upper-case hex digits.
    static func generateUUID() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "") }

    /// Whether `text` could be a UUID of ours (and so is safe in a file name).
    static func isUUID(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) }
    }

    /// Writes `message` to `path` whole or not at all: to a temporary file, then renamed.
    static func store(_ message: ZMsg, at path: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try message.save(toFile: path + ".tmp")
        guard rename(path + ".tmp", path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// titanic.request: stores each request, has the dispatcher queue its
    /// UUID, then answers "200" and the UUID.
    static func requestService(context: Context, pipe: Socket, broker: String) throws {
        let worker = try MajordomoWorker(broker: broker, service: "titanic.request", context: context)
        var reply: ZMsg? = nil
        while let request = try worker.receive(reply: reply) {
            // [service, body...]: a request needs both
            guard request.count >= 2 else {
                reply = ZMsg(strings: ["400"])
                continue
            }
            let uuid = generateUUID()
            try store(request, at: requestFile(uuid))
            // Only once the UUID is in the queue file does the client hear of it
            try pipe.send(uuid)
            _ = try pipe.receiveString()
            reply = ZMsg(strings: ["200", uuid])
        }
    }

    /// titanic.reply: "200" and the reply, "300" while it is pending, "400" for an unknown UUID.
    static func replyService(context: Context, broker: String) throws {
        let worker = try MajordomoWorker(broker: broker, service: "titanic.reply", context: context)
        var reply: ZMsg? = nil
        while let request = try worker.receive(reply: reply) {
            let uuid = request.first?.string ?? ""
            if isUUID(uuid), var stored = ZMsg.load(fromFile: replyFile(uuid)) {
                stored.push("200")
                reply = stored
            } else if isUUID(uuid), FileManager.default.fileExists(atPath: requestFile(uuid)) {
                reply = ZMsg(strings: ["300"])   // pending
            } else {
                reply = ZMsg(strings: ["400"])   // unknown
            }
        }
    }

    /// titanic.close: forgets a request and its reply; safe to repeat.
    static func closeService(context: Context, broker: String) throws {
        let worker = try MajordomoWorker(broker: broker, service: "titanic.close", context: context)
        var reply: ZMsg? = nil
        while let request = try worker.receive(reply: reply) {
            let uuid = request.first?.string ?? ""
            if isUUID(uuid) {
                try? FileManager.default.removeItem(atPath: requestFile(uuid))
                try? FileManager.default.removeItem(atPath: replyFile(uuid))
            }
            reply = ZMsg(strings: ["200"])
        }
    }

    /// Runs a service thread; a thread that fails says so on standard error.
    static func serve(_ name: String, _ body: @escaping @Sendable () throws -> Void) {
        startThread {
            do {
                try body()
            } catch {
                if (error as? ZMQError)?.isStop != true { printError("E: \(name): \(error)") }
            }
        }
    }

    func run() throws {
        catchSignals()
        let context = try Context()
        let broker = self.broker
        let requestPipe = try ZActor(context) { context, pipe in
            try Self.requestService(context: context, pipe: pipe, broker: broker)
        }
        Self.serve("titanic.reply") { try Self.replyService(context: context, broker: broker) }
        Self.serve("titanic.close") { try Self.closeService(context: context, broker: broker) }

        // The dispatcher: queue new UUIDs, and once a second (or at once
        // when one arrives) try every pending request
        var poller = Poller()
        poller.add(requestPipe.pipe)
        while !isInterrupted {
            do {
                try poller.poll(timeoutMilliseconds: 1000)
                if poller.isReadable(0) {
                    let uuid = try requestPipe.pipe.receiveString()
                    try appendToQueue("-" + uuid + "\n")
                    try requestPipe.pipe.send("OK")
                }
                try dispatchPending(context: context)
            } catch {
                if (error as? ZMQError)?.isInterrupted == true { break }
                throw error
            }
        }
        context.shutdown()   // the service threads' waits end
    }

    /// Appends one entry to the queue file.
    func appendToQueue(_ entry: String) throws {
        try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: Self.queueFile) {
            _ = FileManager.default.createFile(atPath: Self.queueFile, contents: nil)
        }
        guard let file = FileHandle(forWritingAtPath: Self.queueFile) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? file.close() }
        try file.seekToEnd()
        try file.write(contentsOf: Data(entry.utf8))
    }

    /// Goes through the queue file: each entry is "-" (pending) or "+"
    /// (done) and a UUID on a line of its own. A pending request whose
    /// service answers is marked done in place.
    func dispatchPending(context: Context) throws {
        guard let queue = FileManager.default.contents(atPath: Self.queueFile),
              let file = FileHandle(forUpdatingAtPath: Self.queueFile) else { return }
        defer { try? file.close() }
        var offset = 0
        for line in queue.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { offset += line.count + 1 }
            guard line.count >= 33, line.first == UInt8(ascii: "-") else { continue }
            let uuid = String(decoding: line.dropFirst().prefix(32), as: UTF8.self)
            if verbose { print("I: processing request \(uuid)") }
            if try serviceSuccess(uuid, context: context) {
                try file.seek(toOffset: UInt64(offset))
                try file.write(contentsOf: Data("+".utf8))
            }
            if isInterrupted { break }
        }
    }

    /// Tries to deliver one stored request: asks the broker whether its
    /// service has a worker, and if so sends it and stores the reply.
    /// True when the request is done with (answered, or closed meanwhile).
    func serviceSuccess(_ uuid: String, context: Context) throws -> Bool {
        guard Self.isUUID(uuid), var request = ZMsg.load(fromFile: Self.requestFile(uuid)),
              let service = request.pop() else {
            return true   // the client closed it already
        }
        let client = try MajordomoClient(broker: broker, context: context)
        client.timeout = 1000   // a short wait,
        client.retries = 1      // and one attempt only
        let lookup = try client.send(service: MDP.serviceLookup, request: ZMsg([service]))
        guard lookup?.first == Array("200".utf8),
              let reply = try client.send(service: service.string, request: request) else {
            return false
        }
        try Self.store(reply, at: Self.replyFile(uuid))
        return true
    }
}
