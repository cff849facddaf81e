import Foundation
import Mongrel2
import Testing

@Suite("Mongrel2 requests and replies")
struct Mongrel2Tests {
    func message(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a request with JSON headers: sender, connection, path, headers and body")
    func jsonHeaders() throws {
        let headers = #"{"PATH":"/echo/x","METHOD":"POST","host":"localhost"}"#
        let request = try Mongrel2Request(parsing: message("UUID-1 42 /echo/x \(headers.utf8.count):\(headers),5:hello,"))
        #expect(request.sender == "UUID-1")
        #expect(request.connectionID == "42")
        #expect(request.path == "/echo/x")
        #expect(request.method == "POST")
        #expect(request.headers["host"] == "localhost")
        #expect(request.body == Array("hello".utf8))
        #expect(!request.isDisconnect)
    }

    @Test("JSON headers with escapes, numbers and nesting read as Foundation would read them")
    func jsonEscapes() throws {
        let cases: [(String, [String: String])] = [
            (#"{"a":"x\"y\\z\/","b":"\u00e9\ud83d\ude00\n","n":12,"t":true,"z":null}"#,
             ["a": "x\"y\\z/", "b": "é😀\n", "n": "12", "t": "true", "z": "null"]),
            (#" { } "#, [:]),
            (#"{"nested":{"a":"b"}}"#, [:]),
        ]
        for (json, expected) in cases {
            let request = try Mongrel2Request(parsing: message("S 1 / \(json.utf8.count):\(json),0:,"))
            if json.contains("nested") {
                #expect(request.headers["nested"] != nil)   // handed to Foundation, not refused
            } else {
                #expect(request.headers == expected)
            }
        }
        for bad in [#"{"a":"b""#, #"{"a":b}"#, #"{"a":"\x"}"#, #"["a"]"#, #"{"a":"\ud800"}"#] {
            #expect(throws: Mongrel2Error.self) { try Mongrel2Request(parsing: message("S 1 / \(bad.utf8.count):\(bad),0:,")) }
        }
    }

    @Test("a request with tnetstring headers, and an empty body")
    func tnetstringHeaders() throws {
        let pairs = "6:METHOD,3:GET,4:PATH,1:/,7:x-count,2:12#"
        let request = try Mongrel2Request(parsing: message("S 7 / \(pairs.utf8.count):\(pairs)}0:,"))
        #expect(request.headers == ["METHOD": "GET", "PATH": "/", "x-count": "12"])
        #expect(request.body.isEmpty)
    }

    @Test("Mongrel2's disconnect message is recognised")
    func disconnect() throws {
        let headers = #"{"METHOD":"JSON","PATH":"@*"}"#
        let body = #"{"type":"disconnect"}"#
        let request = try Mongrel2Request(parsing: message("S 3 @* \(headers.utf8.count):\(headers),\(body.utf8.count):\(body),"))
        #expect(request.isDisconnect)
    }

    @Test("malformed requests throw, and never trap", arguments: [
        "", "S", "S 1", "S 1 /", "S 1 / ", "S 1 / 5:{}", "S 1 / 2:{},", "S 1 / 99:{},0:,",
        "S 1 / 2:[],0:,", "S 1 / x:{},0:,", "S 1 / 2:{},0:", "S 1 / 2:{},3:ab,", "S 1 / 4:1:a,}0:,",
        "S 1 / 2:{}?0:,", "  / 2:{},0:,", "S 1 / 99999999999999999999:{},0:,",
    ])
    func malformed(text: String) {
        #expect(throws: Mongrel2Error.self) { try Mongrel2Request(parsing: message(text)) }
    }

    @Test("tnetstrings of every type, nested")
    func tnetstrings() throws {
        let (value, end) = try TNetString.parse(ArraySlice(message("33:1:a,1:1#1:b,4:true!1:c,0:~1:d,0:]}rest")))
        #expect(end == 37)
        #expect(value == .dictionary([("a", .integer(1)), ("b", .boolean(true)), ("c", .null), ("d", .list([]))]))
        #expect(throws: Mongrel2Error.self) { try TNetString.parse(ArraySlice(message(String(repeating: "2:", count: 40)))) }
    }

    @Test("an HTTP reply: the sender, the netstring of connection ids, a space, then the response")
    func reply() throws {
        let headers = #"{"METHOD":"GET"}"#
        let request = try Mongrel2Request(parsing: message("SRV 12 / \(headers.utf8.count):\(headers),0:,"))
        let reply = String(decoding: Mongrel2Reply.http(to: request, body: Array("hi".utf8)), as: UTF8.self)
        #expect(reply == "SRV 2:12, HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi")
        let close = Mongrel2Reply.raw(sender: "SRV", connectionIDs: ["1", "22"], data: [])
        #expect(String(decoding: close, as: UTF8.self) == "SRV 4:1 22, ")
    }
}
