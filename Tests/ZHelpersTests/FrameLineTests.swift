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
}
