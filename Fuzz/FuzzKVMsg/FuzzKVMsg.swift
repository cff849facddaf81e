// Fuzz target: KeyValueMessage from frames (five frames, or kvsimple's
// three), its properties frame, and what the Clone server does with a
// client's properties (TTL): no crash, and an accepted message re-encodes
// to the frames it came from.
import FuzzSupport
import KVMsg

/// The entry point: libFuzzer's driver, calling fuzzKVMsg(_:_:) with each input.
@_cdecl("FuzzKVMsg_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzKVMsg)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKVMsg(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    let keyIsText = input.first.map { String(validating: $0, as: UTF8.self) != nil } ?? false

    if let message = try? KeyValueMessage(frames: input) {
        require(input.count == 5, "not five frames accepted")
        if keyIsText { require(message.frames == input, "frames do not rebuild the input") }
        require((try? KeyValueMessage(frames: message.frames)) == message, "decode(encode(m)) != m")
        for property in message.properties {
            require(!property.name.isEmpty && !property.name.contains("=") && !property.name.contains("\n")
                    && !property.value.contains("\n"), "a property that cannot be written back")
        }
        // The server's handling of a client's update
        var stored = message
        for now: Int64 in [0, 1_700_000_000_000, .max] {
            stored.makeTTLAbsolute(now: now)
            _ = stored.hasExpired(now: now)
        }
        _ = message.ttl
        _ = message.description
        _ = message.isInSubtree("/client/")
        var map: [String: KeyValueMessage] = [:]
        message.store(in: &map)
        _ = mapDigestLine(map)
    }
    // The last frame as a client's "ttl" property, as the server reads it
    if let last = input.last {
        var update = KeyValueMessage(key: "k", body: "v")
        update.setProperty("ttl", to: String(decoding: last, as: UTF8.self))
        for now: Int64 in [0, 1_700_000_000_000, .max, .min] {
            var stored = update
            stored.makeTTLAbsolute(now: now)
            _ = stored.hasExpired(now: now)
        }
    }
    // Any single frame as a properties frame
    for frame in input.prefix(4) {
        guard let properties = try? KeyValueMessage.decodeProperties(frame) else { continue }
        var message = KeyValueMessage(key: "k")
        for property in properties { message.setProperty(property.name, to: property.value) }
        if Set(properties.map(\.name)).count == properties.count {
            require(message.encodedProperties == frame, "properties do not re-encode to their frame")
        }
        require((try? KeyValueMessage.decodeProperties(message.encodedProperties)) == message.properties,
                "written properties do not read back")
    }
    return 0
}
