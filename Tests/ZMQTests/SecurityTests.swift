import Testing
import ZMQ

@Suite("Security primitives")
struct SecurityPrimitiveTests {
    @Test("Z85 encodes RFC 32's example and decodes it back")
    func z85Example() {
        let bytes: [UInt8] = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]
        #expect(Z85.encode(bytes) == "HelloWorld")
        #expect(Z85.decode("HelloWorld") == bytes)
    }

    @Test("Z85 decodes empty text to no bytes, as it encodes no bytes (found by FuzzZ85)")
    func z85Empty() {
        #expect(Z85.encode([]) == "")
        #expect(Z85.decode("") == [])
    }

    @Test("Z85 refuses lengths it cannot encode and characters outside its alphabet")
    func z85Invalid() {
        #expect(Z85.encode([1, 2, 3]) == nil)
        #expect(Z85.decode("Hello") != nil)
        #expect(Z85.decode("Hell") == nil)
        #expect(Z85.decode("Hell~") == nil)
        #expect(Z85.decode("Hel\"o") == nil)
    }

    @Test("a CURVE key pair is two 40-character Z85 keys of 32 bytes, and the public key follows from the secret one")
    func keyPair() throws {
        let keys = try CurveKeyPair()
        #expect(keys.publicKey.utf8.count == 40 && keys.secretKey.utf8.count == 40)
        #expect(Z85.decode(keys.publicKey)?.count == 32)
        #expect(try CurveKeyPair(secretKey: keys.secretKey) == keys)
        #expect(try CurveKeyPair() != keys)
        #expect(throws: ZMQError.self) { try CurveKeyPair(secretKey: "too short") }
    }

    @Test("a CURVE client with the server's key talks to it over tcp; one with another key does not")
    func curveHandshake() throws {
        let context = try Context()
        let serverKeys = try CurveKeyPair()
        let server = try context.socket(.rep)
        try server.makeCurveServer(keys: serverKeys)
        try server.bind("tcp://127.0.0.1:*")
        let endpoint = try server.get(.lastEndpoint)

        let good = try context.socket(.req)
        try good.makeCurveClient(keys: try CurveKeyPair(), serverKey: serverKeys.publicKey)
        try good.connect(endpoint)
        try good.send("ping")
        #expect(try server.receiveString() == "ping")
        try server.send("pong")
        #expect(try good.receiveString() == "pong")

        let bad = try context.socket(.req)
        try bad.makeCurveClient(keys: try CurveKeyPair(), serverKey: try CurveKeyPair().publicKey)
        try bad.set(.linger, to: 0)
        try bad.connect(endpoint)
        try bad.send("ping")
        try server.set(.receiveTimeout, to: 500)
        #expect(throws: ZMQError.again) { try server.receiveString() }
        for socket in [good, bad, server] { socket.close() }
    }
}
