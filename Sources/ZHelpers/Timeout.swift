import ZMQ

extension Socket {
    /// The next message's first frame as text, if a message arrives within
    /// `timeout`; nil otherwise. The rest of a multipart message is read
    /// and dropped, so the socket is ready for the next one.
    public func receiveString(within timeout: Duration) throws(ZMQError) -> String? {
        var poller = Poller()
        poller.add(self)
        guard try poller.poll(timeout: timeout) > 0 else { return nil }
        let text = try receiveString()
        while hasMore { _ = try receiveMessage() }
        return text
    }
}
