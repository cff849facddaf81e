// swift-tools-version: 6.0
//
// The Swift translation of the examples of "ØMQ - The Guide".
//
// Layers, each depending only on those above it in this list:
//   1. CLibZMQ      the system library (libzmq, found through pkg-config)
//   2. ZMQ          a thin Swift binding: context, socket, message, poller, proxy, errors
//   3. ZHelpers     the guide's helpers: zhelpers.h and Swift counterparts of CZMQ classes
//   4. the guide's reusable classes (Majordomo, BinaryStar, ...), one library target each
//   5. examples     one executable target each, under Sources/Examples/NAME/NAME.swift
import Foundation   // FileManager, to list Fuzz/ for the fuzz targets
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

/// One of the guide's reusable classes (layer 4): a library target under
/// Sources/NAME, with its unit tests in Tests/NAMETests. `uses` names the
/// other layer-4 libraries it builds on.
struct Library {
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

// Chapter 4, Reliable Request-Reply: the Pirates and the round-trip demonstrator
let chapter4Pirates: [Example] = [
    "lpclient", "lpserver", "spqueue", "spworker", "ppqueue", "ppworker", "tripping",
].map { Example($0) }

// Chapter 4, Reliable Request-Reply: Majordomo and Titanic
let chapter4Majordomo: [Example] = [
    Example("mdclient", uses: ["Majordomo"]), Example("mdworker", uses: ["Majordomo"]),
    Example("mdbroker", uses: ["Majordomo"]), Example("mdclient2", uses: ["Majordomo"]),
    Example("mmiecho", uses: ["Majordomo"]), Example("titanic", uses: ["Majordomo"]),
    Example("ticlient", uses: ["Majordomo"]),
]

// Chapter 4, Reliable Request-Reply: Binary Star and Freelance
let chapter4BinaryStar: [Example] = [
    Example("bstarsrv"), Example("bstarcli"), Example("bstarsrv2", uses: ["BinaryStar"]),
    Example("flserver1"), Example("flclient1"), Example("flserver2"), Example("flclient2"),
    Example("flserver3"), Example("flclient3", uses: ["Freelance"]),
]

// Chapter 5, Advanced Pub-Sub: Espresso, last-value caching, the Suicidal Snail, Clone 1-3
let chapter5: [Example] = [
    Example("espresso"), Example("pathopub"), Example("pathosub"), Example("lvcache"),
    Example("suisnail"),
] + ["clonesrv1", "clonecli1", "clonesrv2", "clonecli2", "clonesrv3", "clonecli3"].map {
    Example($0, uses: ["KVSimple"])
}

// Chapter 5, Advanced Pub-Sub: Clone 4-6
let chapter5Clone: [Example] = [
    Example("clonesrv4", uses: ["KVSimple"]), Example("clonecli4", uses: ["KVSimple"]),
    Example("clonesrv5", uses: ["KVMsg"]), Example("clonecli5", uses: ["KVMsg"]),
    Example("clonesrv6", uses: ["KVMsg", "BinaryStar"]), Example("clonecli6", uses: ["Clone", "KVMsg"]),
]

// Chapters 7 and 8: file transfer, UDP discovery, decentralised chat, EAGAIN
let chapter7and8: [Example] = [
    Example("fileio1"), Example("fileio2"), Example("fileio3"), Example("mktestdata"),
    Example("dechat"), Example("udpping1"), Example("udpping2", uses: ["UDP"]),
    Example("udpping3", uses: ["Discovery"]), Example("eagain"),
]

// The five steps of ZeroMQ's security tutorial
let security: [Example] = [
    "grasslands", "strawhouse", "woodhouse", "stonehouse", "ironhouse",
].map { Example($0) }

// The Mongrel2 handler of the "ZeroMQ Basics" article
let mongrel2: [Example] = [
    Example("m2handler", uses: ["Mongrel2"]),
]

let examples = chapter1 + chapter2 + chapter3 + seed + perf
    + chapter4Pirates + chapter4Majordomo + chapter4BinaryStar + chapter5 + chapter5Clone
    + chapter7and8 + security + mongrel2

// The guide's reusable classes (layer 4), one library target each.

// Chapter 4: Majordomo (mdp, mdcliapi, mdcliapi2, mdwrkapi)
let majordomoLibraries: [Library] = [
    Library("Majordomo"),
]

// Chapter 4: Binary Star (bstar) and Freelance (flcliapi)
let binaryStarLibraries: [Library] = [
    Library("BinaryStar"),
    Library("Freelance"),
]

// Chapter 5: kvsimple
let chapter5Libraries: [Library] = [
    Library("KVSimple"),
]

// Chapter 5: kvmsg and clone
let cloneLibraries: [Library] = [
    Library("KVMsg"),
    Library("Clone", uses: ["KVMsg"]),
]

// Chapter 8: udplib and interface
let discoveryLibraries: [Library] = [
    Library("UDP"), Library("Discovery", uses: ["UDP"]),
]

// The Mongrel2 request parser
let mongrel2Libraries: [Library] = [
    Library("Mongrel2"),
]

let libraries = majordomoLibraries + binaryStarLibraries + chapter5Libraries + cloneLibraries
    + discoveryLibraries + mongrel2Libraries

let package = Package(
    name: "ZGuide",
    products: [
        .library(name: "ZMQ", targets: ["ZMQ"]),
        .library(name: "ZHelpers", targets: ["ZHelpers"]),
    ] + libraries.map { .library(name: $0.name, targets: [$0.name]) }
      + examples.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target ZMQ` (DocC, README "API documentation")
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
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
    ] + libraries.flatMap { library -> [Target] in [
        .target(name: library.name, dependencies: ["ZMQ", "ZHelpers"] + library.uses.map { .target(name: $0) }),
        .testTarget(name: "\(library.name)Tests", dependencies: [.target(name: library.name)]),
    ] } + examples.map { example in
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

// The learner's tools: `swift run demo NAME` runs a pattern's processes
// together. DemoCatalog holds every demo as data (it also draws the topology
// diagrams of examples.md); `demo` depends on every example so that
// `swift run demo` builds them all first. Not an example of the guide.
package.products += [.executable(name: "demo", targets: ["demo"])]
package.targets += [
    .target(name: "DemoCatalog"),
    .executableTarget(
        name: "demo",
        dependencies: [
            "DemoCatalog",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ] + examples.map { .target(name: $0.name) },
        path: "Sources/Tools/demo"
    ),
    .testTarget(name: "DemoCatalogTests", dependencies: ["DemoCatalog"]),
]

// MARK: - Fuzz targets (scripts/fuzz), only when ZGUIDE_FUZZ is set
//
// One libFuzzer executable per directory of Fuzz/ (Fuzz/NAME/NAME.swift
// defines LLVMFuzzerTestOneInput), sharing Fuzz/FuzzSupport; each may use
// every library of the package. scripts/fuzz sets ZGUIDE_FUZZ and builds
// them with -sanitize=fuzzer,address; a plain `swift build` never sees them.
if Context.environment["ZGUIDE_FUZZ"] != nil {
    let fuzzDirectory = Context.packageDirectory + "/Fuzz"
    let fuzzTargets = ((try? FileManager.default.contentsOfDirectory(atPath: fuzzDirectory)) ?? [])
        .filter { $0.hasPrefix("Fuzz") && $0 != "FuzzSupport" }
        .sorted()
    let fuzzLibraries: [Target.Dependency] = ["ZMQ", "ZHelpers"] + libraries.map { .target(name: $0.name) }
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["ZHelpers"], path: "Fuzz/FuzzSupport"))
    for name in fuzzTargets {
        package.targets.append(.executableTarget(
            name: name, dependencies: ["FuzzSupport"] + fuzzLibraries, path: "Fuzz/\(name)"))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
