import Foundation
import Testing

/// The Mongrel2 handler behind a real Mongrel2 web server (Debian's
/// mongrel2-core, which scripts/test installs): HTTP in, ØMQ to the
/// handlers, and the server keeps serving while handlers die and return.
@Suite("Mongrel2", .enabled(if: Mongrel2Stack.installed, "mongrel2 is not installed (scripts/test installs mongrel2-core with apt-get)"))
struct Mongrel2Tests {
    @Test("two handlers share the requests; one killed, the other answers all; restarted, it serves again without restarting Mongrel2")
    func handlersComeAndGo() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        let mongrel2 = try await Mongrel2Stack.start(in: scenario)
        var one = try scenario.launch("m2handler", ["--name", "one"])
        let two = try scenario.launch("m2handler", ["--name", "two"])
        try await one.expectLine(containing: "I: one ready")
        try await two.expectLine(containing: "I: two ready")

        // One kept-alive connection, so that Mongrel2 sends no disconnect
        // notices between requests and deals the requests out in turn.
        let client = try scenario.launchPython("http", """
            import http.client, sys, time
            def ask(path, count):
                served, failed = [], 0
                connection = http.client.HTTPConnection("127.0.0.1", 6767, timeout=3)
                for _ in range(count):
                    try:
                        connection.request("GET", path, headers={"X-Test": "yes"})
                        response = connection.getresponse()
                        body = response.read().decode()
                        served.append(response.getheader("X-Handler"))
                        if response.status != 200 or "X-Test: yes" not in body.replace("x-test", "X-Test"):
                            print("bad response", response.status, repr(body), flush=True)
                    except Exception as error:
                        failed += 1
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", 6767, timeout=3)
                connection.close()
                return served, failed
            for line in sys.stdin:
                round, count = line.split()
                served, failed = ask("/echo/" + round, int(count))
                print(round, "one=%d two=%d failed=%d" % (served.count("one"), served.count("two"), failed), flush=True)
            """)

        // Both handlers serve
        try client.send(line: "both 10")
        let both = try await client.expectLine(containing: "both ", within: .seconds(40))
        #expect(both == "both one=5 two=5 failed=0")

        // One dies: every request after that is answered by the other
        one.signal(SIGKILL)
        #expect(try await one.waitForExit() == 128 + SIGKILL)
        try client.send(line: "survivor 10")
        let survivor = try await client.expectLine(containing: "survivor ", within: .seconds(60))
        #expect(survivor.hasPrefix("survivor one=0 two="))
        #expect(survivor.hasSuffix("failed=0") || survivor.hasSuffix("failed=1"))   // at most the one in flight

        // It comes back and serves again; Mongrel2 was never restarted
        one = try scenario.launch("m2handler", ["--name", "one"])
        try await one.expectLine(containing: "I: one ready")
        try client.send(line: "again 10")
        let again = try await client.expectLine(containing: "again ", within: .seconds(40))
        #expect(again.contains("one=") && !again.contains("one=0"))
        #expect(!mongrel2.isFinished)
        #expect(client.lines.allSatisfy { !$0.hasPrefix("bad response") })
    }

    @Test("the page, an echo of method, path, headers and body, 404 elsewhere, and a malformed message dropped")
    func pagesAndMalformedInput() async throws {
        let scenario = try await Scenario()
        defer { scenario.stop() }
        _ = try await Mongrel2Stack.start(in: scenario)
        let handler = try scenario.launch("m2handler")
        try await handler.expectLine(containing: "ready")
        // A stray PUSH peer feeds the handler garbage before the real requests
        let garbage = try scenario.launchPython("garbage", """
            import zmq
            s = zmq.Context().socket(zmq.PUSH)
            s.bind("tcp://127.0.0.1:9995")
            for m in [b"", b"only two", b"S 1 / 5:{}", b"S 1 / 99:{},0:,", b"S 1 / 2:{},3:ab,"]:
                s.send(m)
            print("sent", flush=True)
            s.close(linger=2000)
            """)
        let stray = try scenario.launch("m2handler", ["--send-spec", "tcp://127.0.0.1:9995", "--name", "stray"])
        try await garbage.expectLine("sent")
        // Each of the five is reported on standard error, and dropped
        let deadline = ContinuousClock.now + .seconds(15)
        while malformedCount(stray) < 5, ContinuousClock.now < deadline, !stray.isFinished {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(malformedCount(stray) == 5)
        let client = try scenario.launchPython("http", """
            import http.client
            c = http.client.HTTPConnection("127.0.0.1", 6767, timeout=5)
            c.request("GET", "/")
            r = c.getresponse(); body = r.read().decode()
            print("page", r.status, r.getheader("Content-Type"), "<h1>" in body, flush=True)
            c.request("POST", "/echo/form?x=1", body="a=b", headers={"X-Token": "t1"})
            r = c.getresponse(); print("echo", r.status, repr(r.read().decode()), flush=True)
            c.request("GET", "/missing")
            r = c.getresponse(); r.read(); print("missing", r.status, flush=True)
            """)
        try await client.expectLine("page 200 text/html; charset=utf-8 True", within: .seconds(20))
        let echo = try await client.expectLine(containing: "echo 200 ", within: .seconds(20))
        #expect(echo.contains("POST /echo/form"))
        #expect(echo.contains("QUERY: x=1"))
        #expect(echo.contains("x-token: t1"))
        #expect(echo.contains("body: a=b"))
        try await client.expectLine("missing 404", within: .seconds(20))
        #expect(!stray.isFinished && !handler.isFinished)
    }
}

func malformedCount(_ handler: ScenarioProcess) -> Int {
    handler.errorOutput.components(separatedBy: "E: malformed Mongrel2 request").count - 1
}

/// Mongrel2 on loopback in a scenario's directory, configured by
/// scripts/mongrel2 --prepare, listening on 127.0.0.1:6767.
enum Mongrel2Stack {
    static let installed = FileManager.default.isExecutableFile(atPath: "/usr/bin/mongrel2")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/m2sh")

    /// Prepares the configuration, starts mongrel2 in the foreground and
    /// waits until it accepts HTTP connections.
    static func start(in scenario: Scenario) async throws -> ScenarioProcess {
        let environment = ["LOGNAME": ProcessInfo.processInfo.environment["LOGNAME"] ?? "root"]
        let script = Binaries.packageRoot.appendingPathComponent("scripts/mongrel2").path
        let prepare = try scenario.launchProgram("prepare", path: script, ["--prepare", scenario.directory.path],
                                                 environment: environment)
        #expect(try await prepare.waitForExit(within: .seconds(60)) == 0)
        let server = try scenario.launchProgram("mongrel2", path: "/usr/bin/mongrel2",
                                                ["config.sqlite", "f400bf85-4538-4f7a-8908-67e313d515c2"],
                                                environment: environment)
        let probe = try scenario.launchPython("probe", """
            import socket, time
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", 6767), timeout=1).close()
                    print("listening", flush=True)
                    break
                except OSError:
                    time.sleep(0.05)
            """)
        try await probe.expectLine("listening", within: .seconds(20))
        return server
    }
}
