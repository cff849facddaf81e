// The guide's interface class (chapter 8): a background agent that
// broadcasts this node's UUID over UDP once a second, listens for the
// beacons of other nodes, and tells the application which peers joined the
// network and which went silent.
import Foundation
import UDP
import ZHelpers
import ZMQ

/// A node's interface to its network of peers (the guide's `interface_t`).
///
/// Making one starts an agent thread which broadcasts a beacon (the node's
/// 16-byte UUID) to UDP port 9999 once a second, the first at once, and
/// reports each new peer as `["JOINED", UUID]` and each peer silent for five
/// seconds as `["LEFT", UUID]`, the UUID in upper-case hex. Its own beacon and
/// datagrams that are not 16 bytes long are ignored.
///
/// ```swift
/// let interface = try Interface()            // loopback broadcast by default
/// while true { try interface.receive().dump() }
/// ```
public final class Interface {
    /// The guide's beacon port.
    public static let defaultPort: UInt16 = 9999
    /// The guide's beacon interval: once a second (ms).
    public static let defaultInterval: Int64 = 1000
    /// The guide's peer expiry: five seconds of silence (ms).
    public static let defaultExpiry: Int64 = 5000

    /// This node's UUID, as its beacons carry it.
    public let uuid: [UInt8]
    private let context: Context
    private let agent: ZActor

    /// Starts the agent, broadcasting to `broadcastAddress` on `port`.
    /// Throws if the agent cannot set up its UDP socket.
    public init(
        port: UInt16 = defaultPort,
        broadcastAddress: String = loopbackBroadcast,
        interval: Int64 = defaultInterval,
        expiry: Int64 = defaultExpiry
    ) throws {
        let uuid = uuidBytes(UUID())
        self.uuid = uuid
        context = try Context()
        agent = try ZActor(context) { _, pipe in
            try InterfaceAgent.run(pipe: pipe, uuid: uuid, port: port, broadcastAddress: broadcastAddress,
                                   interval: interval, expiry: expiry)
        }
        // The agent's first word: READY, or why it could not start
        let hello = try ZMsg.receive(from: agent.pipe)
        guard hello.first == Array("READY".utf8) else {
            agent.join()
            agent.pipe.close()
            throw InterfaceError(reason: String(decoding: hello.last ?? [], as: UTF8.self))
        }
    }

    deinit {
        agent.stop()
        agent.pipe.close()
    }

    /// Waits for the next JOINED or LEFT message from the agent
    /// (`interface_recv`). A signal makes it throw ``ZMQError/interrupted``.
    public func receive() throws(ZMQError) -> ZMsg {
        try ZMsg.receive(from: agent.pipe)
    }
}

/// The interface's agent could not start, for `reason` (such as
/// `bind: Address already in use`).
public struct InterfaceError: Error, CustomStringConvertible {
    /// What went wrong.
    public let reason: String
    /// The reason.
    public var description: String { reason }
}

/// The agent thread: beacons out, beacons in, peers reaped.
enum InterfaceAgent {
    static func run(pipe: Socket, uuid: [UInt8], port: UInt16, broadcastAddress: String,
                    interval: Int64, expiry: Int64) throws {
        let udp: UDPSocket
        do {
            udp = try UDPSocket(port: port, broadcastAddress: broadcastAddress)
        } catch {
            try pipe.send(multipart: [Array("ERROR".utf8), Array(error.description.utf8)])
            return
        }
        try pipe.send("READY")
        var peers = PeerTable(ownUUID: uuid, expiry: expiry)

        var poller = Poller()
        let pipeItem = poller.add(pipe)
        let udpItem = poller.add(fileDescriptor: udp.fileDescriptor)
        var pingAt = clockMilliseconds()   // the first beacon at once
        while true {
            let timeout = max(0, pingAt - clockMilliseconds())
            try poller.poll(timeoutMilliseconds: Int(timeout))

            // Commands from the application: none yet but the stop request
            if poller.isReadable(pipeItem) {
                let command = try ZMsg.receive(from: pipe)
                if command.first == Array(ZActor.terminate.utf8) { return }
            }
            // A beacon: one byte more than a UUID, so that longer ones show as such
            if !poller.events(at: udpItem).isEmpty,
               let datagram = try udp.receive(maxLength: PeerTable.beaconSize + 1),
               let joined = peers.beaconReceived(datagram.bytes, at: clockMilliseconds()) {
                try pipe.send(multipart: [Array("JOINED".utf8), Array(joined.utf8)])
            }
            if clockMilliseconds() >= pingAt {
                try udp.send(uuid)
                pingAt = clockMilliseconds() + interval
            }
            for gone in peers.reap(at: clockMilliseconds()) {
                try pipe.send(multipart: [Array("LEFT".utf8), Array(gone.utf8)])
            }
        }
    }
}
