#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibZMQ

/// A socket option and the Swift type of its value.
///
/// ```swift
/// try socket.set(.routingID, to: Array("PEER2".utf8))
/// try socket.set(.linger, to: 0)
/// let hwm = try socket.get(.receiveHighWaterMark)
/// ```
/// Options the type does not name can be made from their libzmq code:
/// `SocketOption<Int32>(code: ZMQ_TOS, name: "tos")`.
public struct SocketOption<Value: SocketOptionValue>: Sendable {
    /// The libzmq option code, such as `ZMQ_LINGER`.
    public let code: Int32
    /// A readable name, used in error messages.
    public let name: String

    /// Names the option with libzmq code `code`.
    public init(code: Int32, name: String) {
        self.code = code
        self.name = name
    }
}

/// A type that a socket option can hold. The binding provides `Int32`,
/// `Int64`, `UInt64`, `Bool` and bytes (`[UInt8]`) and text (`String`).
public protocol SocketOptionValue {
    /// Writes `self` as the value of option `code` on the raw socket.
    func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError)
    /// Reads the value of option `code` from the raw socket.
    static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> Self
}

/// Sets and reads fixed-size options through their in-memory representation.
private func setScalar<T: BitwiseCopyable>(_ value: T, _ code: Int32, _ socket: UnsafeMutableRawPointer, _ name: String) throws(ZMQError) {
    var value = value
    try check(zmq_setsockopt(socket, code, &value, MemoryLayout<T>.size), "set option \(name)")
}

private func getScalar<T: BitwiseCopyable>(_ initial: T, _ code: Int32, _ socket: UnsafeMutableRawPointer, _ name: String) throws(ZMQError) -> T {
    var value = initial
    var size = MemoryLayout<T>.size
    try check(zmq_getsockopt(socket, code, &value, &size), "get option \(name)")
    return value
}

extension Int32: SocketOptionValue {
    /// Sets socket option `code` (named `name` in errors) to this value.
    public func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) {
        try setScalar(self, code, socket, name)
    }
    /// Reads socket option `code` (named `name` in errors) as a value of this type.
    public static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> Int32 {
        try getScalar(Int32(0), code, socket, name)
    }
}

extension Int64: SocketOptionValue {
    /// Sets socket option `code` (named `name` in errors) to this value.
    public func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) {
        try setScalar(self, code, socket, name)
    }
    /// Reads socket option `code` (named `name` in errors) as a value of this type.
    public static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> Int64 {
        try getScalar(Int64(0), code, socket, name)
    }
}

extension UInt64: SocketOptionValue {
    /// Sets socket option `code` (named `name` in errors) to this value.
    public func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) {
        try setScalar(self, code, socket, name)
    }
    /// Reads socket option `code` (named `name` in errors) as a value of this type.
    public static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> UInt64 {
        try getScalar(UInt64(0), code, socket, name)
    }
}

/// libzmq passes boolean options as an `int` that is 0 or 1.
extension Bool: SocketOptionValue {
    /// Sets socket option `code` (named `name` in errors) to this value.
    public func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) {
        try setScalar(Int32(self ? 1 : 0), code, socket, name)
    }
    /// Reads socket option `code` (named `name` in errors) as a value of this type.
    public static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> Bool {
        try getScalar(Int32(0), code, socket, name) != 0
    }
}

/// Binary options such as the routing id or a subscription prefix.
extension Array: SocketOptionValue where Element == UInt8 {
    /// Sets socket option `code` (named `name` in errors) to this value.
    public func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) {
        let rc = withUnsafeBytes { zmq_setsockopt(socket, code, $0.baseAddress, $0.count) }
        try check(rc, "set option \(name)")
    }
    /// Reads socket option `code` (named `name` in errors) as a value of this type.
    public static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        var size = buffer.count
        let rc = buffer.withUnsafeMutableBytes { zmq_getsockopt(socket, code, $0.baseAddress, &size) }
        try check(rc, "get option \(name)")
        return Array(buffer.prefix(size))
    }
}

/// Text options such as the last endpoint; libzmq returns them NUL-terminated.
extension String: SocketOptionValue {
    /// Sets socket option `code` (named `name` in errors) to this value.
    public func setOption(_ code: Int32, on socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) {
        try Array(utf8).setOption(code, on: socket, name: name)
    }
    /// Reads socket option `code` (named `name` in errors) as a value of this type.
    public static func getOption(_ code: Int32, from socket: UnsafeMutableRawPointer, name: String) throws(ZMQError) -> String {
        var bytes = try [UInt8].getOption(code, from: socket, name: name)
        while bytes.last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SocketOption where Value == [UInt8] {
    /// The identity a ROUTER peer sees for this socket (`ZMQ_ROUTING_ID`, formerly `ZMQ_IDENTITY`).
    public static var routingID: Self { .init(code: ZMQ_ROUTING_ID, name: "routing id") }
    /// The guide's older name for ``routingID``.
    public static var identity: Self { routingID }
    /// Adds a SUB subscription prefix (`ZMQ_SUBSCRIBE`); write-only.
    public static var subscribe: Self { .init(code: ZMQ_SUBSCRIBE, name: "subscribe") }
    /// Removes a SUB subscription prefix (`ZMQ_UNSUBSCRIBE`); write-only.
    public static var unsubscribe: Self { .init(code: ZMQ_UNSUBSCRIBE, name: "unsubscribe") }
    /// The routing id to give the next peer this ROUTER connects to (`ZMQ_CONNECT_ROUTING_ID`); write-only.
    public static var connectRoutingID: Self { .init(code: ZMQ_CONNECT_ROUTING_ID, name: "connect routing id") }
}

extension SocketOption where Value == String {
    /// The endpoint of the last bind or connect, with the port chosen for a `*` port (`ZMQ_LAST_ENDPOINT`).
    public static var lastEndpoint: Self { .init(code: ZMQ_LAST_ENDPOINT, name: "last endpoint") }
    /// The network interface to use for outgoing connections (`ZMQ_BINDTODEVICE`).
    public static var bindToDevice: Self { .init(code: ZMQ_BINDTODEVICE, name: "bind to device") }
}

extension SocketOption where Value == Int32 {
    /// The socket type (`ZMQ_TYPE`); read-only.
    public static var type: Self { .init(code: ZMQ_TYPE, name: "type") }
    /// Most messages queued for sending per peer (`ZMQ_SNDHWM`, default 1000).
    public static var sendHighWaterMark: Self { .init(code: ZMQ_SNDHWM, name: "send high-water mark") }
    /// Most messages queued for receiving per peer (`ZMQ_RCVHWM`, default 1000).
    public static var receiveHighWaterMark: Self { .init(code: ZMQ_RCVHWM, name: "receive high-water mark") }
    /// How long, in ms, closing waits for unsent messages; -1 forever, 0 not at all (`ZMQ_LINGER`).
    public static var linger: Self { .init(code: ZMQ_LINGER, name: "linger") }
    /// How long, in ms, a receive waits before failing with `EAGAIN`; -1 forever (`ZMQ_RCVTIMEO`).
    public static var receiveTimeout: Self { .init(code: ZMQ_RCVTIMEO, name: "receive timeout") }
    /// How long, in ms, a send waits before failing with `EAGAIN`; -1 forever (`ZMQ_SNDTIMEO`).
    public static var sendTimeout: Self { .init(code: ZMQ_SNDTIMEO, name: "send timeout") }
    /// The first delay, in ms, before reconnecting (`ZMQ_RECONNECT_IVL`).
    public static var reconnectInterval: Self { .init(code: ZMQ_RECONNECT_IVL, name: "reconnect interval") }
    /// The longest delay, in ms, between reconnect attempts (`ZMQ_RECONNECT_IVL_MAX`).
    public static var reconnectIntervalMax: Self { .init(code: ZMQ_RECONNECT_IVL_MAX, name: "reconnect interval max") }
    /// Pending connections the listener queues (`ZMQ_BACKLOG`).
    public static var backlog: Self { .init(code: ZMQ_BACKLOG, name: "backlog") }
    /// Kernel send buffer size in bytes (`ZMQ_SNDBUF`).
    public static var sendBufferSize: Self { .init(code: ZMQ_SNDBUF, name: "send buffer") }
    /// Kernel receive buffer size in bytes (`ZMQ_RCVBUF`).
    public static var receiveBufferSize: Self { .init(code: ZMQ_RCVBUF, name: "receive buffer") }
    /// Multicast data rate in kbit/s (`ZMQ_RATE`).
    public static var rate: Self { .init(code: ZMQ_RATE, name: "rate") }
    /// Multicast recovery interval in ms (`ZMQ_RECOVERY_IVL`).
    public static var recoveryInterval: Self { .init(code: ZMQ_RECOVERY_IVL, name: "recovery interval") }
    /// Multicast hops (`ZMQ_MULTICAST_HOPS`).
    public static var multicastHops: Self { .init(code: ZMQ_MULTICAST_HOPS, name: "multicast hops") }
    /// The readiness bits of the socket (`ZMQ_EVENTS`); read-only. See ``Socket/events``.
    public static var events: Self { .init(code: ZMQ_EVENTS, name: "events") }
    /// The socket's notification file descriptor (`ZMQ_FD`); read-only.
    public static var fileDescriptor: Self { .init(code: ZMQ_FD, name: "file descriptor") }
    /// TCP keepalive: -1 system default, 0 off, 1 on (`ZMQ_TCP_KEEPALIVE`).
    public static var tcpKeepalive: Self { .init(code: ZMQ_TCP_KEEPALIVE, name: "tcp keepalive") }
    /// Interval in ms between ZMTP heartbeats (`ZMQ_HEARTBEAT_IVL`).
    public static var heartbeatInterval: Self { .init(code: ZMQ_HEARTBEAT_IVL, name: "heartbeat interval") }
    /// Time in ms to wait for a heartbeat reply (`ZMQ_HEARTBEAT_TIMEOUT`).
    public static var heartbeatTimeout: Self { .init(code: ZMQ_HEARTBEAT_TIMEOUT, name: "heartbeat timeout") }
    /// Time-to-live in ms a heartbeat asks the peer to keep (`ZMQ_HEARTBEAT_TTL`).
    public static var heartbeatTTL: Self { .init(code: ZMQ_HEARTBEAT_TTL, name: "heartbeat ttl") }
    /// Time in ms allowed for the ZMTP handshake (`ZMQ_HANDSHAKE_IVL`).
    public static var handshakeInterval: Self { .init(code: ZMQ_HANDSHAKE_IVL, name: "handshake interval") }
    /// Type-of-service field of outgoing IP packets (`ZMQ_TOS`).
    public static var typeOfService: Self { .init(code: ZMQ_TOS, name: "tos") }
}

extension SocketOption where Value == Int64 {
    /// Largest inbound message accepted, in bytes; -1 unlimited (`ZMQ_MAXMSGSIZE`).
    public static var maxMessageSize: Self { .init(code: ZMQ_MAXMSGSIZE, name: "max message size") }
}

extension SocketOption where Value == UInt64 {
    /// I/O thread affinity bitmap for new connections (`ZMQ_AFFINITY`).
    public static var affinity: Self { .init(code: ZMQ_AFFINITY, name: "affinity") }
}

extension SocketOption where Value == Bool {
    /// Whether the last frame received has more after it (`ZMQ_RCVMORE`); read-only.
    public static var receiveMore: Self { .init(code: ZMQ_RCVMORE, name: "receive more") }
    /// A ROUTER reports unroutable messages with `EHOSTUNREACH` instead of dropping them (`ZMQ_ROUTER_MANDATORY`); write-only.
    public static var routerMandatory: Self { .init(code: ZMQ_ROUTER_MANDATORY, name: "router mandatory") }
    /// A ROUTER hands an identity over to a new peer that claims it (`ZMQ_ROUTER_HANDOVER`); write-only.
    public static var routerHandover: Self { .init(code: ZMQ_ROUTER_HANDOVER, name: "router handover") }
    /// Queue messages only to completed connections (`ZMQ_IMMEDIATE`).
    public static var immediate: Self { .init(code: ZMQ_IMMEDIATE, name: "immediate") }
    /// An XPUB passes on every subscription, duplicates included (`ZMQ_XPUB_VERBOSE`); write-only.
    public static var xpubVerbose: Self { .init(code: ZMQ_XPUB_VERBOSE, name: "xpub verbose") }
    /// Keep only the last message in each queue (`ZMQ_CONFLATE`); write-only.
    public static var conflate: Self { .init(code: ZMQ_CONFLATE, name: "conflate") }
    /// Use IPv6 as well as IPv4 (`ZMQ_IPV6`).
    public static var ipv6: Self { .init(code: ZMQ_IPV6, name: "ipv6") }
    /// A REQ matches replies to requests and ignores stale ones (`ZMQ_REQ_CORRELATE`); write-only.
    public static var requestCorrelate: Self { .init(code: ZMQ_REQ_CORRELATE, name: "req correlate") }
    /// A REQ may send a new request without waiting for the reply (`ZMQ_REQ_RELAXED`); write-only.
    public static var requestRelaxed: Self { .init(code: ZMQ_REQ_RELAXED, name: "req relaxed") }
    /// Send an empty message to each new peer on connect (`ZMQ_PROBE_ROUTER`); write-only.
    public static var probeRouter: Self { .init(code: ZMQ_PROBE_ROUTER, name: "probe router") }
}
