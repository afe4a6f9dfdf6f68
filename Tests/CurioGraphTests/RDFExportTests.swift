import CurioCore
@testable import CurioGraph
import Foundation
import Testing

/// A unique temporary directory per test (tests run in parallel).
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("curio-graph-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct RDFExportTests {
    let g = SmallCollection.graph()

    @Test func exportedNTriplesReimportToTheSameGraph() throws {
        let text = try g.nTriples()
        let back = try KnowledgeGraph.parseNTriples(text)
        #expect(back == g)
        // Decade → century edges carry a non-default provenance, so they are reified.
        #expect(text.contains("<https://w3id.org/curio/ns#provenance> \"DateRange.decade\" ."))
        #expect(back.provenance(try back.resolve("decade:1840"), .broader, try back.resolve("century:19")) == "DateRange.decade")
    }

    @Test func fileRoundTripUnderACustomBase() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("graph.nt").path
        let base = "https://collection.example.org/graph#"
        let count = try g.writeNTriples(to: path, base: base)
        #expect(count == (try String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n").count)
        let back = try KnowledgeGraph.readNTriples(path: path, base: base)
        #expect(back == g)
        // The same file read under another base names no Curio nodes.
        #expect(throws: GraphError.self) { try KnowledgeGraph.readNTriples(path: path) }
    }

    @Test func usesSchemaOrgLinkedArtAndSKOSTerms() throws {
        let text = try g.nTriples(base: "https://ex.org/id/")
        #expect(text.contains("<https://ex.org/id/item/i1> <http://schema.org/creator> <https://ex.org/id/agent/a:turner> ."))
        #expect(text.contains("<https://ex.org/id/subject/s:sea> <http://www.w3.org/2004/02/skos/core#broader> <https://ex.org/id/subject/s:seascapes> ."))
        #expect(text.contains("<https://ex.org/id/agent/a:turner> <http://schema.org/birthPlace> <https://ex.org/id/place/london%2C%20united%20kingdom> ."))
        #expect(text.contains("<https://ex.org/id/item/i1> <http://www.cidoc-crm.org/cidoc-crm/P2_has_type> <https://ex.org/id/classification/painting> ."))
        #expect(text.contains("<https://ex.org/id/item/i1> <http://schema.org/artMedium> <https://ex.org/id/material/oil%20paint> ."))
        #expect(text.contains("<https://ex.org/id/item/i1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/VisualArtwork> ."))
        #expect(text.contains("<https://ex.org/id/item/i1> <http://www.w3.org/2000/01/rdf-schema#label> \"Norham Castle, Sunrise\" ."))
    }

    @Test func literalsAreEscapedPerTheSpecificationAndSurvive() throws {
        var b = KnowledgeGraphBuilder()
        let label = "A \"quoted\" title\\with\tTab\nNew line\r\u{01}\u{7F} — été 🎨"
        b.node(.item, key: "odd key/with spaces?#&", label: label)
        let graph = b.finish()
        let text = try graph.nTriples()
        #expect(text.contains(#""A \"quoted\" title\\with\tTab\nNew line\r\u0001\u007F — été 🎨""#))
        #expect(text.contains("/item/odd%20key%2Fwith%20spaces%3F%23%26>"))
        #expect(text.split(separator: "\n").count == 2)
        let back = try KnowledgeGraph.parseNTriples(text)
        #expect(back.labels == [label])
        #expect(back.keys == ["odd key/with spaces?#&"])
    }

    @Test func parserReadsTheFullNTriplesSyntax() throws {
        let doc = """
        # a comment line

        <http://a.example/s> <http://a.example/p> "plain" .   # trailing comment
        <http://a.example/s> <http://a.example/p> "chat"@fr-BE .
        <http://a.example/s> <http://a.example/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
        _:b1 <http://a.example/p> _:b2.
        <http://a.example/\\u00E9> <http://a.example/p> "\\U0001F3A8 \\u00e9 \\' \\b\\f" .
        """
        let triples = try NTriples.parse(doc, file: "doc.nt")
        #expect(triples.count == 5)
        #expect(triples[1].object == .literal("chat", language: "fr-BE", datatype: nil))
        #expect(triples[2].object == .literal("1", language: nil, datatype: "http://www.w3.org/2001/XMLSchema#integer"))
        #expect(triples[3].subject == .blank("b1") && triples[3].object == .blank("b2"))
        #expect(triples[4].subject == .iri("http://a.example/é"))
        #expect(triples[4].object == .literal("🎨 é ' \u{08}\u{0C}", language: nil, datatype: nil))
        // Serialising and parsing again gives the same triples.
        let again = try NTriples.parse(triples.map(\.description).joined(separator: "\n"))
        #expect(again == triples)
    }

    @Test(arguments: [
        ("<http://a/s> <http://a/p> <http://a/o>", "expected '.'"),
        ("<http://a/s> <http://a/p> <http://a/o", "unterminated IRI"),
        ("<http://a/s> <http://a/p> \"open .", "unterminated literal"),
        ("<http://a/s> <http://a/p> \"bad \\q\" .", "unknown escape"),
        ("\"lit\" <http://a/p> <http://a/o> .", "expected a subject"),
        ("<http://a/s> _:p <http://a/o> .", "expected a predicate"),
        ("<http://a/s> <http://a/p> <http://a/o> . extra", "unexpected text"),
        ("<http://a/s> <http://a/p> <http://a/with space> .", "not allowed in an IRI"),
        ("<relative> <http://a/p> <http://a/o> .", "not an absolute IRI"),
        ("<http://a/s> <http://a/p> \"x\"@ .", "language tag"),
    ])
    func malformedTriplesAreReportedWithFileAndLine(line: String, reason: String) throws {
        let doc = "<http://a/s> <http://a/p> <http://a/o> .\n\n" + line + "\n"
        do {
            _ = try NTriples.parse(doc, file: "broken.nt")
            Issue.record("no error for \(line)")
        } catch let GraphError.malformedTriple(file, lineNumber, message) {
            #expect(file == "broken.nt")
            #expect(lineNumber == 3)
            #expect(message.contains(reason), "\(message)")
        }
    }

    @Test func malformedFileReportsItsPathAndLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bad.nt").path
        let lines = try g.nTriples().split(separator: "\n")
        let broken = lines.prefix(4).joined(separator: "\n") + "\n<https://curio.example/id/item/i1> <oops\n"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try KnowledgeGraph.readNTriples(path: path)
        } throws: { error in
            String(describing: error).hasPrefix("\(path):5: malformed triple")
        }
    }

    @Test func triplesOutsideTheModelAreRejectedWithTheirLine() throws {
        let base = NodeIRIs.defaultBase
        let cases = [
            "<\(base)item/x> <http://example.org/unknown> <\(base)agent/y> .",
            "<\(base)place/x> <http://schema.org/creator> <\(base)agent/y> .",
            "<\(base)item/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Place> .",
            "<http://elsewhere.org/x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" .",
        ]
        for c in cases {
            #expect {
                try KnowledgeGraph.parseNTriples("\n" + c, file: "in.nt")
            } throws: { error in
                guard case let GraphError.unsupportedTriple(file, line, _) = error else { return false }
                return file == "in.nt" && line == 2
            }
        }
    }

    @Test func badBasesAreRefused() {
        for base in ["no-scheme/", "https://ex.org/no-slash", "https://ex.org/a b/"] {
            #expect(throws: GraphError.self) { try g.nTriples(base: base) }
        }
    }

    @Test func jsonLDDescribesTheSameTriples() throws {
        let doc = try g.jsonLD(base: "https://ex.org/id/")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String: Any])
        let context = try #require(json["@context"] as? [String: Any])
        let graph = try #require(json["@graph"] as? [[String: Any]])
        // Expand the compact document with its own context and compare with the N-Triples export.
        func expand(_ term: String) -> String {
            if let def = context[term] as? String { return expand(def) }
            if let def = context[term] as? [String: Any], let id = def["@id"] as? String { return expand(id) }
            if let colon = term.firstIndex(of: ":"), let ns = context[String(term[..<colon])] as? String {
                return ns + term[term.index(after: colon)...]
            }
            return term
        }
        var triples = Set<String>()
        var statements = 0
        for object in graph {
            guard let id = object["@id"] as? String else {
                statements += 1
                continue
            }
            for (key, value) in object where key != "@id" {
                if key == "@type", let t = value as? String {
                    triples.insert("<\(id)> <\(RDFVocabulary.type)> <\(expand(t))> .")
                } else if let v = value as? String {
                    triples.insert("<\(id)> <\(expand(key))> \"\(NTriples.escapeLiteral(v))\" .")
                } else if let list = value as? [String] {
                    for o in list { triples.insert("<\(id)> <\(expand(key))> <\(o)> .") }
                }
            }
        }
        let nt = try g.nTriples(base: "https://ex.org/id/").split(separator: "\n").map(String.init)
        let expected = Set(nt.filter { !$0.hasPrefix("_:") })
        #expect(triples == expected)
        #expect(statements == nt.filter { $0.hasPrefix("_:") }.count / 5)
    }
}
