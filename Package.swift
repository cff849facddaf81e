// swift-tools-version: 6.0
//
// The Swift translation of the examples of "ØMQ - The Guide".
//
// Layers, each depending only on those above it in this list:
//   1. CLibZMQ      the system library (libzmq, found through pkg-config)
//   2. ZMQ          a thin Swift binding: context, socket, message, poller, proxy, errors
//   3. ZHelpers     the guide's helpers: zhelpers.h and Swift counterparts of CZMQ classes
//   4. (later)      the guide's reusable classes, one library target each
//   5. examples     one executable target each, under Sources/Examples/NAME/NAME.swift
import PackageDescription

/// One example of the guide: its executable name and the library targets of
/// layer 4 it uses beyond the shared ones.
struct Example {
    let name: String
    let uses: [String]
    init(_ name: String, uses: [String] = []) {
        self.name = name
        self.uses = uses
    }
}

/// Every example, in the order of the guide, with the names of
/// ../shared/zguide/examples.tsv and of the C reference. Each one is an
/// executable target whose source is Sources/Examples/NAME/NAME.swift.

// Chapter 1, Basics, and the variants the guide's repository adds
let chapter1: [Example] = [
    "hwserver", "hwclient", "version", "wuserver", "wuclient", "taskvent", "taskwork", "tasksink",
    "hwclient2", "hwserver2", "hwclient3", "hwserver3", "hwclient4", "hwserver4",
].map { Example($0) }

// Chapter 2, Sockets and Patterns
let chapter2: [Example] = [
    "msreader", "mspoller", "rrclient", "rrworker", "rrbroker", "msgqueue", "wuproxy",
    "taskwork2", "tasksink2", "interrupt", "mtserver", "mtrelay", "syncpub", "syncsub",
    "psenvpub", "psenvsub",
].map { Example($0) }

// Chapter 3, Advanced Request-Reply
let chapter3: [Example] = [
    "identity", "rtreq", "rtdealer", "lbbroker", "lbbroker2", "lbbroker3", "asyncsrv",
    "peering1", "peering2", "peering3",
].map { Example($0) }

// The request/reply chat of the "ZeroMQ Basics" article this project grew from
let seed: [Example] = [
    "dakee",
].map { Example($0) }

// Ports of libzmq's performance tools (perf/ in libzmq's sources)
let perf: [Example] = [
    "local_thr", "remote_thr", "local_lat", "remote_lat", "inproc_thr", "inproc_lat",
].map { Example($0) }

let examples = chapter1 + chapter2 + chapter3 + seed + perf

let package = Package(
    name: "ZGuide",
    products: [
        .library(name: "ZMQ", targets: ["ZMQ"]),
        .library(name: "ZHelpers", targets: ["ZHelpers"]),
    ] + examples.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // No pkgConfig here: Debian's libzmq.pc adds -isystem flags that SwiftPM
        // rejects with a warning. zmq.h is in the default search path on Debian;
        // on macOS, scripts/run and scripts/test point CPATH at Homebrew's.
        .systemLibrary(name: "CLibZMQ", providers: [.apt(["libzmq3-dev"]), .brew(["zeromq"])]),
        .target(name: "ZMQ", dependencies: ["CLibZMQ"]),
        .target(name: "CLineBuffer"),
        .target(name: "ZHelpers", dependencies: ["ZMQ", "CLineBuffer"]),
        // Counts one thread's heap allocations (by defining malloc in the test
        // executable) for the tests that pin the binding's hot path.
        .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
        .testTarget(name: "ZMQTests", dependencies: ["ZMQ", "AllocationCounter"]),
        .testTarget(name: "ZHelpersTests", dependencies: ["ZHelpers"]),
        .testTarget(name: "ScenarioTests", path: "Tests/ScenarioTests"),
    ] + examples.map { example in
        .executableTarget(
            name: example.name,
            dependencies: [
                "ZMQ", "ZHelpers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ] + example.uses.map { .target(name: $0) },
            path: "Sources/Examples/\(example.name)"
        )
    }
)
