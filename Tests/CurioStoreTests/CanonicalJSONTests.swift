import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite("Canonical JSON of stored records")
struct CanonicalJSONTests {
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    private let awkward = "tab\tnew\nline \"quoted\" back\\slash /slash \u{0}\u{1}\u{1F}\u{7F} é 🎨 \u{2028}"

    /// Fails when a property is nil or empty, so that a property added to a record type later must be set here
    /// (and then shows up in the byte comparison).
    private func expectEveryPropertySet(_ value: Any, _ path: String = "") {
        for child in Mirror(reflecting: value).children {
            let name = path + "." + (child.label ?? "?")
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                #expect(!mirror.children.isEmpty, "\(name) is nil in the fixture")
                if let inner = mirror.children.first { expectEveryPropertySet(inner.value, name) }
            } else if mirror.displayStyle == .collection || mirror.displayStyle == .dictionary {
                #expect(!mirror.children.isEmpty, "\(name) is empty in the fixture")
            } else if mirror.displayStyle == .struct {
                expectEveryPropertySet(child.value, name)
            }
        }
    }

    private var fullItem: Item {
        Item(id: "N0\"1", source: "test/source", title: awkward, alternateTitles: ["fr": "Le titre", "de": "Der Titel", "é": "x"],
             description: "A description\nwith lines", makers: [MakerCredit(agent: "a:1", name: "Maker", role: "after"),
                                                              MakerCredit(agent: "a:2", name: "Other \\ Maker")],
             date: DateRange(text: "c.1850–60", startYear: 1845, endYear: 1865, isCirca: true), medium: "Oil",
             classification: "painting", dimensions: "support: 394 x 419 mm", widthMM: 419.00000000000006, heightMM: 0.1,
             depthMM: 1e21, subjects: ["s:1", "s:2"], movements: ["m:1"], creditLine: "Presented 1922", acquisitionYear: -12,
             rights: "CC0", url: "http://www.tate.org.uk/art/x?y=1&z=2",
             images: [ImageReference(kind: .iiif, location: "https://iiif.example/1", licence: "© someone"),
                      ImageReference(kind: .file, location: "images/1.jpg")])
    }

    private var fullAgent: Agent {
        let place = Place(name: "Philadelphia, United States", placeName: "Philadelphia", placeType: "county", country: "United States")
        return Agent(id: "tate:artist:0", name: "Edwin Austin Abbey", sortName: "Abbey, Edwin Austin", aliases: ["E. A. Abbey", awkward],
                     gender: "Male", birthYear: 1852, deathYear: 1911, birthPlace: place, deathPlace: place,
                     activePlaces: [place, Place(name: "X", placeName: "X", placeType: "nation", country: "X")],
                     movements: ["tate:movement:1"], url: "http://www.tate.org.uk/art/artists/x")
    }

    private var fullConcept: Concept {
        Concept(id: "tate:subject:1134", scheme: .subject, label: "man, old", broader: "tate:subject:95", level: 2, sourceURI: "tate:1134")
    }

    @Test func fixturesSetEveryProperty() {
        expectEveryPropertySet(fullItem)
        expectEveryPropertySet(fullAgent)
        expectEveryPropertySet(fullConcept)
    }

    @Test func recordsEncodeExactlyAsJSONEncoderDoes() throws {
        let codec = RecordCodec()
        #expect(try codec.encode(fullItem) == (try encoder.encode(fullItem)))
        #expect(codec.encode(fullAgent) == (try encoder.encode(fullAgent)))
        #expect(codec.encode(fullConcept) == (try encoder.encode(fullConcept)))
        let sparse = Item(id: "x", source: "s", title: "t")
        #expect(try codec.encode(sparse) == (try encoder.encode(sparse)))
        let bare = Agent(id: "a", name: "n")
        #expect(codec.encode(bare) == (try encoder.encode(bare)))
        let top = Concept(id: "c", scheme: .era, label: "l")
        #expect(codec.encode(top) == (try encoder.encode(top)))
    }

    @Test("numbers are written as JSONEncoder writes them", arguments: [
        0.0, -0.0, 1.0, 394.0, 0.1, 25.4 * 2, 1e-7, 1e16, 1e21, 123456789012.5, 12345678901234567890.0, -3.75, Double.leastNonzeroMagnitude,
    ])
    func numbers(value: Double) throws {
        var item = Item(id: "x", source: "s", title: "t")
        item.widthMM = value
        item.acquisitionYear = Int(exactly: value.rounded()) ?? 7
        #expect(try RecordCodec().encode(item) == (try encoder.encode(item)))
    }

    @Test func integersOfEverySize() throws {
        for value in [0, 7, -7, 10, 1999, -2_000_000, Int.max, Int.min + 1] {
            var item = Item(id: "x", source: "s", title: "t")
            item.acquisitionYear = value
            #expect(try RecordCodec().encode(item) == (try encoder.encode(item)), "\(value)")
        }
    }

    @Test func notANumberIsRefusedNamingTheField() {
        var item = fullItem
        item.heightMM = .infinity
        #expect {
            _ = try RecordCodec().encode(item)
        } throws: { error in
            guard case let StoreError.invalidValue(field, _) = error else { return false }
            return field.contains("heightMM")
        }
    }
}

@Suite("Content hashes")
struct ContentHashTests {
    @Test func differentContentGivesDifferentHashes() {
        var seen = Set<Data>()
        for length in 0..<40 {
            for variant in 0..<8 {
                var bytes = [UInt8](repeating: 0x61, count: length)
                if length > 0 { bytes[variant % length] = UInt8(0x30 + variant) }
                seen.insert(RecordCodec.contentHash(Data(bytes)))
            }
        }
        // Lengths 0…39, up to 8 variants each (fewer for short lengths where variants coincide).
        let distinctInputs = Set((0..<40).flatMap { length in (0..<8).map { variant -> [UInt8] in
            var bytes = [UInt8](repeating: 0x61, count: length)
            if length > 0 { bytes[variant % length] = UInt8(0x30 + variant) }
            return bytes
        } })
        #expect(seen.count == distinctInputs.count)
        #expect(RecordCodec.contentHash(Data("abc".utf8)).count == 8)
        #expect(RecordCodec.contentHash(Data("abc".utf8)) == RecordCodec.contentHash(Data("abc".utf8)))
    }

    @Test func aHashCollisionCannotHideAChange() throws {
        let t = try TemporaryStore()
        let original = Sample.items[0]
        _ = try t.store.write(RecordBatch(items: [original]))
        var changed = original
        changed.title = "Changed"
        // Forge the stored hash so that it equals the changed record's: only the content comparison can tell.
        let forged = RecordCodec.contentHash(try RecordCodec().encode(changed))
        try t.store.pool.write { db in
            try db.run("UPDATE items SET hash = ? WHERE id = ?", [.blob(forged), .text(original.id.rawValue)])
        }
        #expect(try t.store.write(RecordBatch(items: [changed])) == WriteSummary(inserted: 0, updated: 1, unchanged: 0))
        #expect(try t.store.item(original.id)?.title == "Changed")
    }
}
