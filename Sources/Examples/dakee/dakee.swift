// Request/reply chat, from the "ZeroMQ Basics" article.
//
// Each side binds a REP socket for the other's requests and connects a REQ
// socket to the other's REP. A line typed on standard input answers the
// request that is waiting for a reply, if there is one; otherwise it goes out
// as a new request. Requests typed while an earlier one is unanswered wait
// in a queue, because a REQ socket sends only after it got its reply.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct Dakee: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dakee",
        abstract: "Request/reply chat: REP on tcp://*:PORT, REQ to the peer; lines from stdin.")

    @Option(help: "The port this side's REP socket binds.")
    var port = 5555

    @Option(help: "The other side as HOST:PORT (default: $CLIENT_IP or 127.0.0.1, port 5555).")
    var peer: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535, not \(port)") }
        if let peer, Self.split(peer) == nil {
            throw ValidationError("--peer must be HOST:PORT with a port from 1 to 65535, not '\(peer)'")
        }
    }

    /// Splits HOST:PORT (the host may be a bracketed IPv6 address).
    static func split(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"),
              let port = Int(address[address.index(after: colon)...]), (1...65535).contains(port),
              colon != address.startIndex else { return nil }
        return (String(address[..<colon]), port)
    }

    func run() throws {
        let host = ProcessInfo.processInfo.environment["CLIENT_IP"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let (peerHost, peerPort) = peer.flatMap(Self.split) ?? (host, 5555)
        catchSignals()

        let context = try Context()
        let replier = try context.socket(.rep)
        try replier.set(.linger, to: 1000)
        try replier.bind("tcp://*:\(port)")
        let requester = try context.socket(.req)
        try requester.set(.linger, to: 1000)
        try requester.connect("tcp://\(peerHost):\(peerPort)")

        var poller = Poller()
        let keyboard = poller.add(fileDescriptor: 0)
        let requests = poller.add(replier)
        let replies = poller.add(requester)

        var outbox: [String] = []      // our requests not yet sent
        var awaitingReply = false      // our REQ socket sent one and waits
        var owingReply = false         // their request waits for our answer
        var pending: [UInt8] = []      // typed bytes not yet ending a line
        var chunk = [UInt8](repeating: 0, count: 4096)

        func sendNextRequest() throws {
            if !awaitingReply, !outbox.isEmpty {
                try requester.send(outbox.removeFirst())
                awaitingReply = true
            }
        }

        do {
            chat: while !isInterrupted {
                try poller.pollUnlessInterrupted()
                if poller.isReadable(requests) {
                    print(try replier.receiveWholeString())
                    owingReply = true
                }
                if poller.isReadable(replies) {
                    print(try requester.receiveWholeString())
                    awaitingReply = false
                    try sendNextRequest()
                }
                if !poller.events(at: keyboard).isEmpty {   // readable, or closed (error)
                    let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                    if count <= 0 { break chat }   // end of input
                    pending += chunk.prefix(count)
                    while let newline = pending.firstIndex(of: 10) {
                        var line = String(decoding: pending[..<newline], as: UTF8.self)
                        pending.removeSubrange(...newline)
                        if line.hasSuffix("\r") { line.removeLast() }
                        if owingReply {
                            try replier.send(line)
                            owingReply = false
                        } else {
                            outbox.append(line)
                        }
                    }
                    try sendNextRequest()
                }
            }
        } catch let error as ZMQError where error.isInterrupted {
            // Ctrl-C: leave quietly, and at once: nothing waits to be delivered
            try? replier.set(.linger, to: 0)
            try? requester.set(.linger, to: 0)
        }
        if !outbox.isEmpty {
            printError("W: \(outbox.count) request(s) not sent: the chat ended first")
        }
    }
}
