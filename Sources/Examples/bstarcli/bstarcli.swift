// Binary Star client, proof of concept: sends a numbered request once a
// second and, when a reply does not come within a second, closes its
// socket, waits for the servers to settle, and asks the other server.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct BStarCli: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bstarcli",
        abstract: "Binary Star client: tcp://localhost:5001, failing over to tcp://localhost:5002 and back.")

    static let requestTimeout = 1000   // msecs
    static let settleDelay = 2000      // msecs, before failing over

    func run() throws {
        catchSignals()
        let context = try Context()
        let servers = ["tcp://localhost:5001", "tcp://localhost:5002"]
        var serverNumber = 0

        /// A fresh REQ socket connected to the current server.
        func connect() throws -> Socket {
            print("I: connecting to server at \(servers[serverNumber])...")
            let client = try context.socket(.req)
            try client.set(.linger, to: 0)
            try client.connect(servers[serverNumber])
            return client
        }

        var client = try connect()
        var sequence = 0
        sending: while !isInterrupted {
            // Send a request, then work to get its reply
            sequence += 1
            let request = String(sequence)
            try client.send(request)

            var expectReply = true
            while expectReply {
                var poller = Poller()
                let item = poller.add(client)
                do { try poller.poll(timeoutMilliseconds: Self.requestTimeout) } catch { break sending }

                // Lazy Pirate: no reply in time means the server is gone or
                // will not serve; the clients' votes decide which server
                // serves, so try each server in turn
                if poller.isReadable(item) {
                    // A reply must carry our sequence number
                    let reply = try client.receiveString()
                    if Int(reply) == sequence {
                        print("I: server replied OK (\(reply))")
                        expectReply = false
                        sleep(milliseconds: 1000)   // one request a second
                    } else {
                        print("E: bad reply from server: \(reply)")
                    }
                } else {
                    print("W: no response from server, failing over")
                    // The old socket is confused: close it, open a new one
                    client.close()
                    serverNumber = (serverNumber + 1) % 2
                    sleep(milliseconds: Self.settleDelay)
                    if isInterrupted { break sending }
                    client = try connect()
                    // Send the same request again, on the new socket
                    try client.send(request)
                }
            }
        }
    }
}
