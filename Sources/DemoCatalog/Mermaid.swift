// Draws a demo as a Mermaid flowchart: a node per process (a box of nodes
// when it has threads), an arrow per connection from the connecting socket to
// the binding one, labelled with both socket types and the bound endpoint.

extension Demo {
    /// The demo's topology as the body of a ```mermaid block.
    public var mermaid: String {
        var lines = ["flowchart LR"]
        for process in processes {
            let threads = process.threadNames
            if threads == [nil] {
                lines.append("    \(nodeID(process.label, nil))[\"\(process.label)\"]")
            } else {
                lines.append("    subgraph \(nodeID(process.label, nil))[\"\(process.label)\"]")
                for thread in threads {
                    lines.append("        \(node(process, thread))[\"\(thread ?? "main")\"]")
                }
                lines.append("    end")
            }
        }
        var outside: [String] = []
        func outsideNode(_ endpoint: String) -> String {
            if !outside.contains(endpoint) {
                outside.append(endpoint)
                lines.append("    outside\(outside.count)((\"\(endpoint)\"))")
            }
            return "outside\((outside.firstIndex(of: endpoint) ?? 0) + 1)"
        }
        var boundAndUsed = Set<String>()
        for process in processes {
            for socket in process.sockets where socket.side == .connect {
                let peers = binders(of: socket, in: process)
                if peers.isEmpty {
                    lines.append("    \(node(process, socket.thread)) -. \"\(socket.type)\" .-> \(outsideNode(socket.endpoint))")
                }
                for (peer, bound) in peers {
                    boundAndUsed.insert("\(peer.label)|\(bound.endpoint)")
                    let label = "\(socket.type) → \(bound.type)<br/>\(bound.endpoint)"
                    lines.append("    \(node(process, socket.thread)) -- \"\(label)\" --> \(node(peer, bound.thread))")
                }
            }
        }
        for process in processes {
            for socket in process.sockets where socket.side == .bind
                && !boundAndUsed.contains("\(process.label)|\(socket.endpoint)") {
                lines.append("    \(outsideNode("peers outside the demo")) -. \"→ \(socket.type)<br/>\(socket.endpoint)\" .-> \(node(process, socket.thread))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The bound sockets that a connecting socket of `process` reaches.
    private func binders(of socket: SocketUse, in process: DemoProcess) -> [(DemoProcess, SocketUse)] {
        let key = endpointKey(socket.endpoint)
        var found: [(DemoProcess, SocketUse)] = []
        for candidate in processes {
            if socket.endpoint.hasPrefix("inproc://") && candidate.label != process.label { continue }
            for bound in candidate.sockets where bound.side == .bind && endpointKey(bound.endpoint) == key {
                found.append((candidate, bound))
            }
        }
        return found
    }

    /// The node of `thread` in `process`: the process itself when it has
    /// no threads, else a node inside its box (`main` for the main thread).
    private func node(_ process: DemoProcess, _ thread: String?) -> String {
        process.threadNames == [nil] ? nodeID(process.label, nil) : nodeID(process.label, thread ?? "main")
    }

    private func nodeID(_ label: String, _ thread: String?) -> String {
        let base = String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        guard let thread else { return base }
        return base + "__" + String(thread.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "_" })
    }
}

/// What makes a connect meet a bind: the port for tcp (the host is `*`,
/// localhost or a loopback address here), the path for ipc, the name for inproc.
func endpointKey(_ endpoint: String) -> String {
    if endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":") {
        return "tcp:" + endpoint[endpoint.index(after: colon)...]
    }
    return endpoint
}

extension DemoProcess {
    /// The threads that own its sockets, the main thread (`nil`) first.
    var threadNames: [String?] {
        var names: [String?] = [nil]
        for socket in sockets where !names.contains(socket.thread) {
            names.append(socket.thread)
        }
        if names.count > 1 && !sockets.contains(where: { $0.thread == nil }) {
            names.removeFirst()
        }
        return names
    }
}

/// The marker lines around the generated part of examples.md.
public let diagramsBegin = "<!-- BEGIN topology diagrams: generated from Sources/DemoCatalog by `swift run demo --update-diagrams`; do not edit by hand -->"
public let diagramsEnd = "<!-- END topology diagrams -->"

/// The generated section of examples.md, markers included: a diagram per
/// demo, chapter by chapter.
public func diagramsSection() -> String {
    var out = [diagramsBegin, "## Topology diagrams", "",
               "One picture per demo, drawn from the same data as `swift run demo NAME`. A box is a process",
               "(with its threads inside when it has some); an arrow goes from the socket that connects to the",
               "socket that binds, labelled with both socket types and the bound endpoint. A dotted arrow leads",
               "to a peer outside the demo.", ""]
    for part in Part.allCases {
        let inPart = demos.filter { $0.part == part }
        if inPart.isEmpty { continue }
        out.append("### \(part.title)")
        out.append("")
        for demo in inPart {
            out.append("#### \(demo.name): \(demo.title)")
            out.append("")
            out.append("`swift run demo \(demo.name)` starts " + demo.processes.map { "`\($0.label)`" }.joined(separator: ", ") + ".")
            if let note = demo.note { out.append(note) }
            out.append("")
            out.append("```mermaid")
            out.append(demo.mermaid)
            out.append("```")
            out.append("")
        }
    }
    out.append(diagramsEnd)
    return out.joined(separator: "\n")
}

/// `text` (examples.md) with its generated section replaced by a fresh one,
/// or with one appended when it has none yet.
public func replacingDiagrams(in text: String) -> String {
    let fresh = diagramsSection()
    guard let begin = text.firstRange(of: diagramsBegin), let end = text.firstRange(of: diagramsEnd),
          begin.lowerBound < end.upperBound else {
        return text + (text.hasSuffix("\n") ? "\n" : "\n\n") + fresh + "\n"
    }
    return String(text[..<begin.lowerBound]) + fresh + String(text[end.upperBound...])
}
