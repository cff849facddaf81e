import Testing
import ZHelpers
import ZMQ
@testable import BinaryStar

/// The reactor class against a fake peer (a PUB socket of the test) over
/// inproc, on the test's own thread.
@Suite("Binary Star reactor")
struct BinaryStarReactorTests {
    @Test("a primary that hears a backup becomes active, calls onActive and serves")
    func primaryGoesActive() throws {
        let context = try Context()
        let peer = try context.socket(.pub)
        try peer.bind("inproc://backup-state")
        let star = try BinaryStar(context: context, primary: true,
                                  local: "inproc://primary-state", remote: "inproc://backup-state")
        let peerHears = try context.socket(.sub)
        try peerHears.subscribe("")
        try peerHears.connect("inproc://primary-state")
        var served: [[UInt8]] = []
        try star.setVoter(endpoint: "inproc://primary-frontend", type: .router) { _, socket in
            let request = try socket.receiveMultipart()
            served.append(request.last ?? [])
            try socket.send(multipart: request)
        }
        var becameActive = 0
        star.onActive { _ in becameActive += 1 }
        let client = try context.socket(.dealer)
        try client.connect("inproc://primary-frontend")

        star.reactor.addTimer(every: .milliseconds(50)) { _ in try peer.send("2") }
        let watch = star.reactor.addTimer(every: .milliseconds(50)) { reactor in
            if star.state == .active {
                try client.send("hello")
                reactor.stop()
            }
        }
        let deadline = star.reactor.addTimer(every: .seconds(10), times: 1) { reactor in reactor.stop() }
        try star.run()
        #expect(star.state == .active)
        #expect(becameActive == 1)
        star.reactor.cancelTimer(watch)
        star.reactor.cancelTimer(deadline)
        // Serve the request sent as the loop stopped, and hear a heartbeat
        var heard: [[[UInt8]]] = []
        star.reactor.addReader(peerHears) { _ in heard.append(try peerHears.receiveMultipart()) }
        star.reactor.addTimer(every: .milliseconds(50)) { reactor in
            if !served.isEmpty && !heard.isEmpty { reactor.stop() }
        }
        star.reactor.addTimer(every: .seconds(10), times: 1) { reactor in reactor.stop() }
        try star.reactor.run()
        #expect(served == [Array("hello".utf8)])
        #expect(try client.receiveString() == "hello")
        // The state message: one frame, the state in ASCII decimal ("3" by now)
        #expect(heard.last == [Array("3".utf8)])
    }

    @Test("a backup drops client requests (never queues them) and goes passive when the primary is active")
    func backupDrops() throws {
        let context = try Context()
        let peer = try context.socket(.pub)
        try peer.bind("inproc://primary-state-2")
        let star = try BinaryStar(context: context, primary: false,
                                  local: "inproc://backup-state-2", remote: "inproc://primary-state-2")
        var served = 0
        try star.setVoter(endpoint: "inproc://backup-frontend", type: .router) { _, socket in
            _ = try socket.receiveMultipart()
            served += 1
        }
        var becamePassive = 0
        star.onPassive { _ in becamePassive += 1 }
        let client = try context.socket(.dealer)
        try client.connect("inproc://backup-frontend")
        try client.send("one")
        var ticks = 0
        star.reactor.addTimer(every: .milliseconds(100)) { reactor in
            ticks += 1
            if ticks == 5 { try peer.send("3") }           // the primary is active
            if ticks == 8 { try peer.send("not a state") }  // logged and dropped
            if ticks == 10 { reactor.stop() }
        }
        try star.run()
        #expect(served == 0)
        #expect(star.state == .passive)
        #expect(becamePassive == 1)
    }

    @Test("dual actives stop the reactor")
    func dualActives() throws {
        let context = try Context()
        let peer = try context.socket(.pub)
        try peer.bind("inproc://peer-state-3")
        let star = try BinaryStar(context: context, primary: true,
                                  local: "inproc://own-state-3", remote: "inproc://peer-state-3")
        try star.setVoter(endpoint: "inproc://frontend-3", type: .router) { _, socket in
            _ = try socket.receiveMultipart()
        }
        var ticks = 0
        star.reactor.addTimer(every: .milliseconds(50)) { reactor in
            ticks += 1
            try peer.send(ticks < 5 ? "2" : "3")   // backup, then (wrongly) active
            if ticks > 200 { reactor.stop() }
        }
        try star.run()
        #expect(star.state == .active)
        #expect(ticks < 200)
    }
}
