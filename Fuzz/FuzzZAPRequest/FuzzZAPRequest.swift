// Fuzz target: ZAPRequest(frames:), the authenticator reading what libzmq
// passes on from a connecting peer, and the policy's decision on it: no
// crash, and an accepted request has the shape its mechanism needs.
import FuzzSupport
import ZHelpers

/// The entry point: libFuzzer's driver, calling fuzzZAPRequest(_:_:) with each input.
@_cdecl("FuzzZAPRequest_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzZAPRequest)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZAPRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    guard let request = ZAPRequest(frames: input) else { return 0 }
    require(input.count >= 6 && request.version == "1.0", "wrong version or too few frames accepted")
    require(request.requestID == input[1] && request.routingID == input[4], "ids changed")
    require(request.credentials == Array(input.dropFirst(6)), "credentials are not the rest")
    switch request.mechanism {
    case "NULL": require(request.credentials.isEmpty, "NULL with credentials")
    case "PLAIN": require(request.credentials.count == 2, "PLAIN without user and password")
    case "CURVE": require(request.credentials.count == 1 && request.credentials[0].count == 32, "CURVE without a key")
    default: require(false, "unknown mechanism \(request.mechanism) accepted")
    }
    // Re-encoded from its fields it reads back the same
    let rebuilt: [[UInt8]] = [Array(request.version.utf8), request.requestID, Array(request.domain.utf8),
                              Array(request.address.utf8), request.routingID, Array(request.mechanism.utf8)]
        + request.credentials
    require(ZAPRequest(frames: rebuilt) == request, "a rebuilt request reads differently")
    var policy = AuthenticationPolicy()
    policy.denied = [request.address]
    _ = policy.decide(request)
    policy.denied = []
    policy.passwords = ["admin": "secret"]
    policy.curveLocation = Authenticator.anyCurveKey
    _ = policy.decide(request)
    return 0
}
