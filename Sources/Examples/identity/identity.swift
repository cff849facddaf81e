// Request-reply identities.
// A ROUTER receives one request from a REQ socket that let libzmq choose its
// identity and one from a REQ socket that chose "PEER2", and dumps both: the
// first frame of each message is the identity the ROUTER knows the peer by.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Identity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Shows the identity frames a ROUTER sees from an anonymous REQ and from one named PEER2.")

    func run() throws {
        let context = try Context()
        let sink = try context.socket(.router)
        try sink.bind("inproc://example")

        // libzmq makes up an identity for a peer that sets none
        let anonymous = try context.socket(.req)
        try anonymous.connect("inproc://example")
        try anonymous.send("ROUTER uses a generated 5 byte identity")
        try sink.dump()

        // A peer that sets its own identity is known by it
        let identified = try context.socket(.req)
        try identified.set(.routingID, to: Array("PEER2".utf8))
        try identified.connect("inproc://example")
        try identified.send("ROUTER socket uses REQ's socket identity")
        try sink.dump()
    }
}
