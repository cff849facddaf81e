// Fuzz target: the Majordomo checks of what peers send (MDP.BrokerInput at
// the broker, MDP.WorkerInput at a worker, MDP.clientReply at a client):
// no crash, and what a check accepts rebuilds the frames it was given.
import FuzzSupport
import Majordomo
import ZHelpers

/// The entry point: libFuzzer's driver, calling fuzzMDP(_:_:) with each input.
@_cdecl("FuzzMDP_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv, fuzzMDP)
}

/// One input: must not crash, and the properties below must hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMDP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = frames(fromFuzz: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    let message = ZMsg(input)

    if let checked = try? MDP.BrokerInput(message) {
        switch checked {
        case let .client(sender, service, body):
            require(!body.isEmpty, "client request without body")
            require([sender, [], MDP.clientHeader, service] + body.frames == input, "client request does not rebuild")
        case let .worker(sender, command, rest):
            require(command != .request, "a worker's REQUEST accepted")
            if command == .ready { require(rest.first != nil, "READY without service") }
            if command == .reply { require(rest.count >= 2 && rest.frames[1].isEmpty, "REPLY without envelope") }
            require([sender, [], MDP.workerHeader, command.frame] + rest.frames == input, "worker message does not rebuild")
        }
    }
    if let checked = try? MDP.WorkerInput(message) {
        switch checked {
        case let .request(client, body):
            require(!client.isEmpty, "REQUEST without client")
            let rebuilt = MDP.brokerToWorker([], .request, body: body)
            var wrapped = body
            wrapped.wrap(client)
            require([[], MDP.workerHeader, MDP.Command.request.frame] + wrapped.frames == input,
                     "REQUEST does not rebuild")
            require(rebuilt.frames.count == body.count + 4, "brokerToWorker shape")
        case .heartbeat:
            require(input.count == 3 && input[2] == MDP.Command.heartbeat.frame, "HEARTBEAT shape")
        case .disconnect:
            require(input.count == 3 && input[2] == MDP.Command.disconnect.frame, "DISCONNECT shape")
        }
    }
    if let body = try? MDP.clientReply(message) {
        require(input.count >= 3 && input[0] == MDP.clientHeader, "reply without header accepted")
        require(body.frames == Array(input.dropFirst(2)), "reply body is not the rest")
    }
    if let service = input.dropFirst().first, let body = try? MDP.clientReply(message, service: String(decoding: service, as: UTF8.self)) {
        require(body.frames == Array(input.dropFirst(2)), "reply body is not the rest")
    }
    return 0
}
