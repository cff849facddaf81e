// Fuzz target: the discovery interface's beacon handling (PeerTable, fed
// each datagram as the agent receives it, cut to 17 bytes) and the dotted
// address check of the UDP helper: no crash; only 16-byte beacons other
// than our own join, each once, and every peer leaves after its expiry.
import Discovery
import FuzzSupport
import UDP

/// The entry point: libFuzzer's driver, calling fuzzDiscovery(_:_:) with each input.
@_cdecl("FuzzDiscovery_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzDiscovery)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDiscovery(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    let own = input.first.map { Array($0.prefix(16)) } ?? []
    var table = PeerTable(ownUUID: own, expiry: 5000)
    var joined: Set<String> = []
    var now: Int64 = 0
    for datagram in input.dropFirst() {
        let beacon = Array(datagram.prefix(PeerTable.beaconSize + 1))
        now += Int64(datagram.count) * 100
        for gone in table.reap(at: now) { joined.remove(gone) }
        if let peer = table.beaconReceived(beacon, at: now) {
            require(beacon.count == 16 && beacon != own, "a datagram that is no beacon joined")
            require(peer == uuidHex(beacon) && peer.utf8.count == 32, "peer name is not the UUID in hex")
            require(!joined.contains(peer), "a known peer joined again")
            joined.insert(peer)
        }
        require(Set(table.expiresAt.keys) == joined, "table and joined peers differ")
        _ = isDottedIPv4(String(decoding: datagram, as: UTF8.self))
    }
    let left = table.reap(at: now + 5000)
    require(Set(left) == joined && table.expiresAt.isEmpty, "a peer did not leave after its expiry")
    return 0
}
