// Hello World server, ROUTER variant: it reads the envelope a REQ client
// sends (identity, empty delimiter, request) and builds the reply's envelope
// itself.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct HWServer3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hwserver3",
        abstract: "Hello World server: ROUTER on tcp://*:5555, envelope handled by hand.")

    func run() throws {
        let context = try Context()
        let responder = try context.socket(.router)
        try responder.bind("tcp://*:5555")

        while true {
            let frames = try responder.receiveMultipart()
            guard frames.count >= 2 else {
                printError("E: message without a request, dropped")
                continue
            }
            let identity = frames[0]
            print("[Frame_1] identity = \(identity.string)")
            print("[Frame_2] string = \(frames[1].string)")
            guard frames[1].isEmpty, frames.count == 3 else {
                print("Discard the ZMQ message!")
                continue
            }
            print("[Frame_3] Received request msg: \(frames[2].string)")
            sleep(milliseconds: 1000)   // do some work
            print("Send respond msg: World\n")
            try responder.send(multipart: [identity, [], Array("World".utf8)])
        }
    }
}
