import Testing
import ZHelpers

@Suite("Dump format")
struct DumpTests {
    @Test("text frames print as text, binary frames as upper-case hex, sizes in three digits")
    func format() {
        let text = dumpText(of: [Array("PEER2".utf8), [], [0, 0x80, 0x00, 0x41, 0xA7]])
        #expect(text == """
            ----------------------------------------
            [005] PEER2
            [000] \n[005] 00800041A7

            """)
    }
}
