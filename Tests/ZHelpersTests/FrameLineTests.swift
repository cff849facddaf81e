import Testing
import ZHelpers

@Suite("Frame line")
struct FrameLineTests {
    @Test("one frame as zframe_print shows it: size in three digits, then text or hex")
    func line() {
        #expect(dumpLine(of: Array("HELLO".utf8)) == "[005] HELLO")
        #expect(dumpLine(of: []) == "[000] ")
        #expect(dumpLine(of: [0, 0xAB]) == "[002] 00AB")
    }

    @Test("a long frame is cut short as zframe_print does: 70 bytes of text or 35 in hex, then ...")
    func longFrame() {
        let text = [UInt8](repeating: UInt8(ascii: "a"), count: 100)
        #expect(dumpLine(of: text) == "[100] " + String(repeating: "a", count: 70) + "...")
        #expect(dumpLine(of: Array(text.prefix(70))) == "[070] " + String(repeating: "a", count: 70))
        let binary = [UInt8](repeating: 0xFE, count: 10 * 1024 * 1024)
        #expect(dumpLine(of: binary) == "[10485760] " + String(repeating: "FE", count: 35) + "...")
    }
}
