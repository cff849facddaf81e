import CLibZMQ

extension ZMQ {
    /// Runs libzmq's built-in proxy between `frontend` and `backend`,
    /// copying all traffic to `capture` when given. Returns only by throwing,
    /// typically ``ZMQError/terminated`` when the context shuts down or
    /// ``ZMQError/interrupted`` on a signal.
    public static func proxy(frontend: Socket, backend: Socket, capture: Socket? = nil) throws(ZMQError) {
        let f = try frontend.rawHandle("proxy"), b = try backend.rawHandle("proxy")
        let c = try capture?.rawHandle("proxy")
        try check(zmq_proxy(f, b, c), "proxy")
    }

    /// Runs the proxy under the control of `control`: the commands `PAUSE`,
    /// `RESUME` and `TERMINATE` sent to that socket's peer steer it. Returns
    /// normally after `TERMINATE`.
    public static func proxySteerable(
        frontend: Socket, backend: Socket, capture: Socket? = nil, control: Socket
    ) throws(ZMQError) {
        let f = try frontend.rawHandle("proxy"), b = try backend.rawHandle("proxy")
        let c = try capture?.rawHandle("proxy"), k = try control.rawHandle("proxy")
        try check(zmq_proxy_steerable(f, b, c, k), "proxy")
    }
}
