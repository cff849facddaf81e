import ZMQ

// What strangers can make a server hold or compute: the bound on a publisher's
// inbound messages, and the parsers of numbers a peer sent as text.

/// The largest message a publisher accepts from a subscriber: 64 KiB. A PUB or
/// XPUB socket receives nothing but subscriptions (and XPUB's own commands),
/// which in the guide's patterns are a few bytes; libzmq otherwise keeps any
/// subscription whole, in a trie with a node per byte.
public let largestSubscription: Int64 = 64 * 1024

extension Socket {
    /// Bounds what strangers can make this PUB or XPUB socket hold: a peer
    /// that sends a message longer than ``largestSubscription`` is
    /// disconnected by libzmq, and every other subscriber is served as before.
    /// Call it on every publisher a stranger can reach.
    public func limitSubscriptions() throws(ZMQError) {
        try set(.maxMessageSize, to: largestSubscription)
    }
}

/// The integer a peer wrote as decimal text, clamped into `range`.
///
/// Returns nil when `text` is not a decimal integer (`1e999`, `12abc`, empty);
/// an integer too large for `Int` (a 20-digit number) counts as the bound it
/// lies beyond, as does any value outside `range`. Nothing here can trap.
public func clampedInteger(_ text: some StringProtocol, in range: ClosedRange<Int>) -> Int? {
    if let value = Int(text) { return min(max(value, range.lowerBound), range.upperBound) }
    // Not an Int: an integer of too many digits, or not a number at all
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative || digits.first == "+" { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return negative ? range.lowerBound : range.upperBound
}

/// A peer's count of free workers (peering's state): a negative count is none,
/// and no peer has more than `largestCapacity`.
public func peerCapacity(_ text: some StringProtocol) -> Int? {
    clampedInteger(text, in: 0...largestCapacity)
}

/// The most workers one peer broker may claim to have free.
public let largestCapacity = 1_000_000

/// A task's workload in milliseconds (the task ventilator sends 1-100):
/// a negative one is no work, and none takes longer than `longestWorkload`.
public func taskWorkload(_ text: some StringProtocol) -> Int? {
    clampedInteger(text, in: 0...longestWorkload)
}

/// The longest task a worker accepts, in milliseconds (ten seconds).
public let longestWorkload = 10_000

/// A temperature in a weather update, in °F: clamped to what Earth's air
/// has ever had (-200...200), so a sum of many cannot overflow.
public func temperature(_ text: some StringProtocol) -> Int? {
    clampedInteger(text, in: -200...200)
}

/// A clock in milliseconds since the epoch as a peer sent it, clamped to
/// 0...`Int64.max / 2`, so that its difference with our own clock cannot overflow.
public func peerClock(_ text: some StringProtocol) -> Int64? {
    clampedInteger(text, in: 0...Int(Int64.max / 2)).map(Int64.init)
}

/// The largest sequence number a server adopts from a peer (half of
/// `Int64.max`): counting on from it by one can never overflow.
public let largestSequence = Int64.max / 2
