import CLibZMQ

/// Facts about the libzmq library this program runs against.
public enum ZMQ {
    /// The version of the loaded libzmq, as `(major, minor, patch)`.
    public static var version: (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// The version as text, such as `4.3.4`.
    public static var versionString: String {
        let v = version
        return "\(v.major).\(v.minor).\(v.patch)"
    }

    /// Whether libzmq was built with a capability: a transport (`"ipc"`,
    /// `"pgm"`, `"tipc"`, `"norm"`), `"curve"`, `"gssapi"` or `"draft"`.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) == 1
    }
}
