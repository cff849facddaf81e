// Fuzz target: the envelope parsers a broker applies to what peers send
// (Envelope, WorkerMessage, ZMsg.unwrap) and the dump of any frames.
import FuzzSupport
import ZHelpers

/// The entry point: libFuzzer's driver, calling fuzzEnvelope(_:_:) with each input.
@_cdecl("FuzzEnvelope_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzEnvelope)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelope(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))

    if let envelope = Envelope(parsing: input) {
        require(!envelope.addresses.isEmpty && envelope.addresses.count <= 8, "address count")
        require(envelope.addresses.allSatisfy { !$0.isEmpty }, "an empty address")
        require(envelope.frames == input, "frames do not rebuild the input")
    }
    for ready: Frame in [[1], Array("READY".utf8)] {
        if let message = WorkerMessage(parsing: input, ready: ready) {
            require(message.worker == input.first, "worker is not the first frame")
            if let reply = message.reply {
                require(Array(input.dropFirst(2)) == reply.frames, "reply is not the inner message")
                require(reply.envelope != nil, "reply without a client envelope")
            }
        }
    }
    var message = ZMsg(input)
    let address = message.unwrap()
    require(address == input.first, "unwrap took another frame")
    _ = message.pop()
    _ = dumpText(of: input)
    return 0
}
