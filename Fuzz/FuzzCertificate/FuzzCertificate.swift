// Fuzz target: Certificate.parse, reading a certificate file that may come
// from anyone (a directory of allowed public certificates): no crash, and a
// parsed certificate's keys are valid Z85 CURVE keys.
import FuzzSupport
import ZHelpers
import ZMQ

/// The entry point: libFuzzer's driver, calling fuzzCertificate(_:_:) with each input.
@_cdecl("FuzzCertificate_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzCertificate)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCertificate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let text = String(decoding: bytes, as: UTF8.self)
    guard let certificate = Certificate.parse(text) else { return 0 }
    require(certificate.publicKey.utf8.count == 40 && Z85.decode(certificate.publicKey)?.count == 32,
            "public key is not a CURVE key")
    if let secret = certificate.secretKey {
        require(secret.utf8.count == 40 && Z85.decode(secret)?.count == 32, "secret key is not a CURVE key")
        _ = certificate.keyPair
    }
    // The same file with its lines ended by CR LF reads the same
    let crlf = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    if !text.contains("\r") {
        require(Certificate.parse(crlf) == certificate, "CR LF line ends read differently")
    }
    return 0
}
