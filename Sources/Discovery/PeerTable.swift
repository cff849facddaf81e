// The peers an interface agent has heard from, and when each goes silent:
// the bookkeeping of the guide's interface class, without any I/O so that it
// can be tested alone.
import Foundation

/// A 16-byte binary UUID as the guide prints it: 32 upper-case hex digits.
public func uuidHex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 15)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// The 16 bytes of `uuid`, as they travel in a beacon.
public func uuidBytes(_ uuid: UUID) -> [UInt8] {
    withUnsafeBytes(of: uuid.uuid) { Array($0) }
}

/// The peers known to one node, keyed by their UUID in hex, each with the
/// time (milliseconds) at which it is considered gone unless heard again.
public struct PeerTable: Sendable {
    /// The length of a beacon: one binary UUID.
    public static let beaconSize = 16

    /// This node's own UUID, whose beacons (echoes of its own) are ignored.
    public let ownUUID: [UInt8]
    /// How long a peer may stay silent before it is reported as gone (ms).
    public let expiry: Int64
    /// Known peers: UUID in hex → expiry time in ms.
    public private(set) var expiresAt: [String: Int64] = [:]

    /// An empty table for the node `ownUUID`, forgetting peers after `expiry` ms.
    public init(ownUUID: [UInt8], expiry: Int64 = 5000) {
        self.ownUUID = ownUUID
        self.expiry = expiry
    }

    /// Takes in one received datagram at time `now` (ms). Returns the peer's
    /// UUID in hex when this is a new peer (to report as JOINED), or nil:
    /// a known peer (whose expiry moves on), this node's own beacon, or a
    /// datagram that is not a 16-byte UUID (ignored).
    public mutating func beaconReceived(_ bytes: [UInt8], at now: Int64) -> String? {
        guard bytes.count == Self.beaconSize, bytes != ownUUID else { return nil }
        let key = uuidHex(bytes)
        let isNew = expiresAt[key] == nil
        expiresAt[key] = now + expiry
        return isNew ? key : nil
    }

    /// Removes and returns (in hex, sorted) every peer silent since its
    /// expiry at time `now` (to report as LEFT).
    public mutating func reap(at now: Int64) -> [String] {
        let gone = expiresAt.filter { now >= $0.value }.keys.sorted()
        for key in gone { expiresAt[key] = nil }
        return gone
    }
}
