// Fuzz target: the Binary Star state message a peer sends (one frame, its
// state as ASCII decimal), fed to the state machine: no crash, only the four
// peer states accepted, and the machine stays in one of its states.
import BinaryStar
import FuzzSupport

/// The entry point: libFuzzer's driver, calling fuzzBinaryStar(_:_:) with each input.
@_cdecl("FuzzBinaryStar_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzBinaryStar)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBinaryStar(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    var machines = [BinaryStarMachine(primary: true), BinaryStarMachine(primary: false)]
    var now: Int64 = 0
    for frame in input {
        now += Int64(frame.count) * 700
        guard let event = BinaryStarMachine.Event(stateMessage: frame) else { continue }
        require(event != .clientRequest, "a client request read as a state message")
        require(frame.count <= 2, "a long state message accepted")
        for index in machines.indices {
            machines[index].peerSeen(at: now)
            _ = machines[index].handle(event, at: now)
            _ = machines[index].handle(.clientRequest, at: now + BinaryStarMachine.peerTimeout + 1)
            // What this machine would send its peer reads back as its state
            let sent = Array(String(machines[index].state.rawValue).utf8)
            require(BinaryStarMachine.Event(stateMessage: sent)?.rawValue == machines[index].state.rawValue,
                    "own state message does not read back")
        }
    }
    return 0
}
