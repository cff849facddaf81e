// Every demo, in the order of the guide: the one place that says which
// processes a pattern needs. `swift run demo NAME` runs them and
// `swift run demo --update-diagrams` draws them into examples.md.
//
// Demos of chapters 4, 5, 7 and 8 follow the C reference's names, endpoints
// and arguments; they name their work stream, and stay pending while that
// stream is in `pendingStreams`.

private let enter = Feed.line("", after: "Press Enter", delay: 1000)

/// The work streams whose examples are on branches not merged yet. Delete a
/// stream here once its branch is merged: its demos then run, and the tests
/// check that Package.swift lists their examples.
public let pendingStreams: Set<String> = []

/// The demos the runner knows, in the order of the guide.
public let demos: [Demo] = chapter1 + chapter2 + chapter3 + chapter4 + chapter5 + chapter7and8 + seed + perf + security

/// The demo called `name`, or else the first demo that starts the example `name`.
public func demo(named name: String) -> Demo? {
    demos.first { $0.name == name } ?? demos.first { $0.executables.contains(name) }
}

// MARK: - Chapter 1

private let helloServer = DemoProcess("hwserver", sockets: [bind("REP", "tcp://*:5555")])
private let helloClient = DemoProcess("hwclient", sockets: [connect("REQ", "tcp://localhost:5555")])

private let chapter1: [Demo] = [
    Demo("hwserver", "Hello World: a REQ client and a REP server", .chapter1, drivers: ["hwclient"],
         [helloServer, helloClient]),
    Demo("wuserver", "Weather updates: a PUB server and a SUB client for one zipcode", .chapter1,
         drivers: ["wuclient"], note: "wuclient averages 100 updates for zipcode 10001; that takes a few seconds.", [
        DemoProcess("wuserver", sockets: [bind("PUB", "tcp://*:5556")]),
        DemoProcess("wuclient", ["10001"], sockets: [connect("SUB", "tcp://localhost:5556")]),
    ]),
    Demo("taskvent", "Divide and conquer: ventilator, two workers and a sink", .chapter1, drivers: ["tasksink"], [
        DemoProcess("tasksink", sockets: [bind("PULL", "tcp://*:5558")]),
        DemoProcess("taskwork-1", executable: "taskwork", sockets: [
            connect("PULL", "tcp://localhost:5557"), connect("PUSH", "tcp://localhost:5558")]),
        DemoProcess("taskwork-2", executable: "taskwork", sockets: [
            connect("PULL", "tcp://localhost:5557"), connect("PUSH", "tcp://localhost:5558")]),
        DemoProcess("taskvent", feeds: [enter], sockets: [
            bind("PUSH", "tcp://*:5557"), connect("PUSH", "tcp://localhost:5558")]),
    ]),
    Demo("hwclient2", "Hello World with a DEALER client and the REP server", .chapter1, drivers: ["hwclient2"], [
        helloServer,
        DemoProcess("hwclient2", sockets: [connect("DEALER", "tcp://localhost:5555")]),
    ]),
    Demo("hwserver2", "Hello World with the REP server variant", .chapter1, drivers: ["hwclient"], [
        DemoProcess("hwserver2", sockets: [bind("REP", "tcp://*:5555")]), helloClient,
    ]),
    Demo("hwserver3", "Hello World with a ROUTER server and a REQ client", .chapter1, drivers: ["hwclient3"], [
        DemoProcess("hwserver3", sockets: [bind("ROUTER", "tcp://*:5555")]),
        DemoProcess("hwclient3", sockets: [connect("REQ", "tcp://localhost:5555")]),
    ]),
    Demo("hwserver4", "Hello World with a ROUTER server and a DEALER client", .chapter1, drivers: ["hwclient4"], [
        DemoProcess("hwserver4", sockets: [bind("ROUTER", "tcp://*:5555")]),
        DemoProcess("hwclient4", sockets: [connect("DEALER", "tcp://localhost:5555")]),
    ]),
]

// MARK: - Chapter 2

private func sources() -> [DemoProcess] {
    [
        DemoProcess("taskvent", feeds: [enter], sockets: [
            bind("PUSH", "tcp://*:5557"), connect("PUSH", "tcp://localhost:5558")]),
        DemoProcess("wuserver", sockets: [bind("PUB", "tcp://*:5556")]),
    ]
}

private func requestReply(broker: String) -> [DemoProcess] {
    [
        DemoProcess(broker, sockets: [bind("ROUTER", "tcp://*:5559"), bind("DEALER", "tcp://*:5560")]),
        DemoProcess("rrworker", sockets: [connect("REP", "tcp://localhost:5560")]),
        DemoProcess("rrclient", sockets: [connect("REQ", "tcp://localhost:5559")]),
    ]
}

private let chapter2: [Demo] = [
    Demo("msreader", "Reading from two sockets in turn", .chapter2, drivers: [],
         note: "msreader prints nothing: it drains both sources until Ctrl-C.",
         sources() + [DemoProcess("msreader", sockets: [
            connect("PULL", "tcp://localhost:5557"), connect("SUB", "tcp://localhost:5556")])]),
    Demo("mspoller", "Reading from two sockets with a poller", .chapter2, drivers: [],
         note: "mspoller prints nothing: it drains both sources until Ctrl-C.",
         sources() + [DemoProcess("mspoller", sockets: [
            connect("PULL", "tcp://localhost:5557"), connect("SUB", "tcp://localhost:5556")])]),
    Demo("rrbroker", "Request-reply through a ROUTER-DEALER broker", .chapter2, drivers: ["rrclient"],
         requestReply(broker: "rrbroker")),
    Demo("msgqueue", "Request-reply through zmq_proxy", .chapter2, drivers: ["rrclient"],
         requestReply(broker: "msgqueue")),
    Demo("wuproxy", "A weather proxy between the server and subscribers on another port", .chapter2, drivers: [],
         note: "wuclient only connects to port 5556, so no subscriber runs here: connect one of your own to tcp://localhost:8100. Ctrl-C ends the demo.", [
        DemoProcess("wuserver", sockets: [bind("PUB", "tcp://*:5556")]),
        DemoProcess("wuproxy", ["--frontend", "tcp://localhost:5556", "--backend", "tcp://*:8100"],
                    sockets: [connect("XSUB", "tcp://localhost:5556"), bind("XPUB", "tcp://*:8100")]),
    ]),
    Demo("mtrelay", "Three threads signalling down a chain of PAIR sockets", .chapter2, drivers: ["mtrelay"], [
        DemoProcess("mtrelay", sockets: [
            bind("PAIR", "inproc://step3"), connect("PAIR", "inproc://step3").on("step 2"),
            bind("PAIR", "inproc://step2").on("step 2"), connect("PAIR", "inproc://step2").on("step 1")]),
    ]),
    Demo("taskwork2", "Divide and conquer, and the sink kills the workers", .chapter2,
         drivers: ["tasksink2", "taskwork2-1", "taskwork2-2"], [
        DemoProcess("tasksink2", sockets: [bind("PULL", "tcp://*:5558"), bind("PUB", "tcp://*:5559")]),
        DemoProcess("taskwork2-1", executable: "taskwork2", sockets: [
            connect("PULL", "tcp://localhost:5557"), connect("PUSH", "tcp://localhost:5558"),
            connect("SUB", "tcp://localhost:5559")]),
        DemoProcess("taskwork2-2", executable: "taskwork2", sockets: [
            connect("PULL", "tcp://localhost:5557"), connect("PUSH", "tcp://localhost:5558"),
            connect("SUB", "tcp://localhost:5559")]),
        DemoProcess("taskvent", feeds: [enter], sockets: [
            bind("PUSH", "tcp://*:5557"), connect("PUSH", "tcp://localhost:5558")]),
    ]),
    Demo("mtserver", "A multithreaded server and the Hello World client", .chapter2, drivers: ["hwclient"], [
        DemoProcess("mtserver", sockets: [
            bind("ROUTER", "tcp://*:5555"), bind("DEALER", "inproc://workers"),
            connect("REP", "inproc://workers").on("worker ×5")]),
        helloClient,
    ]),
    Demo("syncpub", "Ten subscribers synchronised with their publisher", .chapter2,
         drivers: ["syncpub"] + (1...10).map { "syncsub-\($0)" },
         (1...10).map { number in
            DemoProcess("syncsub-\(number)", executable: "syncsub", delay: 100, sockets: [
                connect("SUB", "tcp://localhost:5561"), connect("REQ", "tcp://localhost:5562")])
         } + [DemoProcess("syncpub", sockets: [bind("PUB", "tcp://*:5561"), bind("REP", "tcp://*:5562")])]),
    Demo("psenvpub", "Pub-sub with envelopes", .chapter2, drivers: [],
         note: "Both run until Ctrl-C.", [
        DemoProcess("psenvpub", sockets: [bind("PUB", "tcp://*:5563")]),
        DemoProcess("psenvsub", sockets: [connect("SUB", "tcp://localhost:5563")]),
    ]),
]

// MARK: - Chapter 3

private func peer(_ process: String, _ me: String, _ others: [String], enter: Bool = false) -> DemoProcess {
    var sockets: [SocketUse] = []
    switch process {
    case "peering1":
        sockets = [bind("PUB", "ipc://\(me)-state.ipc")]
            + others.map { connect("SUB", "ipc://\($0)-state.ipc") }
    case "peering2":
        sockets = [bind("ROUTER", "ipc://\(me)-cloud.ipc")]
            + others.map { connect("ROUTER", "ipc://\($0)-cloud.ipc") }
            + [bind("ROUTER", "ipc://\(me)-localfe.ipc"), bind("ROUTER", "ipc://\(me)-localbe.ipc"),
               connect("REQ", "ipc://\(me)-localfe.ipc").on("client ×10"),
               connect("REQ", "ipc://\(me)-localbe.ipc").on("worker ×3")]
    default:
        sockets = [bind("ROUTER", "ipc://\(me)-localfe.ipc"), bind("ROUTER", "ipc://\(me)-localbe.ipc"),
                   bind("ROUTER", "ipc://\(me)-cloud.ipc")]
            + others.map { connect("ROUTER", "ipc://\($0)-cloud.ipc") }
            + [bind("PUB", "ipc://\(me)-state.ipc")]
            + others.map { connect("SUB", "ipc://\($0)-state.ipc") }
            + [bind("PULL", "ipc://\(me)-monitor.ipc"),
               connect("REQ", "ipc://\(me)-localfe.ipc").on("client ×10"),
               connect("PUSH", "ipc://\(me)-monitor.ipc").on("client ×10"),
               connect("REQ", "ipc://\(me)-localbe.ipc").on("worker ×5")]
    }
    return DemoProcess("\(process)-\(me)", executable: process, [me] + others,
                       feeds: enter ? [.line("", after: "Press Enter", delay: 2000)] : [], sockets: sockets)
}

private let chapter3: [Demo] = [
    Demo("lbbroker", "Load balancing broker with client and worker threads", .chapter3, drivers: ["lbbroker"], [
        DemoProcess("lbbroker", sockets: [
            bind("ROUTER", "ipc://frontend.ipc"), bind("ROUTER", "ipc://backend.ipc"),
            connect("REQ", "ipc://frontend.ipc").on("client ×10"),
            connect("REQ", "ipc://backend.ipc").on("worker ×3")]),
    ]),
    Demo("rtreq", "ROUTER to REQ: a broker hands out work to ten REQ workers", .chapter3, drivers: ["rtreq"], [
        DemoProcess("rtreq", sockets: [bind("ROUTER", "tcp://*:5671"), connect("REQ", "tcp://localhost:5671").on("worker ×10")]),
    ]),
    Demo("rtdealer", "ROUTER to DEALER: a broker hands out work to ten DEALER workers", .chapter3, drivers: ["rtdealer"], [
        DemoProcess("rtdealer", sockets: [bind("ROUTER", "tcp://*:5671"), connect("DEALER", "tcp://localhost:5671").on("worker ×10")]),
    ]),
    Demo("lbbroker2", "Load balancing broker with ZMsg and actors", .chapter3, drivers: ["lbbroker2"], [
        DemoProcess("lbbroker2", sockets: [
            bind("ROUTER", "ipc://frontend.ipc"), bind("ROUTER", "ipc://backend.ipc"),
            connect("REQ", "ipc://frontend.ipc").on("client ×10"),
            connect("REQ", "ipc://backend.ipc").on("worker ×3")]),
    ]),
    Demo("lbbroker3", "Load balancing broker on the reactor (zloop)", .chapter3, drivers: [],
         note: "lbbroker3 runs until Ctrl-C.", [
        DemoProcess("lbbroker3", sockets: [
            bind("ROUTER", "ipc://frontend.ipc"), bind("ROUTER", "ipc://backend.ipc"),
            connect("REQ", "ipc://frontend.ipc").on("client ×10"),
            connect("REQ", "ipc://backend.ipc").on("worker ×3")]),
    ]),
    Demo("asyncsrv", "Asynchronous client/server", .chapter3, drivers: ["asyncsrv"], [
        DemoProcess("asyncsrv", sockets: [
            connect("DEALER", "tcp://localhost:5570").on("client ×3"),
            bind("ROUTER", "tcp://*:5570").on("server"), bind("DEALER", "inproc://backend").on("server"),
            connect("DEALER", "inproc://backend").on("worker ×5")]),
    ]),
    Demo("peering1", "Three brokers telling each other their state", .chapter3, drivers: [],
         note: "The brokers run until Ctrl-C.", [
        peer("peering1", "DC1", ["DC2", "DC3"]), peer("peering1", "DC2", ["DC1", "DC3"]),
        peer("peering1", "DC3", ["DC1", "DC2"]),
    ]),
    Demo("peering2", "Two brokers sharing their workers", .chapter3, drivers: [],
         note: "Each broker waits for Enter (the runner presses it) and then runs until Ctrl-C.", [
        peer("peering2", "me", ["you"], enter: true), peer("peering2", "you", ["me"], enter: true),
    ]),
    Demo("peering3", "A full cluster of three brokers", .chapter3, drivers: [],
         note: "The brokers run until Ctrl-C.", [
        peer("peering3", "DC1", ["DC2", "DC3"]), peer("peering3", "DC2", ["DC1", "DC3"]),
        peer("peering3", "DC3", ["DC1", "DC2"]),
    ]),
]

// MARK: - Chapter 4 (pending: examples on other branches, names and endpoints from the C)

let pirates = "chapter 4, the Pirates"
let majordomo = "chapter 4, Majordomo and Titanic"
let binaryStar = "chapter 4, Binary Star and Freelance"

private let lazyClient = DemoProcess("lpclient", sockets: [connect("REQ", "tcp://localhost:5555")])

private func queue(_ name: String) -> DemoProcess {
    DemoProcess(name, sockets: [bind("ROUTER", "tcp://*:5555"), bind("ROUTER", "tcp://*:5556")])
}

private let broker = DemoProcess("mdbroker", sockets: [bind("ROUTER", "tcp://*:5555")])
private let echoWorker = DemoProcess("mdworker", sockets: [connect("DEALER", "tcp://localhost:5555")])

private func binaryStarServers(_ executable: String) -> [DemoProcess] {
    [
        DemoProcess("\(executable)-primary", executable: executable, ["-p"], sockets: [
            bind("ROUTER", "tcp://*:5001"), bind("PUB", "tcp://*:5003"), connect("SUB", "tcp://localhost:5004")]),
        DemoProcess("\(executable)-backup", executable: executable, ["-b"], sockets: [
            bind("ROUTER", "tcp://*:5002"), bind("PUB", "tcp://*:5004"), connect("SUB", "tcp://localhost:5003")]),
    ]
}

private let chapter4: [Demo] = [
    Demo("lpclient", "Lazy Pirate: a client that retries, a server that fails", .chapter4,
         drivers: ["lpclient"], pending: pirates,
         note: "lpserver simulates a crash after a few requests; lpclient retries, then gives up.",
         [DemoProcess("lpserver", sockets: [bind("REP", "tcp://*:5555")]), lazyClient]),
    Demo("spqueue", "Simple Pirate: a load-balancing queue, a worker, the Lazy Pirate client", .chapter4,
         drivers: ["lpclient"], pending: pirates,
         note: "Try `--kill spworker --after 5`: the client retries and gives up.", [
        queue("spqueue"),
        DemoProcess("spworker", sockets: [connect("REQ", "tcp://localhost:5556")]),
        lazyClient,
    ]),
    Demo("ppqueue", "Paranoid Pirate: queue and workers with heartbeats", .chapter4,
         drivers: ["lpclient"], pending: pirates,
         note: "Try `--kill ppworker-1 --after 5`: the queue forgets the dead worker and the other one serves.", [
        queue("ppqueue"),
        DemoProcess("ppworker-1", executable: "ppworker", sockets: [connect("DEALER", "tcp://localhost:5556")]),
        DemoProcess("ppworker-2", executable: "ppworker", sockets: [connect("DEALER", "tcp://localhost:5556")]),
        lazyClient,
    ]),
    Demo("mdbroker", "Majordomo: broker, echo worker and client", .chapter4,
         drivers: ["mdclient"], pending: majordomo,
         note: "mdclient sends 100,000 requests, as in the guide, and then prints how many were answered.", [
        broker, echoWorker,
        DemoProcess("mdclient", sockets: [connect("REQ", "tcp://localhost:5555")]),
    ]),
    Demo("mdclient2", "Majordomo with the asynchronous client", .chapter4,
         drivers: ["mdclient2"], pending: majordomo, [
        broker, echoWorker,
        DemoProcess("mdclient2", sockets: [connect("DEALER", "tcp://localhost:5555")]),
    ]),
    Demo("mmiecho", "Service discovery over Majordomo: is there an echo service?", .chapter4,
         drivers: ["mmiecho"], pending: majordomo, [
        broker, echoWorker,
        DemoProcess("mmiecho", sockets: [connect("REQ", "tcp://localhost:5555")]),
    ]),
    Demo("tripping", "Round-trip demonstrator: synchronous against asynchronous requests", .chapter4,
         drivers: ["tripping"], pending: pirates, [
        DemoProcess("tripping", sockets: [
            connect("DEALER", "tcp://localhost:5555").on("client"),
            bind("DEALER", "tcp://*:5555").on("broker"), bind("DEALER", "tcp://*:5556").on("broker"),
            connect("DEALER", "tcp://localhost:5556").on("worker")]),
    ]),
    Demo("titanic", "Titanic: disconnected reliability on top of Majordomo", .chapter4,
         drivers: ["ticlient"], pending: majordomo, [
        broker,
        DemoProcess("titanic", sockets: [
            connect("DEALER", "tcp://localhost:5555").on("titanic.request"),
            connect("DEALER", "tcp://localhost:5555").on("titanic.reply"),
            connect("DEALER", "tcp://localhost:5555").on("titanic.close"),
            connect("REQ", "tcp://localhost:5555").on("dispatcher")]),
        echoWorker,
        DemoProcess("ticlient", sockets: [connect("REQ", "tcp://localhost:5555")]),
    ]),
    Demo("bstarsrv", "Binary Star: primary and backup server, failover client", .chapter4,
         drivers: ["bstarcli"], pending: binaryStar,
         note: "Try `--kill bstarsrv-primary --after 5`: the client fails over to the backup.",
         binaryStarServers("bstarsrv") + [DemoProcess("bstarcli", sockets: [
            connect("REQ", "tcp://localhost:5001"), connect("REQ", "tcp://localhost:5002")])]),
    Demo("bstarsrv2", "Binary Star with the reactor-based bstar class", .chapter4,
         drivers: ["bstarcli"], pending: binaryStar,
         note: "Try `--kill bstarsrv2-primary --after 5`: the client fails over to the backup.",
         binaryStarServers("bstarsrv2") + [DemoProcess("bstarcli", sockets: [
            connect("REQ", "tcp://localhost:5001"), connect("REQ", "tcp://localhost:5002")])]),
    Demo("flserver1", "Freelance model one: simple retry and failover", .chapter4,
         drivers: ["flclient1"], pending: binaryStar, [
        DemoProcess("flserver1", ["tcp://*:5555"], sockets: [bind("REP", "tcp://*:5555")]),
        DemoProcess("flclient1", ["tcp://localhost:5555"], sockets: [connect("REQ", "tcp://localhost:5555")]),
    ]),
    Demo("flserver2", "Freelance model two: brutal shotgun massacre", .chapter4,
         drivers: ["flclient2"], pending: binaryStar, [
        DemoProcess("flserver2-5555", executable: "flserver2", ["tcp://*:5555"], sockets: [bind("REP", "tcp://*:5555")]),
        DemoProcess("flserver2-5556", executable: "flserver2", ["tcp://*:5556"], sockets: [bind("REP", "tcp://*:5556")]),
        DemoProcess("flclient2", ["tcp://localhost:5555", "tcp://localhost:5556"], sockets: [
            connect("DEALER", "tcp://localhost:5555"), connect("DEALER", "tcp://localhost:5556")]),
    ]),
    Demo("flserver3", "Freelance model three: complex and nasty", .chapter4,
         drivers: ["flclient3"], pending: binaryStar,
         note: "flclient3 also tries tcp://localhost:5556 and 5557, where no server runs.", [
        DemoProcess("flserver3", sockets: [bind("ROUTER", "tcp://*:5555")]),
        DemoProcess("flclient3", sockets: [connect("ROUTER", "tcp://localhost:5555").on("flcliapi agent")]),
    ]),
]

// MARK: - Chapter 5 (pending)

let espresso = "chapter 5, Espresso to Clone 3"
let clone = "chapter 5, Clone 4 to 6"

private func cloneClient(_ name: String, push: Bool = true) -> DemoProcess {
    DemoProcess(name, sockets: [connect("DEALER", "tcp://localhost:5556"), connect("SUB", "tcp://localhost:5557")]
        + (push ? [connect("PUSH", "tcp://localhost:5558")] : []))
}

private func cloneServer(_ name: String) -> DemoProcess {
    DemoProcess(name, sockets: [bind("ROUTER", "tcp://*:5556"), bind("PUB", "tcp://*:5557"), bind("PULL", "tcp://*:5558")])
}

private let chapter5: [Demo] = [
    Demo("lvcache", "Last value caching proxy", .chapter5, drivers: [], pending: espresso,
         note: "Runs until Ctrl-C; each new subscriber gets the cached last values at once.", [
        DemoProcess("lvcache", sockets: [connect("SUB", "tcp://localhost:5557"), bind("XPUB", "tcp://*:5558")]),
        DemoProcess("pathopub", ["tcp://*:5557"], sockets: [bind("PUB", "tcp://*:5557")]),
        DemoProcess("pathosub", ["tcp://localhost:5558"], sockets: [connect("SUB", "tcp://localhost:5558")]),
    ]),
    Demo("espresso", "Espresso: a proxy whose capture socket shows all traffic", .chapter5,
         drivers: [], pending: espresso, note: "espresso runs until Ctrl-C.", [
        DemoProcess("espresso", sockets: [
            bind("PUB", "tcp://*:6000").on("publisher"), connect("SUB", "tcp://localhost:6001").on("subscriber"),
            connect("XSUB", "tcp://localhost:6000"), bind("XPUB", "tcp://*:6001")]),
    ]),
    Demo("suisnail", "The Suicidal Snail: a slow subscriber kills itself", .chapter5,
         drivers: ["suisnail"], pending: espresso, [
        DemoProcess("suisnail", sockets: [
            bind("PUB", "tcp://*:5556").on("publisher"), connect("SUB", "tcp://localhost:5556").on("subscriber")]),
    ]),
    Demo("pathopub", "Pathological publisher and subscriber", .chapter5, drivers: [], pending: espresso, [
        DemoProcess("pathopub", sockets: [bind("PUB", "tcp://*:5556")]),
        DemoProcess("pathosub", sockets: [connect("SUB", "tcp://localhost:5556")]),
    ]),
    Demo("clonesrv1", "Clone model one: a PUB server and a SUB client", .chapter5, drivers: [], pending: espresso, [
        DemoProcess("clonesrv1", sockets: [bind("PUB", "tcp://*:5556")]),
        DemoProcess("clonecli1", sockets: [connect("SUB", "tcp://localhost:5556")]),
    ]),
    Demo("clonesrv2", "Clone model two: state snapshots", .chapter5, drivers: [], pending: espresso, [
        DemoProcess("clonesrv2", sockets: [bind("PUB", "tcp://*:5557"), bind("ROUTER", "tcp://*:5556").on("state manager")]),
        cloneClient("clonecli2", push: false),
    ]),
    Demo("clonesrv3", "Clone model three: republishing updates from clients", .chapter5, drivers: [], pending: espresso,
         [cloneServer("clonesrv3"), cloneClient("clonecli3")]),
    Demo("clonesrv4", "Clone model four: subtrees", .chapter5, drivers: [], pending: clone,
         [cloneServer("clonesrv4"), cloneClient("clonecli4")]),
    Demo("clonesrv5", "Clone model five: ephemeral values", .chapter5, drivers: [], pending: clone,
         [cloneServer("clonesrv5"), cloneClient("clonecli5")]),
    Demo("clonesrv6", "Clone model six: a Binary Star pair of clone servers", .chapter5, drivers: [], pending: clone,
         note: "Try `--kill clonesrv6-primary --after 5`: the client goes over to the backup.", [
        DemoProcess("clonesrv6-primary", executable: "clonesrv6", ["-p"], sockets: [
            bind("PUB", "tcp://*:5003"), connect("SUB", "tcp://localhost:5004"),
            bind("ROUTER", "tcp://*:5556"), bind("PUB", "tcp://*:5557"), bind("SUB", "tcp://*:5558"),
            connect("SUB", "tcp://localhost:5567")]),
        DemoProcess("clonesrv6-backup", executable: "clonesrv6", ["-b"], sockets: [
            bind("PUB", "tcp://*:5004"), connect("SUB", "tcp://localhost:5003"),
            bind("ROUTER", "tcp://*:5566"), bind("PUB", "tcp://*:5567"), bind("SUB", "tcp://*:5568"),
            connect("SUB", "tcp://localhost:5557")]),
        DemoProcess("clonecli6", sockets: [
            connect("DEALER", "tcp://localhost:5556").on("clone agent"), connect("SUB", "tcp://localhost:5557").on("clone agent"),
            connect("PUB", "tcp://localhost:5558").on("clone agent"),
            connect("DEALER", "tcp://localhost:5566").on("clone agent"), connect("SUB", "tcp://localhost:5567").on("clone agent"),
            connect("PUB", "tcp://localhost:5568").on("clone agent")]),
    ]),
]

// MARK: - Chapters 7 and 8 (pending)

let chapters7and8 = "chapters 7 and 8"

private func fileio(_ name: String) -> [DemoProcess] {
    [
        DemoProcess("mktestdata", ["--size", "10000000"], runsFirst: true, sockets: []),
        DemoProcess(name, sockets: [
            connect("DEALER", "tcp://127.0.0.1:6000").on("client"), bind("ROUTER", "tcp://*:6000").on("server")]),
    ]
}

private func chat(_ address: String, _ user: String, _ line: String) -> DemoProcess {
    DemoProcess("dechat-\(user)", executable: "dechat", [address, address, user],
                feeds: [.line(line, delay: 2000), .endOfInput(delay: 4000)],
                sockets: [bind("PUB", "tcp://\(address):9000"),
                          connect("SUB", "tcp://127.0.0.1:9000").on("listener"),
                          connect("SUB", "tcp://127.0.0.2:9000").on("listener")])
}

private let chapter7and8: [Demo] = [
    Demo("fileio1", "File transfer, model one: the server sends the whole file", .chapter7,
         drivers: ["fileio1"], pending: chapters7and8,
         note: "mktestdata first writes ./testdata, 10 MB here (1 GiB in the guide).", fileio("fileio1")),
    Demo("fileio2", "File transfer, model two: one chunk per request", .chapter7,
         drivers: ["fileio2"], pending: chapters7and8,
         note: "mktestdata first writes ./testdata, 10 MB here (1 GiB in the guide).", fileio("fileio2")),
    Demo("fileio3", "File transfer, model three: credit-based flow control", .chapter7,
         drivers: ["fileio3"], pending: chapters7and8,
         note: "mktestdata first writes ./testdata, 10 MB here (1 GiB in the guide).", fileio("fileio3")),
    Demo("udpping1", "UDP discovery, model one", .chapter8, drivers: [], pending: chapters7and8,
         note: "UDP beacons on the loopback broadcast address; both run until Ctrl-C.", [
        DemoProcess("udpping1-a", executable: "udpping1", sockets: []),
        DemoProcess("udpping1-b", executable: "udpping1", sockets: []),
    ]),
    Demo("udpping2", "UDP discovery, model two", .chapter8, drivers: [], pending: chapters7and8,
         note: "UDP beacons on the loopback broadcast address; both run until Ctrl-C.", [
        DemoProcess("udpping2-a", executable: "udpping2", sockets: []),
        DemoProcess("udpping2-b", executable: "udpping2", sockets: []),
    ]),
    Demo("udpping3", "UDP discovery, model three", .chapter8, drivers: [], pending: chapters7and8,
         note: "UDP beacons on the loopback broadcast address; both run until Ctrl-C.", [
        DemoProcess("udpping3-a", executable: "udpping3", sockets: []),
        DemoProcess("udpping3-b", executable: "udpping3", sockets: []),
    ]),
    Demo("dechat", "Decentralized chat between two loopback addresses", .chapter8,
         drivers: ["dechat-alice", "dechat-bob"], pending: chapters7and8, [
        chat("127.0.0.1", "alice", "Hello from alice"), chat("127.0.0.2", "bob", "Hello from bob"),
    ]),
]

// MARK: - The seed chat and the perf tools

private let seed: [Demo] = [
    Demo("dakee", "Two chat peers, each a REP server and a REQ client", .seed, drivers: ["dakee-5555"],
         note: "The runner types one line into each peer, then ends the first one's input.", [
        DemoProcess("dakee-5555", executable: "dakee", ["--port", "5555", "--peer", "127.0.0.1:5556"],
                    feeds: [.line("Hello from 5555", delay: 1500), .endOfInput(delay: 3000)],
                    sockets: [bind("REP", "tcp://*:5555"), connect("REQ", "tcp://127.0.0.1:5556")]),
        DemoProcess("dakee-5556", executable: "dakee", ["--port", "5556", "--peer", "127.0.0.1:5555"],
                    feeds: [.line("Hello from 5556", delay: 1000)],
                    sockets: [bind("REP", "tcp://*:5556"), connect("REQ", "tcp://127.0.0.1:5555")]),
    ]),
]

private let perf: [Demo] = [
    Demo("local_thr", "Throughput over tcp: 100,000 messages of 16 bytes", .perf, drivers: ["local_thr", "remote_thr"],
         note: "Use `swift build -c release` for figures worth comparing; see scripts/bench.", [
        DemoProcess("local_thr", ["tcp://*:5555", "16", "100000"], sockets: [bind("PULL", "tcp://*:5555")]),
        DemoProcess("remote_thr", ["tcp://localhost:5555", "16", "100000"],
                    sockets: [connect("PUSH", "tcp://localhost:5555")]),
    ]),
    Demo("local_lat", "Latency over tcp: 10,000 round trips of 16 bytes", .perf, drivers: ["local_lat", "remote_lat"],
         note: "Use `swift build -c release` for figures worth comparing; see scripts/bench.", [
        DemoProcess("local_lat", ["tcp://*:5555", "16", "10000"], sockets: [bind("REP", "tcp://*:5555")]),
        DemoProcess("remote_lat", ["tcp://localhost:5555", "16", "10000"],
                    sockets: [connect("REQ", "tcp://localhost:5555")]),
    ]),
]

private let security: [Demo] = [
    Demo("strawhouse", "An allowed address is served; another loopback address is refused", .security,
         drivers: ["allowed", "refused"],
         note: "Each step also runs alone (`swift run ironhouse`), playing both sides in one process.", [
        DemoProcess("strawhouse", ["--server"], sockets: [bind("PUSH", "tcp://*:9000")]),
        DemoProcess("allowed", executable: "strawhouse", ["--client"], delay: 1000,
                    sockets: [connect("PULL", "tcp://127.0.0.1:9000")]),
        DemoProcess("refused", executable: "strawhouse", ["--client", "--timeout", "2", "--endpoint", "tcp://127.0.0.2:0;127.0.0.1:9000"],
                    sockets: [connect("PULL", "tcp://127.0.0.1:9000")]),
    ]),
    Demo("woodhouse", "The right password is served; a wrong one is refused", .security,
         drivers: ["admin", "guesser"], [
        DemoProcess("woodhouse", ["--server"], sockets: [bind("PUSH", "tcp://*:9000")]),
        DemoProcess("admin", executable: "woodhouse", ["--client"], delay: 1000,
                    sockets: [connect("PULL", "tcp://127.0.0.1:9000")]),
        DemoProcess("guesser", executable: "woodhouse", ["--client", "--timeout", "2", "--password", "guess"],
                    sockets: [connect("PULL", "tcp://127.0.0.1:9000")]),
    ]),
]

