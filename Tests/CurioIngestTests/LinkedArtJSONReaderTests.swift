import Foundation
import CurioJSON
import Testing
@testable import CurioIngest

@Suite("Linked Art fixtures as JSON")
struct LinkedArtJSONReaderTests {
    @Test func everyFixtureReadsLikeJSONSerializationReadsIt() throws {
        let folder = Fixtures.url("linked-art")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where name.hasSuffix(".json") && name != "not-json.json" {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let ours = try JSONParser.parse(data)
            let theirs = try JSONSerialization.jsonObject(with: data)
            #expect(count(ours) == count(theirs), "\(name)")
        }
    }

    func count(_ v: JSONValue) -> Int {
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
