// Freelance client, model three: the FreelanceClient class (flcliapi)
// talks to three servers through its agent thread; times 10,000 requests.
import ArgumentParser
import Freelance
import ZHelpers
import ZMQ

@main
struct FLClient3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flclient3",
        abstract: "Freelance client, model three: 10,000 requests to tcp://localhost:5555, 5556 and 5557 through the agent.")

    func run() throws {
        catchSignals()
        let context = try Context()
        let client = try FreelanceClient(context: context)

        // Connect to several endpoints
        try client.connect("tcp://localhost:5555")
        try client.connect("tcp://localhost:5556")
        try client.connect("tcp://localhost:5557")

        // Send a bunch of name resolution "requests", measure time
        let requests = 10000
        let start = clockMilliseconds()
        for _ in 0..<requests {
            if isInterrupted { break }
            guard try client.request(ZMsg(strings: ["random name"])) != nil else {
                print("E: name service not available, aborting")
                break
            }
        }
        print("Average round trip cost: \((clockMilliseconds() - start) * 1000 / Int64(requests)) usec")
    }
}
