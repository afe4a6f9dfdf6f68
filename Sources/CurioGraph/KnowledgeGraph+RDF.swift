import CurioCompression
import Foundation

extension KnowledgeGraph {
    // MARK: N-Triples export

    /// Calls `body` with every triple of the graph as an N-Triples line (with its line break).
    ///
    /// Order: for each node in index order its `rdf:type` and `rdfs:label`; then the edges of each relation in
    /// source, target order; then, for edges whose provenance differs from their relation's default
    /// (``Relation/defaultProvenance``), a reified `rdf:Statement` carrying `curio:provenance`.
    public func forEachNTriplesLine(base: String = NodeIRIs.defaultBase, _ body: (String) throws -> Void) throws {
        let iris = try NodeIRIs(base: base)
        var nodeIRI = [String]()
        nodeIRI.reserveCapacity(nodeCount)
        for n in 0..<nodeCount { nodeIRI.append("<" + iris.iri(kind: kinds[n], key: keys[n]) + ">") }
        let type = "<\(RDFVocabulary.type)>", label = "<\(RDFVocabulary.label)>"
        for n in 0..<nodeCount {
            try body("\(nodeIRI[n]) \(type) <\(RDFVocabulary.nodeClass(kinds[n]))> .\n")
            if !labels[n].isEmpty {
                try body("\(nodeIRI[n]) \(label) \"\(NTriples.escapeLiteral(labels[n]))\" .\n")
            }
        }
        var reified: [(Int, Relation, Int, String)] = []
        for r in Relation.allCases {
            let adj = adjacency(r)
            let predicate = "<\(RDFVocabulary.predicate(r))>"
            for s in 0..<nodeCount {
                for i in Int(adj.outOffsets[s])..<Int(adj.outOffsets[s + 1]) {
                    let t = Int(adj.outTargets[i])
                    try body("\(nodeIRI[s]) \(predicate) \(nodeIRI[t]) .\n")
                    let p = provenanceTable[Int(adj.outProvenance[i])]
                    if p != r.defaultProvenance { reified.append((s, r, t, p)) }
                }
            }
        }
        for (k, (s, r, t, p)) in reified.enumerated() {
            let b = "_:p\(k)"
            try body("\(b) \(type) <\(RDFVocabulary.statement)> .\n")
            try body("\(b) <\(RDFVocabulary.subject)> \(nodeIRI[s]) .\n")
            try body("\(b) <\(RDFVocabulary.predicate)> <\(RDFVocabulary.predicate(r))> .\n")
            try body("\(b) <\(RDFVocabulary.object)> \(nodeIRI[t]) .\n")
            try body("\(b) <\(RDFVocabulary.provenance)> \"\(NTriples.escapeLiteral(p))\" .\n")
        }
    }

    /// The whole graph as an N-Triples document (use ``writeNTriples(to:base:)`` for large graphs).
    public func nTriples(base: String = NodeIRIs.defaultBase) throws -> String {
        var out = ""
        try forEachNTriplesLine(base: base) { out += $0 }
        return out
    }

    /// Writes the graph as N-Triples to `path`, atomically (a temporary file renamed into place).
    /// - Returns: the number of triples written.
    /// - Throws: ``GraphError/badParameter(name:reason:)`` for a bad base, ``GraphError/cannotWrite(path:reason:)``.
    @discardableResult
    public func writeNTriples(to path: String, base: String = NodeIRIs.defaultBase) throws -> Int {
        let w = try AtomicFileWriter(path: path)
        var count = 0
        try forEachNTriplesLine(base: base) {
            try w.write($0)
            count += 1
        }
        try w.commit()
        return count
    }

    // MARK: N-Triples import

    /// Reads a graph exported by ``writeNTriples(to:base:)`` (plain or gzip-compressed).
    ///
    /// Node kinds and keys come from the IRIs (which must lie under `base`); `rdf:type` must agree with them,
    /// `rdfs:label` gives labels, each relation predicate gives an edge, and reified statements give edge
    /// provenance. Node order is the order of first mention, so a re-imported export equals the original graph.
    /// - Throws: ``GraphError/malformedTriple(file:line:reason:)`` for syntax errors and
    ///   ``GraphError/unsupportedTriple(file:line:reason:)`` for triples that do not fit the graph model,
    ///   both naming the file and line; ``GraphError/cannotRead(path:reason:)`` when the file cannot be read.
    public static func readNTriples(path: String, base: String = NodeIRIs.defaultBase) throws -> KnowledgeGraph {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw GraphError.cannotRead(path: path, reason: "no such readable file")
        }
        var reader = try NTriplesGraphReader(base: base, file: path)
        do {
            try LineReader(path: path).forEachLine { line, bytes in
                guard let bytes else {
                    throw GraphError.malformedTriple(file: path, line: line, reason: "line is too long")
                }
                if let t = try NTriples.parseLine(bytes, file: path, line: line) { try reader.add(t, line: line) }
            }
        } catch let e as GraphError {
            throw e
        } catch {
            throw GraphError.cannotRead(path: path, reason: "\(error)")
        }
        return try reader.finish()
    }

    /// Reads a graph from an N-Triples document held in memory (see ``readNTriples(path:base:)``).
    public static func parseNTriples(_ text: String, base: String = NodeIRIs.defaultBase,
                                     file: String = "<string>") throws -> KnowledgeGraph {
        var reader = try NTriplesGraphReader(base: base, file: file)
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if let t = try NTriples.parseLine(Array(line.utf8), file: file, line: lineNumber) {
                try reader.add(t, line: lineNumber)
            }
        }
        return try reader.finish()
    }
}

/// Turns a stream of triples back into a graph.
struct NTriplesGraphReader {
    let iris: NodeIRIs
    let file: String
    var builder = KnowledgeGraphBuilder()
    var edges: [(source: NodeIndex, relation: Relation, target: NodeIndex, line: Int)] = []
    var statements: [String: (subject: String?, predicate: String?, object: String?, provenance: String?, line: Int)] = [:]
    var statementOrder: [String] = []
    var nodeCache: [String: NodeIndex] = [:]

    init(base: String, file: String) throws {
        iris = try NodeIRIs(base: base)
        self.file = file
    }

    func unsupported(_ line: Int, _ reason: String) -> GraphError {
        .unsupportedTriple(file: file, line: line, reason: reason)
    }

    mutating func node(_ iri: String, line: Int) throws -> NodeIndex {
        if let n = nodeCache[iri] { return n }
        guard let (kind, key) = iris.parse(iri) else {
            throw unsupported(line, "<\(iri)> is not a node IRI under \(iris.base)")
        }
        let n = builder.node(kind, key: key, label: "")
        nodeCache[iri] = n
        return n
    }

    mutating func add(_ t: RDFTriple, line: Int) throws {
        switch t.subject {
        case let .blank(b):
            if statements[b] == nil {
                statements[b] = (nil, nil, nil, nil, line)
                statementOrder.append(b)
            }
            switch (t.predicate, t.object) {
            case (RDFVocabulary.type, .iri(RDFVocabulary.statement)): break
            case (RDFVocabulary.subject, let .iri(i)): statements[b]!.subject = i
            case (RDFVocabulary.predicate, let .iri(i)): statements[b]!.predicate = i
            case (RDFVocabulary.object, let .iri(i)): statements[b]!.object = i
            case (RDFVocabulary.provenance, let .literal(v, _, _)): statements[b]!.provenance = v
            default: throw unsupported(line, "blank nodes are only read as provenance statements")
            }
        case let .iri(s):
            let source = try node(s, line: line)
            switch t.predicate {
            case RDFVocabulary.type:
                guard case let .iri(c) = t.object, let kind = RDFVocabulary.kindByClass[c] else {
                    throw unsupported(line, "unknown node class \(t.object)")
                }
                guard builder.kind(of: source) == kind else {
                    throw unsupported(line, "<\(s)> is typed \(RDFVocabulary.compact(c)) but its IRI says \(builder.kind(of: source).name)")
                }
            case RDFVocabulary.label:
                guard case let .literal(v, _, _) = t.object else { throw unsupported(line, "rdfs:label must be a literal") }
                builder.setLabel(source, v)
            default:
                guard let relation = RDFVocabulary.relationByPredicate[t.predicate] else {
                    throw unsupported(line, "unknown predicate <\(t.predicate)>")
                }
                guard case let .iri(o) = t.object else {
                    throw unsupported(line, "\(RDFVocabulary.compact(t.predicate)) must point to a node IRI")
                }
                let target = try node(o, line: line)
                let sk = builder.kind(of: source), tk = builder.kind(of: target)
                guard relation.domain.contains(sk), relation.range.contains(tk) else {
                    throw unsupported(line, "\(relation.name) cannot join a \(sk.name) to a \(tk.name)")
                }
                edges.append((source, relation, target, line))
            }
        case .literal:
            throw unsupported(line, "a literal cannot be a subject")
        }
    }

    mutating func finish() throws -> KnowledgeGraph {
        struct EdgeKey: Hashable { var s: Int32; var r: UInt8; var t: Int32 }
        var provenance: [EdgeKey: String] = [:]
        for b in statementOrder {
            guard let st = statements[b] else { continue }
            guard let s = st.subject, let p = st.predicate, let o = st.object, let prov = st.provenance,
                  let relation = RDFVocabulary.relationByPredicate[p] else {
                throw unsupported(st.line, "provenance statement _:\(b) needs rdf:subject, rdf:predicate, rdf:object and curio:provenance")
            }
            let sn = try node(s, line: st.line), on = try node(o, line: st.line)
            provenance[EdgeKey(s: sn.rawValue, r: relation.rawValue, t: on.rawValue)] = prov
        }
        for e in edges {
            let p = provenance[EdgeKey(s: e.source.rawValue, r: e.relation.rawValue, t: e.target.rawValue)]
            do {
                try builder.addEdge(e.source, e.relation, e.target, provenance: p)
            } catch {
                throw unsupported(e.line, "\(error)")
            }
        }
        return builder.finish()
    }
}
