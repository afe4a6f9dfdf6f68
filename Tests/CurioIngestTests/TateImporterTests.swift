import CurioCore
import Foundation
import Testing
@testable import CurioIngest
@testable import CurioStore

@Suite("Importing the Tate collection")
struct TateImporterTests {
    @Test func theSampleComesInCompleteAndClean() throws {
        let w = try Workspace()
        let report = try w.ingest([TateData.sample])
        #expect(report.failures.isEmpty)
        #expect(report.skipped.isEmpty)
        #expect(report.records.items.inserted == 3000)
        // 1,442 artist records, one of them a second record of the same artist (Tate repeats four ids).
        #expect(report.records.agents.inserted == 1441)
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.message.contains("merged") == true)
        #expect(report.files.map(\.status) == [.committed, .committed, .committed])
        #expect(report.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["subjects", "artists.jsonl.gz", "artworks.jsonl.gz"])
        let stats = try w.store.stats()
        #expect(stats.items == 3000)
        #expect(stats.agents == 1441)
        #expect(stats.itemsBySource == ["tate": 3000])
        #expect(try w.store.ingestedFiles().count == 3)
        let artworks = try #require(try w.store.ingestedFiles().first { $0.path.hasSuffix("artworks.jsonl.gz") })
        #expect(artworks.sha256 == (try SHA256.hash(fileAt: TateData.sample.appendingPathComponent("artworks.jsonl.gz").path).hex))
        #expect(report.exitCode(allowSkips: false) == .success)
        // Stored JSON is exactly what JSONEncoder writes, for every real record.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var items: [Item] = []
        try w.store.forEachItem { items.append($0) }
        #expect(items.count == 3000)
        for item in items {
            #expect(try w.store.itemJSON(item.id) == (try encoder.encode(item)), "\(item.id)")
        }
        for agent in try w.store.allAgents() {
            let stored = try w.store.pool.read { db in
                try db.withStatement("SELECT json FROM agents WHERE id = ?") { s -> Data in
                    try s.bind(agent.id.rawValue, at: 1)
                    _ = try s.step()
                    return s.data(0)
                }
            }
            #expect(stored == (try encoder.encode(agent)), "\(agent.id)")
        }
    }

    @Test func theSubjectHierarchyIsIntact() throws {
        let w = try Workspace()
        _ = try w.ingest([TateData.sample])
        let subjects = try w.store.concepts(scheme: .subject)
        let byID = Dictionary(uniqueKeysWithValues: subjects.map { ($0.id, $0) })
        #expect(Set(subjects.map(\.level)) == [0, 1, 2])
        for concept in subjects {
            switch concept.level {
            case 0:
                #expect(concept.broader == nil)
            case 1:
                let parent = try #require(concept.broader.flatMap { byID[$0] }, "\(concept.id) has no level-0 parent")
                #expect(parent.level == 0)
            default:
                let parent = try #require(concept.broader.flatMap { byID[$0] }, "\(concept.id) has no level-1 parent")
                #expect(parent.level == 1)
                let grandparent = try #require(parent.broader.flatMap { byID[$0] }, "\(parent.id) has no level-0 parent")
                #expect(grandparent.level == 0)
            }
        }
        // Every subject on every item is a stored leaf term.
        var leaves = 0
        try w.store.forEachItem { item in
            for subject in item.subjects {
                leaves += 1
                #expect(byID[subject]?.level == 2, "\(item.id): \(subject)")
            }
        }
        #expect(leaves > 10_000)
        // Browsing a top term reaches artworks through two levels of narrower terms.
        let people = try w.store.items(matching: ItemQuery(subject: "tate:subject:91", pageSize: 1))
        #expect(people.total > 500)
        #expect(try w.store.items(matching: ItemQuery(subject: "people", pageSize: 1)).total == people.total)
    }

    @Test func anArtworkIsMappedFieldByField() throws {
        let w = try Workspace()
        let first = try TateData.lines(of: TateData.shared.appendingPathComponent("artworks.jsonl.gz"), count: 1)
        let file = try w.write("artworks.jsonl", lines: first)
        let report = try w.ingest([file])
        #expect(report.records.items.inserted == 1)
        let item = try #require(try w.store.item("A00001"))
        #expect(item.source == "tate")
        #expect(item.title == "A Figure Bowing before a Seated Old Man with his Arm Outstretched in Benediction. Verso: Indecipherable Sketch")
        #expect(item.makers == [MakerCredit(agent: "tate:artist:38", name: "Robert Blake", role: "artist")])
        #expect(item.date == nil) // "date not known"
        #expect(item.medium == "Watercolour, ink, chalk and graphite on paper. Verso: graphite on paper")
        #expect(item.classification == "on paper, unique")
        #expect(item.dimensions == "support: 394 x 419 mm")
        #expect(item.widthMM == 394 && item.heightMM == 419 && item.depthMM == nil)
        #expect(item.creditLine == "Presented by Mrs John Richmond 1922")
        #expect(item.acquisitionYear == 1922)
        #expect(item.url == "http://www.tate.org.uk/art/artworks/blake-a-figure-bowing-before-a-seated-old-man-with-his-arm-outstretched-in-benediction-a00001")
        #expect(item.images == [ImageReference(kind: .url, location: "http://www.tate.org.uk/art/images/work/A/A00/A00001_8.jpg")])
        #expect(item.subjects == ["tate:subject:1050", "tate:subject:272", "tate:subject:694", "tate:subject:195",
                                  "tate:subject:1134", "tate:subject:5734"])
        #expect(try w.store.concept("tate:subject:1134") == Concept(id: "tate:subject:1134", scheme: .subject, label: "man, old",
                                                                      broader: "tate:subject:95", level: 2))
        #expect(try w.store.concept("tate:subject:95") == Concept(id: "tate:subject:95", scheme: .subject, label: "adults",
                                                                    broader: "tate:subject:91", level: 1))
        #expect(try w.store.concept("tate:subject:91") == Concept(id: "tate:subject:91", scheme: .subject, label: "people", level: 0))
        #expect(try w.store.searchText("benediction", limit: 5).map(\.item) == ["A00001"])
        #expect(try w.store.searchText("religion", limit: 5).map(\.item) == ["A00001"])
    }

    @Test func datesUseTateYearsKeepCircaAndFallBackToTheParser() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(4)
        records[0]["dateText"] = "c.1785"
        records[0]["dateRange"] = ["startYear": 1785, "endYear": 1785, "text": "c.1785"]
        records[1]["dateText"] = "1826–7, reprinted 1892"
        records[1]["dateRange"] = ["startYear": 1826, "endYear": 1827, "text": "1826-7, reprinted 1892"]
        records[2]["dateText"] = "1850–60"
        records[2]["dateRange"] = NSNull()
        records[3]["dateText"] = "2005"
        records[3]["dateRange"] = ["startYear": "2005", "text": "2005"]
        let report = try w.ingest([try w.write("artworks.jsonl", objects: records)])
        #expect(report.warnings.isEmpty)
        let ids = records.map { ItemID($0["acno"] as! String) }
        #expect(try w.store.item(ids[0])?.date == DateRange(text: "c.1785", startYear: 1780, endYear: 1790, isCirca: true))
        #expect(try w.store.item(ids[1])?.date == DateRange(text: "1826–7, reprinted 1892", startYear: 1826, endYear: 1827))
        #expect(try w.store.item(ids[2])?.date == DateRange(text: "1850–60", startYear: 1850, endYear: 1860))
        #expect(try w.store.item(ids[3])?.date == DateRange(text: "2005", startYear: 2005, endYear: 2005))
    }

    @Test func dimensionsAreConvertedToMillimetres() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(3)
        records[0]["units"] = "cm"
        records[0]["width"] = "39.4"
        records[0]["height"] = 41.9
        records[0]["depth"] = ""
        records[1]["units"] = "in"
        records[1]["width"] = "10"
        records[1]["height"] = "(left):"
        records[1]["depth"] = "2"
        records[2]["units"] = "cubits"
        records[2]["width"] = "3"
        let report = try w.ingest([try w.write("artworks.jsonl", objects: records)])
        let ids = records.map { ItemID($0["acno"] as! String) }
        let a = try #require(try w.store.item(ids[0]))
        #expect(abs((a.widthMM ?? 0) - 394) < 1e-9 && abs((a.heightMM ?? 0) - 419) < 1e-9 && a.depthMM == nil)
        let b = try #require(try w.store.item(ids[1]))
        #expect(b.widthMM == 254 && b.heightMM == nil && abs((b.depthMM ?? 0) - 50.8) < 1e-9)
        let c = try #require(try w.store.item(ids[2]))
        #expect(c.widthMM == nil)
        #expect(report.warnings.map(\.field) == ["units"])
        #expect(report.warnings.first?.record == ids[2].rawValue)
    }

    @Test func anArtistIsMappedWithPlacesAndMovements() throws {
        let w = try Workspace()
        let lines = try TateData.lines(of: TateData.shared.appendingPathComponent("artists.jsonl.gz"), count: 2)
        var objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        objects[1]["movements"] = [["era": ["id": 8, "name": "20th century 1900-1945"], "id": 320, "name": "Surrealism"]]
        let report = try w.ingest([try w.write("artists.jsonl", objects: objects)])
        #expect(report.records.agents.inserted == 2)
        let abbey = try #require(try w.store.agent("tate:artist:0"))
        #expect(abbey.name == "Edwin Austin Abbey")
        #expect(abbey.sortName == "Abbey, Edwin Austin")
        #expect(abbey.gender == "Male")
        #expect(abbey.birthYear == 1852 && abbey.deathYear == 1911)
        #expect(abbey.birthPlace == Place(name: "Philadelphia, United States", placeName: "Philadelphia", placeType: "county", country: "United States"))
        #expect(abbey.deathPlace == Place(name: "London, United Kingdom", placeName: "London", placeType: "inhabited_place", country: "United Kingdom"))
        #expect(abbey.activePlaces == [Place(name: "England, United Kingdom", placeName: "England", placeType: "country", country: "United Kingdom")])
        #expect(abbey.movements == ["tate:movement:320"])
        #expect(abbey.url == "http://www.tate.org.uk/art/artists/edwin-austin-abbey-0")
        let abakanowicz = try #require(try w.store.agent("tate:artist:10093"))
        #expect(abakanowicz.birthPlace?.country == "Polska")
        #expect(abakanowicz.deathYear == nil)
        #expect(try w.store.concept("tate:movement:320") == Concept(id: "tate:movement:320", scheme: .movement, label: "Surrealism",
                                                                      broader: "tate:era:8", level: 1))
        #expect(try w.store.concept("tate:era:8") == Concept(id: "tate:era:8", scheme: .era, label: "20th century 1900-1945"))
        #expect(try w.store.stats().places == 4)
    }

    @Test func artworkMovementsBecomeConceptsUnderTheirEra() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(1)
        records[0]["movements"] = [["era": ["id": 350, "name": "19th century"], "id": 363, "name": "Pre-Raphaelite Brotherhood"]]
        _ = try w.ingest([try w.write("artworks.jsonl", objects: records)])
        let id = ItemID(records[0]["acno"] as! String)
        #expect(try w.store.item(id)?.movements == ["tate:movement:363"])
        #expect(try w.store.items(matching: ItemQuery(subject: "19th century")).items.map(\.id) == [id])
        #expect(try w.store.searchText("pre-raphaelite", limit: 3).map(\.item) == [id])
    }

    @Test func theGitHubFolderLayoutGivesTheSameRecordsAsJSONLines() throws {
        let w = try Workspace()
        let artworks = try TateData.lines(of: TateData.sample.appendingPathComponent("artworks.jsonl.gz"), count: 30)
        let artists = try TateData.lines(of: TateData.sample.appendingPathComponent("artists.jsonl.gz"), count: 10)
        let tree = w.folder.appendingPathComponent("github")
        for line in artworks + artists {
            let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
            let path = object["_path"] as! String
            let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            _ = try w.write("github/" + path, data: pretty)
        }
        let subjects = tree.appendingPathComponent("processed/subjects")
        try FileManager.default.createDirectory(at: subjects, withIntermediateDirectories: true)
        for name in ["level0list.json", "level1list.json"] {
            try FileManager.default.copyItem(at: TateData.sample.appendingPathComponent("subjects/\(name)"),
                                             to: subjects.appendingPathComponent(name))
        }
        let report = try w.ingest([tree])
        #expect(report.failures.isEmpty && report.skipped.isEmpty)
        #expect(report.records.items.inserted == 30 && report.records.agents.inserted == 10)
        #expect(report.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["subjects", "artists", "artworks"])

        let other = try Workspace()
        _ = try other.ingest([other.write("artworks.jsonl", lines: artworks), other.write("artists.jsonl", lines: artists)])
        for line in artworks {
            let acno = (try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any])["acno"] as! String
            #expect(try w.store.item(ItemID(acno)) == (try other.store.item(ItemID(acno))))
        }
        // Re-ingesting the folder changes nothing; a broken record file is skipped with its line.
        #expect(try w.ingest([tree]).records.items.unchanged == 30)
        _ = try w.write("github/artworks/z/broken.json", data: Data("{\n  \"acno\": \"Z1\",\n  \"title\": oops\n}".utf8))
        let again = try w.ingest([tree])
        #expect(again.skipped.count == 1)
        #expect(again.skipped.first?.line == 3)
        #expect(again.skipped.first?.file.hasSuffix("broken.json") == true)
    }

    @Test func aSingleRecordFileIsRecognisedByItsFields() throws {
        let w = try Workspace()
        let artist = try TateData.lines(of: TateData.sample.appendingPathComponent("artists.jsonl.gz"), count: 1)[0]
        let artwork = try TateData.lines(of: TateData.sample.appendingPathComponent("artworks.jsonl.gz"), count: 1)[0]
        let report = try w.ingest([try w.write("one-artist.json", data: Data(artist)), try w.write("one-artwork.json", data: Data(artwork))])
        #expect(report.records.agents.inserted == 1 && report.records.items.inserted == 1)
    }

    @Test func theFullTateDumpParsesCompletely() throws {
        // The whole collection once, without the store (the store is exercised on the sample): every record maps.
        var items = 0
        var agents = 0
        var problems: [RecordProblem] = []
        var warnings: [RecordProblem] = []
        var concepts: [ConceptID: Concept] = [:]
        var leafSubjects = Set<ConceptID>()
        try TateImporter(chunkSize: 5000).read(TateData.shared) { chunk in
            items += chunk.records.items.count
            agents += chunk.records.agents.count
            problems += chunk.problems
            warnings += chunk.warnings
            for c in chunk.records.concepts {
                #expect(concepts[c.id] == nil, "concept \(c.id) delivered twice")
                concepts[c.id] = c
            }
            for item in chunk.records.items { leafSubjects.formUnion(item.subjects) }
        }
        #expect(items == 69_202)
        // 3,538 artist records for 3,534 artists: the four repeated ids are merged, with a warning each.
        #expect(agents == 3_534)
        #expect(warnings.filter { $0.message.contains("merged") }.count == 4)
        #expect(agents + warnings.filter { $0.message.contains("merged") }.count == 3_538)
        #expect(problems.isEmpty)
        #expect(leafSubjects.count > 15_000)
        for id in leafSubjects {
            let leaf = try #require(concepts[id])
            let parent = try #require(leaf.broader.flatMap { concepts[$0] })
            let top = try #require(parent.broader.flatMap { concepts[$0] })
            #expect(leaf.level == 2 && parent.level == 1 && top.level == 0 && top.broader == nil)
        }
    }
}

@Suite("Repeated Tate records")
struct TateRepeatedRecordTests {
    @Test func repeatedArtistsAreMergedAndRepeatedArtworksSkipped() throws {
        let w = try Workspace()
        let klucis: [String: Any] = ["id": 5677, "fc": "Gustav Klucis", "mda": "Klucis, Gustav", "birthYear": 1895, "gender": "Male"]
        let klutsis: [String: Any] = ["id": 5677, "fc": "Gustav Klutsis", "mda": "Klutsis, Gustav", "gender": NSNull(),
                                      "death": ["time": ["startYear": 1944]]]
        let artists = try w.write("artists.jsonl", objects: [klucis, ["id": 1, "fc": "Someone"], klutsis])
        let report = try w.ingest([artists], chunkSize: 1)
        #expect(report.records.agents.inserted == 2)
        #expect(report.warnings.map(\.line) == [3])
        #expect(report.warnings.first?.message.contains("\(artists.path):1") == true)
        let agent = try #require(try w.store.agent("tate:artist:5677"))
        #expect(agent.name == "Gustav Klucis" && agent.aliases == ["Gustav Klutsis"])
        #expect(agent.sortName == "Klucis, Gustav" && agent.gender == "Male")
        #expect(agent.birthYear == 1895 && agent.deathYear == 1944)
        #expect(try w.ingest([artists]).records.agents == WriteSummary(inserted: 0, updated: 0, unchanged: 2))

        var records = try TateData.sampleArtworks(2)
        records.append(records[0])
        let artworks = try w.write("artworks.jsonl", objects: records)
        let second = try w.ingest([artworks])
        #expect(second.records.items.inserted == 2)
        #expect(second.skipped.map(\.line) == [3])
        #expect(second.skipped.map(\.kind) == [.duplicate])
        #expect(report.warnings.map(\.kind) == [.fieldDropped])
        #expect(second.skipped.first?.message.contains("\(artworks.path):1") == true)
    }
}
