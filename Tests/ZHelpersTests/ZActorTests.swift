import Synchronization
import Testing
import ZHelpers
import ZMQ

@Suite("Threads and actors")
struct ZActorTests {
    @Test("an actor answers over its pipe and ends on stop")
    func actorEcho() throws {
        let context = try Context()
        let ended = Atomic<Bool>(false)
        let actor = try ZActor(context) { _, pipe in
            while true {
                let command = try pipe.receiveString()
                if command == ZActor.terminate { break }
                try pipe.send("echo " + command)
            }
            ended.store(true, ordering: .relaxed)
        }
        try actor.pipe.send("one")
        #expect(try actor.pipe.receiveString() == "echo one")
        try actor.pipe.send("two")
        #expect(try actor.pipe.receiveString() == "echo two")
        actor.stop()
        let hasEnded = ended.load(ordering: .relaxed)
        #expect(hasEnded)
    }

    @Test("threads share the context and make their own sockets")
    func threads() throws {
        let context = try Context()
        let pull = try context.socket(.pull)
        try pull.bind("inproc://threads")
        let handles = (0..<4).map { n in
            startThread {
                guard let push = try? context.socket(.push) else { return }
                try? push.connect("inproc://threads")
                try? push.send("from \(n)")
            }
        }
        var received = Set<String>()
        for _ in 0..<4 { received.insert(try pull.receiveString()) }
        handles.forEach { $0.join() }
        #expect(received == ["from 0", "from 1", "from 2", "from 3"])
    }

    @Test("a shut-down context ends an actor blocked in a receive")
    func terminatedActor() throws {
        let context = try Context()
        let started = Atomic<Bool>(false)
        let actor = try ZActor(context) { context, pipe in
            let pull = try context.socket(.pull)
            try pull.bind("inproc://blocked")
            try pipe.send("ready")
            started.store(true, ordering: .relaxed)
            _ = try pull.receiveString()   // throws ETERM on shutdown; the actor ends quietly
        }
        #expect(try actor.pipe.receiveString() == "ready")
        context.shutdown()
        actor.join()
        let hasStarted = started.load(ordering: .relaxed)
        #expect(hasStarted)
    }
}
