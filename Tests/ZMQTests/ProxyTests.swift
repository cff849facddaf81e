import Testing
import ZMQ

@Suite("Proxy")
struct ProxyTests {
    @Test("the steerable proxy forwards both ways and stops on TERMINATE")
    func steerable() async throws {
        let context = try Context()
        let tag = Int.random(in: 0..<1_000_000)
        let done = Thread.spawn {
            do {
                let frontend = try context.socket(.router), backend = try context.socket(.dealer)
                let control = try context.socket(.pair)
                try frontend.bind("inproc://front-\(tag)")
                try backend.bind("inproc://back-\(tag)")
                try control.bind("inproc://control-\(tag)")
                try ZMQ.proxySteerable(frontend: frontend, backend: backend, control: control)
                return true
            } catch {
                return false
            }
        }
        let client = try context.socket(.req), worker = try context.socket(.rep)
        let control = try context.socket(.pair)
        try client.connect("inproc://front-\(tag)")
        try worker.connect("inproc://back-\(tag)")
        try control.connect("inproc://control-\(tag)")
        try client.send("request")
        #expect(try worker.receiveString() == "request")
        try worker.send("reply")
        #expect(try client.receiveString() == "reply")
        try control.send("TERMINATE")
        #expect(await done.value == true)
    }
}

/// A minimal thread for tests of the bare binding (ZHelpers has the real one).
enum Thread {
    static func spawn(_ body: @escaping @Sendable () -> Bool) -> Task<Bool, Never> {
        Task.detached { body() }
    }
}
