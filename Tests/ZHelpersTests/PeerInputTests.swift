import Testing
import ZHelpers
import ZMQ

/// The numbers a hostile peer sends: the 64-bit limits, the small nonsense
/// values, an integer too long for 64 bits and a float too large for a Double.
private let intMax = "9223372036854775807"
private let intMin = "-9223372036854775808"
private let twentyDigits = "12345678901234567890"
private let negativeTwentyDigits = "-12345678901234567890"

@Suite("Numbers a peer sent")
struct PeerInputTests {
    @Test("clampedInteger keeps a number in range, clamps one outside, refuses what is not an integer")
    func clamped() {
        let range = -5...5
        #expect(clampedInteger("3", in: range) == 3)
        #expect(clampedInteger("0", in: range) == 0)
        #expect(clampedInteger("-1", in: range) == -1)
        #expect(clampedInteger("-1000", in: range) == -5)
        #expect(clampedInteger(intMax, in: range) == 5)
        #expect(clampedInteger(intMin, in: range) == -5)
        #expect(clampedInteger(twentyDigits, in: range) == 5)
        #expect(clampedInteger(negativeTwentyDigits, in: range) == -5)
        #expect(clampedInteger("+" + twentyDigits, in: range) == 5)
        #expect(clampedInteger("1e999", in: range) == nil)
        #expect(clampedInteger("", in: range) == nil)
        #expect(clampedInteger("-", in: range) == nil)
        #expect(clampedInteger("12abc", in: range) == nil)
        #expect(clampedInteger("١٢", in: range) == nil)   // digits, but not ASCII ones
    }

    @Test("a peer's capacity: negative is none, at most largestCapacity, and a sum cannot overflow")
    func capacity() {
        #expect(peerCapacity("7") == 7)
        #expect(peerCapacity("0") == 0)
        #expect(peerCapacity("-1") == 0)
        #expect(peerCapacity("-1000") == 0)
        #expect(peerCapacity(intMax) == largestCapacity)
        #expect(peerCapacity(intMin) == 0)
        #expect(peerCapacity(twentyDigits) == largestCapacity)
        #expect(peerCapacity("1e999") == nil)
        // peering3 adds it to its own count of ready workers
        let (_, overflow) = Int.max.subtractingReportingOverflow(largestCapacity)
        #expect(!overflow)
    }

    @Test("a task's workload: negative is no work, never longer than longestWorkload")
    func workload() {
        #expect(taskWorkload("42") == 42)
        #expect(taskWorkload("0") == 0)
        #expect(taskWorkload("-1") == 0)
        #expect(taskWorkload(intMax) == longestWorkload)
        #expect(taskWorkload(intMin) == 0)
        #expect(taskWorkload(twentyDigits) == longestWorkload)
        #expect(taskWorkload("1e999") == nil)
    }

    @Test("a temperature is clamped, so that the sum of a million cannot overflow")
    func temperatures() {
        #expect(temperature("68") == 68)
        #expect(temperature("0") == 0)
        #expect(temperature("-1") == -1)
        #expect(temperature(intMax) == 200)
        #expect(temperature(intMin) == -200)
        #expect(temperature(twentyDigits) == 200)
        #expect(temperature("1e999") == nil)
        var total = 0
        for _ in 0..<1_000_000 { total += temperature(intMax) ?? 0 }
        #expect(total == 200_000_000)
    }

    @Test("a peer's clock is clamped, so that its difference with ours cannot overflow")
    func clocks() {
        #expect(peerClock("1700000000000") == 1_700_000_000_000)
        #expect(peerClock("0") == 0)
        #expect(peerClock("-1") == 0)
        #expect(peerClock(intMax) == Int64.max / 2)
        #expect(peerClock(intMin) == 0)
        #expect(peerClock(twentyDigits) == Int64.max / 2)
        #expect(peerClock("1e999") == nil)
        let now = clockMilliseconds()
        for text in [intMax, intMin, twentyDigits, "-1", "0"] {
            let (_, overflow) = now.subtractingReportingOverflow(peerClock(text) ?? 0)
            #expect(!overflow, "clock \(text)")
        }
    }

    @Test("a publisher with limitSubscriptions drops a subscriber sending an oversized subscription and serves the others")
    func limitedPublisher() throws {
        let context = try Context()
        let publisher = try context.socket(.xpub)
        try publisher.limitSubscriptions()
        try publisher.set(.linger, to: 0)
        // tcp: libzmq checks the size in the decoder of a connection (inproc has none)
        try publisher.bind("tcp://127.0.0.1:*")
        let endpoint = try publisher.get(.lastEndpoint)
        let hostile = try context.socket(.xsub)
        try hostile.set(.linger, to: 0)
        try hostile.connect(endpoint)
        // A subscription message: \x01 then the topic, far beyond the limit
        try hostile.send([UInt8](repeating: 1, count: 1) + [UInt8](repeating: 65, count: Int(largestSubscription) + 1))
        let friendly = try context.socket(.sub)
        try friendly.set(.linger, to: 0)
        try friendly.connect(endpoint)
        try friendly.subscribe("")
        // The XPUB hears the friendly subscription, never the oversized one
        let heard = try publisher.receiveString(within: .seconds(5))
        #expect(heard == "\u{1}")
        #expect(try publisher.receiveString(within: .milliseconds(200)) == nil)
        hostile.close()
        friendly.close()
        publisher.close()
    }
}
