import Foundation
import Testing
@testable import Discovery

/// The interface agent's bookkeeping, without the network (the scenarios
/// run the agent itself, alone on loopback).
@Suite("Discovery peer table")
struct PeerTableTests {
    let own: [UInt8] = Array(0..<16)
    let other: [UInt8] = Array(repeating: 0xAB, count: 15) + [0x01]

    @Test("a UUID prints as 32 upper-case hex digits")
    func hex() {
        #expect(uuidHex([0x00, 0x1F, 0xA0, 0xFF]) == "001FA0FF")
        #expect(uuidHex(uuidBytes(UUID())).count == 32)
        let uuid = UUID()
        #expect(uuidHex(uuidBytes(uuid)) == uuid.uuidString.replacingOccurrences(of: "-", with: ""))
    }

    @Test("a new peer joins once; its later beacons only keep it alive")
    func joinsOnce() {
        var table = PeerTable(ownUUID: own, expiry: 5000)
        #expect(table.beaconReceived(other, at: 1000) == uuidHex(other))
        #expect(table.beaconReceived(other, at: 2000) == nil)
        #expect(table.expiresAt[uuidHex(other)] == 7000)
    }

    @Test("our own beacon and datagrams of any other size than 16 are ignored")
    func ignored() {
        var table = PeerTable(ownUUID: own)
        #expect(table.beaconReceived(own, at: 0) == nil)
        #expect(table.beaconReceived([], at: 0) == nil)
        #expect(table.beaconReceived([0x21], at: 0) == nil)
        #expect(table.beaconReceived(other + [0], at: 0) == nil)
        #expect(table.expiresAt.isEmpty)
    }

    @Test("a peer silent for the expiry leaves, once")
    func leaves() {
        var table = PeerTable(ownUUID: own, expiry: 5000)
        _ = table.beaconReceived(other, at: 0)
        #expect(table.reap(at: 4999).isEmpty)
        #expect(table.reap(at: 5000) == [uuidHex(other)])
        #expect(table.reap(at: 6000).isEmpty)
        // Heard again: joins again
        #expect(table.beaconReceived(other, at: 7000) == uuidHex(other))
    }

    @Test("the guide's constants: port 9999, a beacon a second, five seconds to leave")
    func constants() {
        #expect(Interface.defaultPort == 9999)
        #expect(Interface.defaultInterval == 1000)
        #expect(Interface.defaultExpiry == 5000)
    }
}
