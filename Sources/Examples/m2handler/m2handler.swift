// A Mongrel2 handler: the web server speaks HTTP to browsers and hands each
// request to its handlers over ØMQ, so a backend is just a ØMQ peer that
// any number of copies can share. Mongrel2 binds a PUSH socket (send_spec)
// that deals requests out to handlers, and a SUB socket (recv_spec) that
// takes their replies, addressed to its own UUID and to connection ids.
// This handler serves a page at / and echoes requests under /echo/.
import ArgumentParser
import Foundation
import Mongrel2
import ZHelpers
import ZMQ

@main
struct M2Handler: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "m2handler",
        abstract: "A Mongrel2 handler: PULL requests from send_spec, PUB HTTP replies to recv_spec.")

    @Option(help: "Mongrel2's send_spec, where requests come from.") var sendSpec = "tcp://127.0.0.1:9997"
    @Option(help: "Mongrel2's recv_spec, where replies go.") var recvSpec = "tcp://127.0.0.1:9996"
    @Option(help: "This handler's identity on recv_spec (default: a new UUID).") var senderID = UUID().uuidString
    @Option(help: "A name for this handler, shown in its replies (default: m2handler-PID).") var name = "m2handler-\(getpid())"
    @Flag(help: "Print no line per request (for benchmarks).") var quiet = false

    func run() throws {
        let context = try Context()
        let requests = try context.socket(.pull)
        try requests.connect(sendSpec)
        let replies = try context.socket(.pub)
        try replies.set(.routingID, to: Array(senderID.utf8))
        try replies.connect(recvSpec)
        catchSignals()
        print("I: \(name) ready: requests from \(sendSpec), replies to \(recvSpec)")

        while !isInterrupted {
            let message: [UInt8]
            do { message = try requests.receiveBytes() } catch {
                if error.isInterrupted { break }
                throw error
            }
            let request: Mongrel2Request
            do { request = try Mongrel2Request(parsing: message) } catch {
                printError("E: \(error), dropped (\(message.count) bytes)")
                continue
            }
            if request.isDisconnect {
                if !quiet { print("I: connection \(request.connectionID) closed") }
                continue
            }
            if !quiet { print("I: \(request.method) \(request.path) from connection \(request.connectionID)") }
            try replies.send(respond(to: request))
        }
    }

    /// The HTTP reply to one request: the page, an echo, or 404.
    func respond(to request: Mongrel2Request) -> [UInt8] {
        let served = [("X-Handler", name)]
        if request.path == "/" {
            let page = """
                <!DOCTYPE html>
                <html><head><title>ØMQ behind Mongrel2</title></head>
                <body><h1>Hello from \(name)</h1>
                <p>Mongrel2 took your HTTP request and passed it to this Swift handler over ØMQ.
                Try <a href="/echo/hello">/echo/hello</a>.</p></body></html>

                """
            return Mongrel2Reply.http(to: request, body: Array(page.utf8),
                                      headers: served + [("Content-Type", "text/html; charset=utf-8")])
        }
        if request.path.hasPrefix("/echo/") {
            var lines = ["\(request.method) \(request.path)", "handler: \(name)"]
            lines += request.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            if !request.body.isEmpty { lines.append("body: \(String(decoding: request.body, as: UTF8.self))") }
            return Mongrel2Reply.http(to: request, body: Array((lines.joined(separator: "\n") + "\n").utf8),
                                      headers: served + [("Content-Type", "text/plain; charset=utf-8")])
        }
        return Mongrel2Reply.http(to: request, body: Array("Not found: \(request.path)\n".utf8), code: 404,
                                  status: "Not Found", headers: served + [("Content-Type", "text/plain")])
    }
}
