// Lazy Pirate server: hwserver that echoes each request as it came, and
// after a few cycles now and then runs slowly or quits, to give the Lazy
// Pirate client something to survive.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct LPServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lpserver",
        abstract: "Lazy Pirate server: REP on tcp://*:5555, echoes requests, now and then crashes or runs slowly.")

    @Flag(help: "Never simulate a crash or a CPU overload (by default, after three requests, each may do either).")
    var noFailures = false

    func run() throws {
        let context = try Context()
        let server = try context.socket(.rep)
        try server.bind("tcp://*:5555")

        var cycles = 0
        while true {
            let request = try server.receiveMultipart()
            cycles += 1

            // After a few cycles, misbehave at random
            if !noFailures && cycles > 3 && randof(3) == 0 {
                print("I: simulating a crash")
                break
            } else if !noFailures && cycles > 3 && randof(3) == 0 {
                print("I: simulating CPU overload")
                sleep(milliseconds: 2000)
            }
            print("I: normal request (\((request.first ?? []).string))")
            sleep(milliseconds: 1000)   // the heavy work
            try server.send(multipart: request)
        }
    }
}
