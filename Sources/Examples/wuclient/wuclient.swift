// Weather update client.
// Subscribes to one zipcode on tcp://localhost:5556, collects 100 updates and
// prints their average temperature.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct WUClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wuclient",
        abstract: "Weather update client: SUB to tcp://localhost:5556, averages 100 updates.")

    @Argument(help: "The subscription prefix: a zipcode and a space.")
    var filter = "10001 "

    func run() throws {
        print("Collecting updates from weather server...")
        let context = try Context()
        let subscriber = try context.socket(.sub)
        try subscriber.connect("tcp://localhost:5556")
        try subscriber.subscribe(filter)

        var totalTemperature = 0
        let updateCount = 100
        for _ in 0..<updateCount {
            let fields = try subscriber.receiveString().split(separator: " ")
            // An update we cannot read counts as 0 °F, as C's sscanf would leave it.
            totalTemperature += fields.count > 1 ? temperature(fields[1]) ?? 0 : 0
        }
        print("Average temperature for zipcode '\(filter)' was \(totalTemperature / updateCount)F")
    }
}
