import CurioCore
import Foundation
import Testing
@testable import CurioIngest

@Suite("Importing Linked Art documents")
struct LinkedArtImporterTests {
    let importer = LinkedArtImporter()

    func parse(_ name: String) throws -> ParsedFile {
        try importer.parse(Fixtures.url("linked-art/\(name)"))
    }

    func only(_ name: String) throws -> (Item, ParsedFile) {
        let parsed = try parse(name)
        #expect(parsed.items.count == 1)
        return (try #require(parsed.items.first), parsed)
    }

    @Test func mapsAPaintingFieldByField() throws {
        let (item, parsed) = try only("painting-night-harbour.json")
        #expect(item.id == "LA.1889.12", "the accession number is the id")
        #expect(item.source == "linked-art")
        #expect(item.title == "Night Harbour", "the English primary name is the title")
        #expect(item.alternateTitles == ["nl": "Nachthaven"])
        #expect(item.description == "Moored boats under a moonlit sky, their lanterns reflected in the black water.")
        #expect(item.creditLine == "Bequest of Hendrika Vos, 1931")
        #expect(item.dimensions == "73 × 92.1 cm")
        #expect(item.medium == "Oil on canvas", "the material statement wins over material labels")
        #expect(item.classification == "Painting")
        #expect(item.heightMM == 730)
        #expect(abs((item.widthMM ?? 0) - 921) < 1e-9)
        #expect(item.date == DateRange(text: "1889", startYear: 1889, endYear: 1889))
        #expect(item.makers == [MakerCredit(agent: "https://collection.example.org/person/hendrika-vos",
                                            name: "Hendrika Vos", role: "artist")])
        #expect(item.images == [ImageReference(kind: .iiif, location: "https://images.example.org/iiif/LA.1889.12")])
        #expect(item.url == "https://collection.example.org/objects/LA.1889.12")
        #expect(item.rights == "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)")
        #expect(item.movements == ["aat:300021503"])
        #expect(item.subjects == ["https://collection.example.org/concept/night",
                                  "https://collection.example.org/place/rotterdam", "aat:300015636"])
        #expect(parsed.problems.isEmpty)

        let agent = try #require(parsed.agents.first)
        #expect(agent.name == "Hendrika Vos")
        #expect(agent.birthYear == 1851)
        #expect(agent.deathYear == 1930)
        #expect(agent.url == "https://collection.example.org/person/hendrika-vos")

        let concepts = Dictionary(uniqueKeysWithValues: parsed.concepts.map { ($0.id, $0) })
        #expect(concepts["aat:300033618"] == Concept(id: "aat:300033618", scheme: .classification, label: "Painting",
                                                     sourceURI: "http://vocab.getty.edu/aat/300033618"))
        #expect(concepts["aat:300133025"] == nil, "'artwork' is not a classification")
        #expect(concepts["aat:300021503"]?.scheme == .movement)
        #expect(concepts["aat:300015050"]?.scheme == .material)
        #expect(concepts["aat:300014078"]?.label == "canvas")
        #expect(concepts["aat:300015636"]?.scheme == .subject)
    }

    @Test func readsPartsTechniquesApproximateDatesAndUnits() throws {
        let (item, parsed) = try only("painting-still-life.jsonld")
        #expect(item.id == "LA.1950.3")
        #expect(item.makers == [MakerCredit(agent: "ulan:500000001", name: "Maria Stilleven", role: "artist")],
                "a technique is not a role")
        #expect(item.date == DateRange(text: "c. 1650", startYear: 1645, endYear: 1655, isCirca: true),
                "an end at the first instant of 1656 means the end of 1655")
        #expect(item.medium == "oil paint, oak panel")
        #expect(abs((item.heightMM ?? 0) - 622.3) < 1e-9)
        #expect(item.widthMM == 762)
        #expect(item.depthMM == nil)
        #expect(item.dimensions == "height: 24.5 inches; width: 30 inches")
        #expect(item.subjects == ["linked-art:subject:vanitas", "https://collection.example.org/concept/lemon"])
        #expect(item.images == [ImageReference(kind: .url, location: "https://images.example.org/LA.1950.3.jpg",
                                               licence: "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)")])
        #expect(item.rights == "Photograph © the museum; painting in the public domain")
        #expect(item.url == "https://collection.example.org/object/still-life-lemons", "no home page: the document URI")
        #expect(parsed.concepts.contains { $0.id == "linked-art:material:oak-panel" && $0.scheme == .material })
        let problem = try #require(parsed.problems.first)
        #expect(parsed.problems.count == 1)
        #expect(problem.field == "dimension[2].value")
        #expect(problem.kind == .fieldDropped)
        #expect(problem.record == "LA.1950.3")
        #expect(problem.file.hasSuffix("painting-still-life.jsonld"))
    }

    @Test func creditsEveryMakerOfAPrintWithTheirRoles() throws {
        let (item, parsed) = try only("print-several-makers.json")
        #expect(item.id == "P.1773.5")
        #expect(item.classification == "Print")
        #expect(item.makers == [
            MakerCredit(agent: "https://collection.example.org/person/a-painter", name: "Anna Painter", role: "after"),
            MakerCredit(agent: "https://collection.example.org/person/w-cutter", name: "William Cutter",
                        role: "engraver"),
            MakerCredit(agent: "linked-art:agent:boyd-sons", name: "Boyd & Sons", role: "publisher"),
        ])
        #expect(parsed.agents.first { $0.name == "William Cutter" }?.aliases == ["W. Cutter"])
        #expect(item.date == DateRange(text: "1770–1773", startYear: 1770, endYear: 1773),
                "without an overall timespan, the parts' timespans are combined")
        let problem = try #require(parsed.problems.first)
        #expect(parsed.problems.count == 1)
        #expect(problem.field == "produced_by.part[3].carried_out_by[0]")
        #expect(problem.kind == .fieldDropped)
    }

    @Test func readsAPartialDate() throws {
        let (item, parsed) = try only("partial-date.json")
        #expect(item.id == "T.1880.2")
        #expect(item.title == "Sampler")
        #expect(item.date == DateRange(text: "1880", startYear: 1880, endYear: 1880))
        #expect(parsed.problems.isEmpty)
    }

    @Test func aDocumentWithOnlyALabelUsesItsURIAsIdentifier() throws {
        let (item, parsed) = try only("label-only.json")
        #expect(item.id == "https://collection.example.org/object/77")
        #expect(item.title == "Fragment of a tile")
        #expect(item.url == "https://collection.example.org/object/77")
        #expect(item.makers.isEmpty && item.date == nil && item.images.isEmpty)
        #expect(parsed.problems.isEmpty)
    }

    @Test func anAbsurdYearDropsOnlyTheDate() throws {
        let (item, parsed) = try only("absurd-year.json")
        #expect(item.id == "X.1")
        #expect(item.date == nil)
        let problem = try #require(parsed.problems.first)
        #expect(problem.field == "produced_by.timespan.begin_of_the_begin")
        #expect(problem.kind == .fieldDropped)
        #expect(problem.record == "X.1")
        #expect(problem.message.contains("30000"))
    }

    @Test("rejected documents", arguments: [
        ("missing-type.json", "type", "missing"),
        ("wrong-type.json", "type", "'Person'"),
        ("not-json.json", nil, "not valid JSON"),
    ] as [(String, String?, String)])
    func rejectsDocuments(name: String, field: String?, words: String) throws {
        let parsed = try parse(name)
        #expect(parsed.items.isEmpty)
        let problem = try #require(parsed.problems.first)
        #expect(parsed.problems.count == 1)
        #expect(problem.file == Fixtures.url("linked-art/\(name)").path)
        #expect(problem.field == field)
        #expect(problem.kind == .skipped)
        #expect(problem.message.contains(words))
    }

    @Test func readsJSONLinesOfDocumentsReportingEachBadLine() throws {
        let parsed = try parse("objects.jsonl")
        #expect(parsed.items.map(\.id) == ["B.12", "https://collection.example.org/object/reversed"])
        let cat = parsed.items[0]
        #expect(cat.classification == "Sculpture")
        #expect(cat.medium == "bronze")
        #expect(cat.date == DateRange(text: "664–332 BCE", startYear: -664, endYear: -332),
                "XSD year -0663 is 664 BCE")
        #expect(parsed.items[1].date == nil)
        let problems = parsed.problems.map { "\($0.line ?? 0) \($0.field ?? "-") \($0.kind.rawValue)" }
        #expect(problems == ["2 - skipped", "3 identified_by duplicate", "4 identified_by skipped",
                             "5 identified_by skipped", "6 produced_by.timespan field-dropped"])
        #expect(parsed.problems[1].message.contains("objects.jsonl:1"))
        #expect(parsed.problems[3].message.contains("title"))
        #expect(parsed.problems[4].message.contains("1900"))
    }

    @Test func importsAFolderFilePerFile() throws {
        let chunks = try collectChunks(importer, Fixtures.url("linked-art"))
        #expect(Set(chunks.items.map(\.id.rawValue)) == ["X.1", "B.12", "https://collection.example.org/object/reversed",
                                                          "https://collection.example.org/object/77", "LA.1889.12",
                                                          "LA.1950.3", "T.1880.2", "P.1773.5"])
        #expect(chunks.count == 10, "one chunk per file")
        #expect(chunks.allSatisfy { $0.completesFile })
        #expect(chunks.problems.filter(\.skipsRecord).count == 7)
    }

    @Test func readsArraysGraphsAndGzip() throws {
        let dir = try TemporaryFolder()
        try dir.write("array.json", """
        [{"id": "urn:a", "type": "HumanMadeObject", "_label": "A"}, {"id": "urn:b", "type": "Person", "_label": "B"}]
        """)
        try dir.write("graph.jsonld", """
        {"@context": "https://linked.art/ns/v1/linked-art.json",
         "@graph": [{"@id": "urn:c", "@type": "HumanMadeObject", "_label": "C"}]}
        """)
        try dir.writeGzip("docs.jsonl.gz", #"{"id": "urn:d", "type": "HumanMadeObject", "_label": "D"}"# + "\n")
        try dir.write("images/urn:d.png", Data([0]))
        let chunks = try collectChunks(importer, dir.url)
        #expect(chunks.items.map(\.id) == ["urn:a", "urn:d", "urn:c"])
        #expect(chunks.problems.map(\.line) == [2])
        #expect(chunks.items[1].images.first?.kind == .file, "images/<id>.* beside the data")
    }

    @Test("compact vocabulary ids", arguments: [
        ("http://vocab.getty.edu/aat/300033618", "aat:300033618"),
        ("https://vocab.getty.edu/page/ulan/500115588", "ulan:500115588"),
        ("http://vocab.getty.edu/tgn/7008038-place", "http://vocab.getty.edu/tgn/7008038-place"),
        ("http://www.wikidata.org/entity/Q42", "wikidata:Q42"),
        ("https://iconclass.org/25F23", "iconclass:25F23"),
        ("https://example.org/x", "https://example.org/x"),
        ("aat:300015050", "aat:300015050"),
    ])
    func compactsURIs(uri: String, compact: String) {
        #expect(LinkedArtVocabulary.compact(uri) == compact)
    }
}
