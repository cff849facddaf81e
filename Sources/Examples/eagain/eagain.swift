// Provoking EAGAIN: a DEALER with a send high-water mark of 4, a zero send
// timeout and no peer queues four messages and refuses the fifth.
import ArgumentParser
import ZHelpers
import ZMQ

@main
struct EAgain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eagain",
        abstract: "Shows EAGAIN: a DEALER with send HWM 4 and no peer (tcp://localhost:9876) until a send fails.")

    func run() throws {
        let context = try Context()
        let mailbox = try context.socket(.dealer)
        try mailbox.set(.linger, to: 0)   // as CZMQ's sockets: closing drops the queue
        try mailbox.set(.sendHighWaterMark, to: 4)
        try mailbox.set(.sendTimeout, to: 0)
        try mailbox.connect("tcp://localhost:9876")

        for count in 0..<10 {
            print("Sending message \(count)")
            do {
                try mailbox.send("message \(count)")
            } catch {
                print(error.message)   // the C's strerror (errno)
                break
            }
        }
        mailbox.close()
    }
}
