import Foundation
import ZMQ

/// A CURVE certificate (the role of CZMQ's zcert): a key pair and some
/// metadata, saved as text files in the layout CZMQ and pyzmq read.
///
/// `save(to: "server.key")` writes the public half to `server.key` and the
/// whole certificate to `server.key_secret`. The public file is what a peer
/// gets; a directory of public files is what an ``Authenticator`` allows.
public struct Certificate: Sendable, Equatable {
    /// The public key, Z85 text.
    public let publicKey: String
    /// The secret key, Z85 text; nil for a certificate loaded from a public file.
    public let secretKey: String?
    /// Name-value pairs saved with the certificate, such as `name`.
    public var metadata: [String: String]

    /// A certificate with a new random key pair.
    public init(metadata: [String: String] = [:]) throws(ZMQError) {
        let keys = try CurveKeyPair()
        self.publicKey = keys.publicKey
        self.secretKey = keys.secretKey
        self.metadata = metadata
    }

    /// A certificate made of the given keys.
    public init(publicKey: String, secretKey: String?, metadata: [String: String] = [:]) {
        self.publicKey = publicKey
        self.secretKey = secretKey
        self.metadata = metadata
    }

    /// The key pair, for a certificate that has its secret key.
    public var keyPair: CurveKeyPair? {
        secretKey.flatMap { try? CurveKeyPair(secretKey: $0) }
    }

    /// Writes the public file at `path` and, when the secret key is known,
    /// the secret file at `path` + `_secret` (CZMQ's zcert_save).
    public func save(to path: String) throws {
        try savePublic(to: path)
        if secretKey != nil {
            let secretPath = path + "_secret"
            try text(includingSecret: true).write(toFile: secretPath, atomically: true, encoding: .utf8)
            chmod(secretPath, 0o600)
        }
    }

    /// Writes only the public file, at `path` (CZMQ's zcert_save_public).
    public func savePublic(to path: String) throws {
        try text(includingSecret: false).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The certificate saved at `path` (its secret file, `path` + `_secret`),
    /// or, when there is none, a new one saved there with `metadata`.
    public static func loadOrCreate(at path: String, metadata: [String: String] = [:]) throws -> Certificate {
        if let saved = load(from: path + "_secret"), saved.keyPair != nil { return saved }
        let fresh = try Certificate(metadata: metadata)
        try fresh.save(to: path)
        return fresh
    }

    /// Reads a certificate file (public or secret); nil when the file is
    /// missing or holds no valid public key.
    public static func load(from path: String) -> Certificate? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Reads a certificate from the text of its file; nil when it holds no
    /// valid 40-character public key.
    public static func parse(_ text: String) -> Certificate? {
        var publicKey: String?, secretKey: String?
        var metadata: [String: String] = [:]
        var section = ""
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                section = line
                continue
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            switch (section, name) {
            case ("curve", "public-key"): publicKey = value
            case ("curve", "secret-key"): secretKey = value
            case ("metadata", _): metadata[name] = value
            default: break
            }
        }
        guard let publicKey, Self.isKey(publicKey) else { return nil }
        return Certificate(publicKey: publicKey, secretKey: secretKey.flatMap { Self.isKey($0) ? $0 : nil },
                           metadata: metadata)
    }

    /// The public keys of every certificate file in `directory` (the role of
    /// CZMQ's zcertstore); files that are not certificates are skipped.
    public static func publicKeys(inDirectory directory: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(names.compactMap { load(from: directory + "/" + $0)?.publicKey })
    }

    /// Whether `text` is a CURVE key in Z85: 40 characters that decode to 32 bytes.
    static func isKey(_ text: String) -> Bool {
        text.utf8.count == 40 && Z85.decode(text)?.count == 32
    }

    private func text(includingSecret: Bool) -> String {
        var lines = [
            "#   ZeroMQ CURVE " + (includingSecret ? "**Secret** Certificate" : "Public Certificate"),
            includingSecret ? "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions."
                            : "#   Exchange securely, or use a secure mechanism to verify the contents",
            "",
            "metadata",
        ]
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            lines.append("    \(name) = \"\(value)\"")
        }
        lines.append("curve")
        lines.append("    public-key = \"\(publicKey)\"")
        if includingSecret, let secretKey {
            lines.append("    secret-key = \"\(secretKey)\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
