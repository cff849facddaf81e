#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import ZHelpers
import ZMQ

/// Serialized: the interrupt test sets the process-wide flag that also ends
/// a reactor's loop.
@Suite("Reactor and interrupts", .serialized)
struct ReactorTests {
    @Test("a timer fires the number of times asked, in order with another")
    func timers() throws {
        let reactor = Reactor()
        var ticks: [String] = []
        reactor.addTimer(every: .milliseconds(10), times: 3) { _ in ticks.append("fast") }
        reactor.addTimer(every: .milliseconds(100), times: 1) { reactor in
            ticks.append("slow")
            reactor.stop()
        }
        try reactor.run()
        #expect(ticks == ["fast", "fast", "fast", "slow"])
    }

    @Test("a cancelled timer does not fire")
    func cancel() throws {
        let reactor = Reactor()
        var fired = false
        let id = reactor.addTimer(every: .milliseconds(20)) { _ in fired = true }
        reactor.cancelTimer(id)
        reactor.addTimer(every: .milliseconds(50), times: 1) { $0.stop() }
        try reactor.run()
        #expect(!fired)
    }

    @Test("a reader is called for each message, and can be removed")
    func readers() throws {
        let context = try Context()
        let pull = try context.socket(.pull), push = try context.socket(.push)
        try pull.bind("inproc://reactor")
        try push.connect("inproc://reactor")
        for n in 0..<5 { try push.send(String(n)) }
        let reactor = Reactor()
        var received: [String] = []
        reactor.addReader(pull) { reactor in
            received.append(try pull.receiveString())
            if received.count == 3 { reactor.removeReader(pull) }
        }
        reactor.addTimer(every: .milliseconds(100), times: 1) { $0.stop() }
        try reactor.run()
        #expect(received == ["0", "1", "2"])
        #expect(try pull.receiveString() == "3")
    }

    /// Two inproc PAIR pipes, each with a message waiting at its reading end.
    private func twoReadyPipes(_ context: Context) throws -> (first: Socket, second: Socket, keep: [Socket]) {
        var ends: [Socket] = []
        for name in ["first", "second"] {
            let reading = try context.socket(.pair)
            try reading.bind("inproc://reactor-\(name)")
            let writing = try context.socket(.pair)
            try writing.connect("inproc://reactor-\(name)")
            try writing.send("ping")
            ends += [reading, writing]
        }
        return (ends[0], ends[2], ends)
    }

    @Test("a reader removed by another handler is not called in the same round, as zloop_reader_end")
    func removedReaderIsNotCalled() throws {
        let context = try Context()
        let (first, second, keep) = try twoReadyPipes(context)
        let reactor = Reactor()
        var calls: [String] = []
        reactor.addReader(first) { reactor in
            calls.append("first: " + (try first.receiveString()))
            reactor.removeReader(second)
        }
        reactor.addReader(second) { _ in
            calls.append("second: " + (try second.receiveString()))
        }
        reactor.addTimer(every: .milliseconds(100), times: 1) { $0.stop() }
        try reactor.run()
        #expect(calls == ["first: ping"])
        _ = keep
    }

    @Test("a reader added by a handler is called once its socket has input")
    func addedReaderIsCalled() throws {
        let context = try Context()
        let (first, second, keep) = try twoReadyPipes(context)
        let reactor = Reactor()
        var calls: [String] = []
        reactor.addReader(first) { reactor in
            calls.append("first: " + (try first.receiveString()))
            reactor.addReader(second) { reactor in
                calls.append("second: " + (try second.receiveString()))
                reactor.removeReader(second)
                reactor.stop()
            }
        }
        reactor.addTimer(every: .seconds(5), times: 1) { $0.stop() }
        try reactor.run()
        #expect(calls == ["first: ping", "second: ping"])
        _ = keep
    }

    @Test("an error thrown by a handler ends the loop and reaches the caller")
    func handlerError() throws {
        struct Boom: Error {}
        let reactor = Reactor()
        reactor.addTimer(every: .milliseconds(1)) { _ in throw Boom() }
        #expect(throws: Boom.self) { try reactor.run() }
    }

    @Test("after catchSignals, SIGINT makes a blocked receive throw interrupted and sets the flag")
    func interrupt() throws {
        let context = try Context()
        let target = Mutex<pthread_t?>(nil)
        let outcome = Mutex<String>("none")
        catchSignals()
        let thread = startThread {
            // The test runner's threads block SIGINT; this one takes it.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            target.withLock { $0 = pthread_self() }
            guard let pull = try? context.socket(.pull) else { return }
            try? pull.bind("inproc://interrupt")
            do {
                _ = try pull.receiveString()
                outcome.withLock { $0 = "received" }
            } catch {
                let interrupted = (error as? ZMQError)?.isInterrupted == true
                outcome.withLock { $0 = interrupted ? "interrupted" : "\(error)" }
            }
        }
        // Keep signalling until the thread has left its receive.
        for _ in 0..<200 where outcome.withLock({ $0 }) == "none" {
            if let thread = target.withLock({ $0 }) { pthread_kill(thread, SIGINT) }
            usleep(10_000)
        }
        thread.join()
        let flagged = isInterrupted
        restoreDefaultSignals()
        #expect(outcome.withLock { $0 } == "interrupted")
        #expect(flagged)
        #expect(!isInterrupted)
    }
}
