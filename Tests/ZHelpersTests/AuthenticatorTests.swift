import Foundation
import Testing
import ZHelpers
import ZMQ

@Suite("Authenticator and certificates")
struct AuthenticatorTests {
    func request(_ mechanism: String, address: String = "127.0.0.1", credentials: [[UInt8]] = []) -> ZAPRequest? {
        ZAPRequest(frames: [Array("1.0".utf8), [7], [], Array(address.utf8), [], Array(mechanism.utf8)] + credentials)
    }

    @Test("a ZAP request needs six frames, version 1.0, a known mechanism and the credentials it takes")
    func parsing() {
        #expect(request("NULL") != nil)
        #expect(request("PLAIN", credentials: [Array("admin".utf8), Array("secret".utf8)])?.credentials.count == 2)
        #expect(request("CURVE", credentials: [[UInt8](repeating: 1, count: 32)]) != nil)
        #expect(request("CURVE", credentials: [[1, 2, 3]]) == nil)
        #expect(request("PLAIN", credentials: [Array("admin".utf8)]) == nil)
        #expect(request("GSSAPI") == nil)
        #expect(ZAPRequest(frames: [Array("1.0".utf8), [7], []]) == nil)
        #expect(ZAPRequest(frames: []) == nil)
        #expect(ZAPRequest(frames: [Array("2.0".utf8), [7], [], [], [], Array("NULL".utf8)]) == nil)
    }

    @Test("addresses: an allow list shuts out every other address; a deny list only its own")
    func addresses() throws {
        var policy = AuthenticationPolicy()
        policy.denied = ["127.0.0.3"]
        #expect(policy.decide(try #require(request("NULL", address: "127.0.0.2"))).allowed)
        #expect(!policy.decide(try #require(request("NULL", address: "127.0.0.3"))).allowed)
        policy.allowed = ["127.0.0.1"]
        #expect(policy.decide(try #require(request("NULL"))).allowed)
        #expect(!policy.decide(try #require(request("NULL", address: "127.0.0.2"))).allowed)
    }

    @Test("PLAIN: only a listed user with its password; nothing at all before passwords are set")
    func plain() throws {
        var policy = AuthenticationPolicy()
        let right = try #require(request("PLAIN", credentials: [Array("admin".utf8), Array("secret".utf8)]))
        let wrong = try #require(request("PLAIN", credentials: [Array("admin".utf8), Array("guess".utf8)]))
        #expect(!policy.decide(right).allowed)
        policy.passwords = ["admin": "secret"]
        #expect(policy.decide(right) == (true, "password of admin", "admin"))
        #expect(!policy.decide(wrong).allowed)
    }

    @Test("CURVE: any key, or only keys whose certificates are in the directory")
    func curve() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zauth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let known = try Certificate(metadata: ["name": "known"])
        try known.savePublic(to: directory + "/known.key")
        try "not a certificate".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        let stranger = try Certificate()

        func asking(_ certificate: Certificate) throws -> ZAPRequest {
            let key = try #require(Z85.decode(certificate.publicKey))
            return try #require(request("CURVE", credentials: [key]))
        }
        var policy = AuthenticationPolicy()
        #expect(!policy.decide(try asking(known)).allowed)
        policy.curveLocation = Authenticator.anyCurveKey
        #expect(policy.decide(try asking(stranger)).allowed)
        policy.curveLocation = directory
        #expect(policy.decide(try asking(known)).allowed)
        #expect(!policy.decide(try asking(stranger)).allowed)
    }

    @Test("a certificate saved and loaded again keeps its keys and metadata; the public file has no secret")
    func certificateFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zcert-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = try Certificate(metadata: ["name": "test"])
        try original.save(to: directory + "/test.key")
        #expect(Certificate.load(from: directory + "/test.key_secret") == original)
        let publicOnly = try #require(Certificate.load(from: directory + "/test.key"))
        #expect(publicOnly.publicKey == original.publicKey && publicOnly.secretKey == nil)
        #expect(try Certificate.loadOrCreate(at: directory + "/test.key") == original)
        #expect(Certificate.parse("curve\n    public-key = \"short\"\n") == nil)
        #expect(Certificate.parse("") == nil)
    }

    @Test("the handler answers libzmq: a PLAIN server admits the right password and refuses a wrong one")
    func handlerOverZAP() throws {
        let context = try Context()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zpass-\(UUID().uuidString)").path
        try "# users\nadmin=secret\n".write(toFile: directory, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authenticator = try Authenticator(context: context)
        try authenticator.configurePlain(passwordsFile: directory)
        #expect(throws: ZMQError.self) { try authenticator.configurePlain(passwordsFile: directory + ".missing") }

        let server = try context.socket(.rep)
        try server.set(.plainServer, to: true)
        try server.set(.receiveTimeout, to: 2000)
        try server.bind("tcp://127.0.0.1:*")
        let endpoint = try server.get(.lastEndpoint)
        for (password, admitted) in [("guess", false), ("secret", true)] {
            let client = try context.socket(.req)
            try client.set(.linger, to: 0)
            try client.set(.plainUsername, to: "admin")
            try client.set(.plainPassword, to: password)
            try client.connect(endpoint)
            try client.send(password)
            if admitted {
                #expect(try server.receiveString() == "secret")
            } else {
                #expect(throws: ZMQError.again) { try server.receiveString() }
            }
            client.close()
        }
        server.close()
        authenticator.stop()
    }
}
