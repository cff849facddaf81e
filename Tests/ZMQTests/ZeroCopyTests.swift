import Synchronization
import Testing
import ZMQ

/// `Message(noCopy:release:)`: libzmq sends the caller's buffer in place and
/// calls `release` exactly once when it is done with it.
@Suite("Zero-copy messages")
struct ZeroCopyTests {
    /// Counts release calls and remembers the buffer they were given.
    final class Releases: Sendable {
        let calls = Atomic<Int>(0)
        let address = Atomic<UInt>(0)

        func record(_ buffer: UnsafeMutableRawBufferPointer) {
            address.store(UInt(bitPattern: buffer.baseAddress), ordering: .relaxed)
            calls.add(1, ordering: .releasing)
            buffer.deallocate()
        }

        /// Waits (up to five seconds) until release has been called.
        func waitForRelease() async throws -> Int {
            for _ in 0..<500 where calls.load(ordering: .acquiring) == 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            return calls.load(ordering: .acquiring)
        }
    }

    static func filledBuffer(size: Int) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        for index in buffer.indices { buffer[index] = UInt8(truncatingIfNeeded: index &* 31) }
        return buffer
    }

    @Test("over inproc the receiver gets the very buffer that was sent, released once")
    func inprocInPlace() async throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.bind("inproc://zero-copy")
        let sender = try context.socket(.push)
        try sender.connect("inproc://zero-copy")

        let releases = Releases()
        let buffer = Self.filledBuffer(size: 64 * 1024)
        let expected = Array(buffer)
        let message = try Message(noCopy: buffer) { releases.record($0) }
        try sender.send(message)
        #expect(message.size == 0)   // sending took the content

        let received = try receiver.receiveMessage()
        #expect(received.bytes.baseAddress == UnsafeRawPointer(buffer.baseAddress))   // not copied
        #expect(Array(received.bytes) == expected)
        #expect(releases.calls.load(ordering: .acquiring) == 0)   // still in use

        _ = consume received   // the last reference: libzmq lets go of the buffer
        #expect(try await releases.waitForRelease() == 1)
        #expect(releases.address.load(ordering: .relaxed) == UInt(bitPattern: buffer.baseAddress))
    }

    @Test("over tcp the bytes arrive intact and the buffer is released once after sending")
    func tcpReleasedAfterSend() async throws {
        let context = try Context()
        let receiver = try context.socket(.pull)
        try receiver.bind("tcp://127.0.0.1:*")
        let sender = try context.socket(.push)
        try sender.connect(try receiver.get(.lastEndpoint))

        let releases = Releases()
        let buffer = Self.filledBuffer(size: 256 * 1024)
        let expected = Array(buffer)
        try sender.send(try Message(noCopy: buffer) { releases.record($0) })

        let received = try receiver.receiveBytes()
        #expect(received == expected)
        #expect(try await releases.waitForRelease() == 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(releases.calls.load(ordering: .acquiring) == 1)   // never twice
    }

    @Test("a zero-copy message that is never sent is released when it goes away")
    func releasedWhenDropped() async throws {
        let releases = Releases()
        do {
            let message = try Message(noCopy: Self.filledBuffer(size: 100)) { releases.record($0) }
            #expect(message.size == 100)
        }
        #expect(try await releases.waitForRelease() == 1)
    }
}
