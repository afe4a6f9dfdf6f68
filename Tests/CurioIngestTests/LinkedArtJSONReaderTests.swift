import Foundation
import Testing
@testable import CurioIngest

@Suite("The strict JSON reader behind the JSON importers")
struct LinkedArtJSONReaderTests {
    func parse(_ text: String) throws -> ImportJSON.Value { try ImportJSON.parse(Array(text.utf8)) }

    @Test func readsEveryKindOfValue() throws {
        let v = try parse(#" {"a": [1, -2.5e2, 0, true, false, null], "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "o": {}} "#)
        #expect(v == .object([
            "a": .array([.number(1), .number(-250), .number(0), .bool(true), .bool(false), .null]),
            "s": .string("x\"\\/\u{08}\u{0C}\n\r\té😀"),
            "o": .object([:]),
        ]))
        #expect(try parse("\"naïve café\"") == .string("naïve café"))
        #expect(ImportJSON.Value.text(of: 11) == "11")
        #expect(ImportJSON.Value.text(of: 1.5) == "1.5")
    }

    @Test("rejects what RFC 8259 does not allow", arguments: [
        ("", "ends"), ("{", "ends inside an object"), ("[1,]", "where a value was expected"),
        ("{'a': 1}", "quoted key"), ("[01]", "leading zeros"), ("[1.]", "decimal point"), ("[1e]", "exponent"),
        ("\"a\u{01}b\"", "control character"), ("\"\\x\"", "not a JSON escape"), ("\"\\ud800\"", "surrogate"),
        ("\"abc", "never closed"), ("{\"a\" 1}", "expected ':'"), ("[1 2]", "expected ',' or ']'"),
        ("nul", "ends inside"), ("[1] x", "after the JSON value"), ("// c\n1", "where a value was expected"),
        ("tru e", "expected 'true'"),
    ])
    func rejects(text: String, words: String) {
        do {
            _ = try parse(text)
            Issue.record("'\(text)' was accepted")
        } catch let error as ImportJSON.SyntaxError {
            #expect(error.reason.contains(words), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func reportsLineAndColumn() {
        do {
            _ = try parse("{\n  \"é\": [1,\n  x]}")
            Issue.record("accepted")
        } catch let error as ImportJSON.SyntaxError {
            #expect(error.line == 3)
            #expect(error.column == 3)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: ImportJSON.SyntaxError.self) { try ImportJSON.parse([0x22, 0x61, 0xE9, 0x22]) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ImportJSON.SyntaxError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test func agreesWithJSONSerializationOnTheFixtures() throws {
        let folder = Fixtures.url("linked-art")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasSuffix(".json") && name != "not-json.json" {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let ours = try ImportJSON.parse(data)
            let theirs = try JSONSerialization.jsonObject(with: data)
            #expect(count(ours) == count(theirs), "\(name)")
        }
    }

    func count(_ v: ImportJSON.Value) -> Int {
        switch v {
        case let .object(o): o.values.reduce(1) { $0 + count($1) }
        case let .array(a): a.reduce(1) { $0 + count($1) }
        default: 1
        }
    }

    func count(_ v: Any) -> Int {
        if let o = v as? [String: Any] { return o.values.reduce(1) { $0 + count($1) } }
        if let a = v as? [Any] { return a.reduce(1) { $0 + count($1) } }
        return 1
    }
}

@Suite("Byte-order marks in JSON files")
struct LinkedArtByteOrderMarkTests {
    @Test func aLeadingByteOrderMarkIsIgnored() throws {
        #expect(try ImportJSON.parse([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8)) == .object(["a": .number(1)]))
        let dir = try TemporaryFolder()
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data(#"{"id": "urn:x", "type": "HumanMadeObject", "_label": "X"}"#.utf8))
        let parsed = try LinkedArtImporter().parse(try dir.write("bom.json", data))
        #expect(parsed.items.map(\.id) == ["urn:x"])
    }

    @Test func overlongStatementsSkipTheDocument() throws {
        let dir = try TemporaryFolder()
        let long = String(repeating: "x", count: 50)
        let file = try dir.write("long.json", """
        {"id": "urn:y", "type": "HumanMadeObject", "_label": "Y",
         "referred_to_by": [{"type": "LinguisticObject", "content": "\(long)",
           "classified_as": [{"id": "http://vocab.getty.edu/aat/300435430"}]}]}
        """)
        let parsed = try LinkedArtImporter(limits: RecordLimits(text: 20)).parse(file)
        #expect(parsed.items.isEmpty)
        #expect(parsed.problems.first?.field == "referred_to_by")
    }
}
