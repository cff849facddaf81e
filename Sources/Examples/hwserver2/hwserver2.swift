// Hello World server, REP variant: prints what it got and what it sends.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWServer2: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwserver2",
        abstract: "Hello World server: REP on tcp://*:5555, prints each request and reply.")

    func run() throws {
        let context = try Context()
        let responder = try context.socket(.rep)
        try responder.bind("tcp://*:5555")

        while true {
            let request = try responder.receiveWholeString()
            print("Received request msg: \(request)")
            print("Send respond msg: World\n")
            try responder.send("World")
            sleep(milliseconds: 1000)   // do some work
        }
    }
}
