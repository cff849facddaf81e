import ZMQ

extension Poller {
    /// Waits as ``Poller/poll(timeout:)`` does (`nil`: forever), but throws
    /// ``ZMQError/interrupted`` as soon as ``isInterrupted`` is set, even when
    /// the signal came just before the wait began.
    ///
    /// A plain `while !isInterrupted { try poller.poll() }` has a window: a
    /// signal that lands after the check but before `zmq_poll` sleeps (while
    /// libzmq processes its commands, which takes a while after a burst of
    /// disconnections) sets the flag and interrupts nothing, and the poll then
    /// waits forever. Here the wait is cut into slices of at most 100 ms and
    /// the flag is looked at between them.
    @discardableResult
    public mutating func pollUnlessInterrupted(timeout: Duration? = nil) throws(ZMQError) -> Int {
        let slice = Duration.milliseconds(100)
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now + $0 }
        while true {
            if isInterrupted { throw .interrupted }
            var wait = slice
            if let deadline {
                let left = deadline - clock.now
                if left <= .zero { return try poll(timeout: .zero) }
                wait = min(left, slice)
            }
            let ready = try poll(timeout: wait)
            if ready > 0 { return ready }
        }
    }
}

extension Socket {
    /// Waits until `self` has a message to receive, as a blocking receive
    /// does before it returns, but throws ``ZMQError/interrupted`` once
    /// ``isInterrupted`` is set, closing the same window as
    /// ``Poller/pollUnlessInterrupted(timeout:)``. Call it before a blocking
    /// receive in a loop that must end on SIGINT or SIGTERM.
    public func waitUnlessInterrupted() throws(ZMQError) {
        var poller = Poller()
        poller.add(self)
        try poller.pollUnlessInterrupted()
    }
}
