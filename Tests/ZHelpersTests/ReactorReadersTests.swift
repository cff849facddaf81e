import Testing
import ZHelpers
import ZMQ

@Suite("Reactor")
struct ReactorTests {
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
}
