import Foundation
import Testing

/// The DocC documentation of ZMQ and ZHelpers builds without a warning.
/// It takes about 20 s (its own build folder, so that it never waits for the
/// one `swift test` uses), so it runs only when asked:
/// `ZGUIDE_DOCS=1 swift test --skip-build --filter LearnerDocumentationTests`.
@Suite struct LearnerDocumentationTests {
    @Test("swift package generate-documentation --warnings-as-errors succeeds for ZMQ and ZHelpers",
          .enabled(if: ProcessInfo.processInfo.environment["ZGUIDE_DOCS"] == "1"))
    func documentationBuilds() async throws {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("zguide-docs-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (status, output) = try await Self.run(
            ["swift", "package", "--scratch-path", scratch.path, "--disable-sandbox", "generate-documentation",
             "--target", "ZMQ", "--target", "ZHelpers", "--warnings-as-errors"], in: root)
        #expect(status == 0, "\(output.suffix(4000))")
        #expect(!output.contains("warning:"), "\(output.suffix(4000))")
        #expect(output.contains("Generated 2 documentation archives"))
    }

    /// Runs a command on a thread of its own and returns its status and output.
    static func run(_ arguments: [String], in directory: URL) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = arguments
                    process.currentDirectoryURL = directory
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = pipe
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
                })
            }.start()
        }
    }
}
