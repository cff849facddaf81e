#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibZMQ

/// An error reported by libzmq: the `errno` it set, its own description of
/// that code, and what the binding was doing when it happened.
///
/// Two errors matter to almost every program and can be told apart by
/// comparing codes: ``interrupted`` (a signal arrived during a blocking call)
/// and ``terminated`` (the context is shutting down). Both mean "stop cleanly".
///
/// ```swift
/// do { _ = try socket.receiveString() }
/// catch let error as ZMQError where error.isInterrupted { return }
/// ```
public struct ZMQError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `errno` value libzmq set.
    public let code: Int32
    /// What was being done, such as `bind tcp://*:5555`; empty when unknown.
    public let operation: String

    /// Creates an error for `code`, noting the operation that failed.
    public init(code: Int32, operation: String = "") {
        self.code = code
        self.operation = operation
    }

    /// The error for the current value of `zmq_errno()`.
    public static func last(_ operation: String = "") -> ZMQError {
        ZMQError(code: zmq_errno(), operation: operation)
    }

    /// libzmq's own text for the code (`zmq_strerror`).
    public var message: String { String(cString: zmq_strerror(code)) }

    /// One line naming the operation and the reason.
    public var description: String {
        operation.isEmpty ? message : "\(operation): \(message)"
    }

    /// A signal interrupted a blocking call (`EINTR`).
    public var isInterrupted: Bool { code == EINTR }
    /// The context was terminated while the call was waiting (`ETERM`).
    public var isTerminated: Bool { code == ETERM }
    /// A non-blocking call could not complete now, or a timeout expired (`EAGAIN`).
    public var isAgain: Bool { code == EAGAIN }
    /// Either of the two conditions that ask a program to stop: interrupt or termination.
    public var isStop: Bool { isInterrupted || isTerminated }

    /// Errors are equal when their codes are; the operation is only context.
    public static func == (lhs: ZMQError, rhs: ZMQError) -> Bool { lhs.code == rhs.code }

    /// `EINTR`: a signal arrived during a blocking call.
    public static let interrupted = ZMQError(code: EINTR)
    /// `ETERM`: the context was terminated.
    public static let terminated = ZMQError(code: ETERM)
    /// `EAGAIN`: nothing now, try again.
    public static let again = ZMQError(code: EAGAIN)
    /// `EHOSTUNREACH`: a ROUTER with ``SocketOption/routerMandatory`` has no peer of that identity.
    public static let hostUnreachable = ZMQError(code: EHOSTUNREACH)
    /// `EFSM`: the call does not fit the socket's state, such as a REQ sending twice.
    public static let wrongState = ZMQError(code: EFSM)
}

/// Throws the current libzmq error when `result` is -1, else returns it.
@inlinable @inline(__always)
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(ZMQError) -> Int32 {
    if result == -1 { throw ZMQError.last(operation()) }
    return result
}
