// Weather update server.
// Publishes random weather updates, "zipcode temperature humidity", on a
// PUB socket bound to tcp://*:5556, as fast as it can.
import ArgumentParser
import Foundation
import ZHelpers
import ZMQ

@main
struct WUServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wuserver",
        abstract: "Weather update server: PUB on tcp://*:5556.")

    func run() throws {
        let context = try Context()
        let publisher = try context.socket(.pub)
        try publisher.limitSubscriptions()
        try publisher.bind("tcp://*:5556")

        while true {
            // Made-up weather: any zipcode, -80..134 °F, 10..59 % humidity.
            let zipcode = randof(100000)
            let temperature = randof(215) - 80
            let relativeHumidity = randof(50) + 10
            try publisher.send(String(format: "%05d %d %d", zipcode, temperature, relativeHumidity))
        }
    }
}
