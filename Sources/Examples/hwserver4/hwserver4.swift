// Hello World server, ROUTER variant: prints every frame it receives and
// every frame it sends back.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWServer4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwserver4",
        abstract: "Hello World server: ROUTER on tcp://*:5555, prints each frame in and out.")

    func run() throws {
        let context = try Context()
        let responder = try context.socket(.router)
        try responder.bind("tcp://*:5555")

        while true {
            let frames = try responder.receiveMultipart()
            guard frames.count == 3, frames[1].isEmpty else {
                printError("E: expected identity, empty delimiter and request; dropped \(frames.count) frames")
                continue
            }
            print("[recv] frame1 = \(frames[0].string)")
            print("[recv] frame2 = \(frames[1].string)")
            print("[recv] frame3 = \(frames[2].string)")
            sleep(milliseconds: 1000)   // do some work
            print("[send] frame1 = \(frames[0].string)")
            print("[send] frame2 = ")
            print("[send] frame3 = World\n")
            try responder.send(multipart: [frames[0], [], Array("World".utf8)])
        }
    }
}
