extension KnowledgeGraph {
    /// The JSON-LD `@context` Curio's exports use: prefixes, `label` for `rdfs:label`, `provenance`, and one
    /// term per relation (named as ``Relation/name``) whose values are node IRIs.
    public static func jsonLDContext() -> String {
        var parts: [String] = []
        for (p, iri) in RDFVocabulary.prefixes { parts.append("\(JSONText.quote(p)): \(JSONText.quote(iri))") }
        parts.append("\"label\": \"rdfs:label\"")
        parts.append("\"provenance\": \"curio:provenance\"")
        for r in Relation.allCases {
            parts.append("\(JSONText.quote(r.name)): {\"@id\": \(JSONText.quote(RDFVocabulary.compact(RDFVocabulary.predicate(r)))), \"@type\": \"@id\", \"@container\": \"@set\"}")
        }
        return "{\n    " + parts.joined(separator: ",\n    ") + "\n  }"
    }

    /// Calls `body` with consecutive pieces of a JSON-LD document describing the graph: an `@context`
    /// (``jsonLDContext()``) and an `@graph` with one object per node (`@id`, `@type`, `label`, and its outgoing
    /// edges under their relation names), followed by `rdf:Statement` objects for edges whose provenance differs
    /// from their relation's default.
    public func forEachJSONLDChunk(base: String = NodeIRIs.defaultBase, _ body: (String) throws -> Void) throws {
        let iris = try NodeIRIs(base: base)
        var nodeIRI = [String]()
        nodeIRI.reserveCapacity(nodeCount)
        for n in 0..<nodeCount { nodeIRI.append(JSONText.quote(iris.iri(kind: kinds[n], key: keys[n]))) }
        try body("{\n  \"@context\": \(Self.jsonLDContext()),\n  \"@graph\": [")
        var first = true
        var reified: [(Int, Relation, Int, String)] = []
        for n in 0..<nodeCount {
            var s = first ? "\n    {" : ",\n    {"
            first = false
            s += "\"@id\": \(nodeIRI[n]), \"@type\": \(JSONText.quote(RDFVocabulary.compact(RDFVocabulary.nodeClass(kinds[n]))))"
            if !labels[n].isEmpty { s += ", \"label\": \(JSONText.quote(labels[n]))" }
            for r in Relation.allCases {
                let adj = adjacency(r)
                let lo = Int(adj.outOffsets[n]), hi = Int(adj.outOffsets[n + 1])
                guard hi > lo else { continue }
                s += ", \(JSONText.quote(r.name)): ["
                for i in lo..<hi {
                    if i > lo { s += ", " }
                    s += nodeIRI[Int(adj.outTargets[i])]
                    let p = provenanceTable[Int(adj.outProvenance[i])]
                    if p != r.defaultProvenance { reified.append((n, r, Int(adj.outTargets[i]), p)) }
                }
                s += "]"
            }
            s += "}"
            try body(s)
        }
        for (s, r, t, p) in reified {
            try body(",\n    {\"@type\": \"rdf:Statement\", \"rdf:subject\": {\"@id\": \(nodeIRI[s])}, "
                + "\"rdf:predicate\": {\"@id\": \(JSONText.quote(RDFVocabulary.predicate(r)))}, "
                + "\"rdf:object\": {\"@id\": \(nodeIRI[t])}, \"provenance\": \(JSONText.quote(p))}")
        }
        try body("\n  ]\n}\n")
    }

    /// The graph as one JSON-LD document (use ``writeJSONLD(to:base:)`` for large graphs).
    public func jsonLD(base: String = NodeIRIs.defaultBase) throws -> String {
        var out = ""
        try forEachJSONLDChunk(base: base) { out += $0 }
        return out
    }

    /// Writes the graph as JSON-LD to `path`, atomically.
    /// - Throws: ``GraphError/badParameter(name:reason:)`` for a bad base, ``GraphError/cannotWrite(path:reason:)``.
    public func writeJSONLD(to path: String, base: String = NodeIRIs.defaultBase) throws {
        let w = try AtomicFileWriter(path: path)
        try forEachJSONLDChunk(base: base) { try w.write($0) }
        try w.commit()
    }
}

/// JSON string quoting (RFC 8259): `"` and `\` escaped, control characters as `\uXXXX` or short escapes.
enum JSONText {
    static func quote(_ s: String) -> String {
        var out = "\""
        var clean = true
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C { clean = false; break }
        if clean { return out + s + "\"" }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let h = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
