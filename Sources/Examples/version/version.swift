// Reports the version of the libzmq library in use.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Prints the ØMQ library version.")

    func run() {
        let (major, minor, patch) = ZMQ.version
        print("Current 0MQ version is \(major).\(minor).\(patch)")
    }
}
