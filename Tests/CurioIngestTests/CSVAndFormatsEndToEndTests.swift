import CurioCore
import CurioStore
import Foundation
import Testing
@testable import CurioIngest

/// A few end-to-end checks of the format importers through the real ``Ingestor`` and SQLite store.
@Suite("Format importers through the ingestor")
struct CSVAndFormatsEndToEndTests {
    let folder: TemporaryFolder
    let store: SQLiteStore

    init() throws {
        folder = try TemporaryFolder()
        store = try SQLiteStore(path: folder.url.appendingPathComponent("curio.db").path)
    }

    @Test func theExampleCSVLandsInTheStoreAndReingestingChangesNothing() throws {
        let examples = Fixtures.repositoryRoot.appendingPathComponent("data/examples")
        let importer = try CSVItemImporter(mappingFile: examples.appendingPathComponent("collection.mapping.json"))
        let csv = examples.appendingPathComponent("collection.csv")
        let first = try Ingestor(store: store).ingest([csv], with: importer)
        #expect(first.failures.isEmpty)
        #expect(first.exitCode(allowSkips: false) == .success)
        #expect(first.records.items.inserted == 15)
        let aristotle = try #require(try store.item("met-437394"))
        #expect(aristotle.title == "Aristotle with a Bust of Homer")
        #expect(aristotle.source == "example")
        #expect(aristotle.subjects.contains("example:subject:people/philosophers"))
        #expect(try store.concept("example:subject:people")?.level == 0)
        #expect(try store.searchText("philosophers", limit: 5).map(\.item).contains("met-437394"))
        let stats = try store.stats()
        let again = try Ingestor(store: store).ingest([csv], with: importer)
        #expect(again.records.items.inserted == 0 && again.records.items.updated == 0)
        #expect(try store.stats() == stats)
    }

    @Test func problemsAreReportedAndOnlyCompleteFilesAreStored() throws {
        let mapping = try ColumnMapping(source: "t", columns: [.id: .init(name: "id"), .title: .init(name: "title"),
                                                                .date: .init(name: "date")])
        try folder.write("in/a.csv", "id,title,date\nA1,One,1850\nA2,,1851\nA3,Three,30000\n")
        try folder.write("in/b.csv", "id,title,date\nB1,Bee,1900\nB2,\"Broken,1901\n")
        let report = try Ingestor(store: store).ingest([folder.url.appendingPathComponent("in")],
                                                        with: CSVItemImporter(mapping: mapping))
        #expect(try store.item("A1") != nil)
        #expect(try store.item("A3")?.date == nil)
        #expect(try store.item("B1") == nil, "b.csv has a file-level error, so none of it is stored")
        #expect(report.skipped.map(\.field) == ["title"])
        #expect(report.warnings.map(\.field) == ["date"])
        let failure = try #require(report.failures.first)
        #expect(failure.path.hasSuffix("b.csv"))
        #expect(failure.message.contains("b.csv:3:4"))
        #expect(report.exitCode(allowSkips: true) == .dataError)
    }

    @Test func eventsAndLinkedArtGoThroughTheIngestor() throws {
        let art = try Ingestor(store: store).ingest([Fixtures.url("linked-art")], with: LinkedArtImporter())
        #expect(art.records.items.inserted == 8)
        #expect(art.skipped.count == 7)
        #expect(art.warnings.count == 4)
        #expect(art.exitCode(allowSkips: false) == .dataError)
        #expect(art.exitCode(allowSkips: true) == .success)
        #expect(try store.item("LA.1889.12")?.alternateTitles == ["nl": "Nachthaven"])
        #expect(try store.agent("https://collection.example.org/person/hendrika-vos")?.birthYear == 1851)

        // Events must name catalogued items (the ingestor reports others as `unknown-item`): store the ones the
        // fixture's valid events use, and check that an event for an item not held is reported, not stored.
        _ = try store.write(RecordBatch(items: ["HM.1901.1", "HM.1923.4"].map { Item(id: ItemID($0), source: "t", title: $0) }))
        let events = try Ingestor(store: store).ingest([Fixtures.url("events/visits.jsonl")], with: EventsImporter())
        #expect(events.events.appended == 3)
        #expect(events.skipped.count == 7)
        #expect(events.skipped.filter { $0.kind == .unknownItem }.map(\.record) == ["v012 → HM.1950.12"])
        #expect(try store.events(visitor: "v010").map(\.kind) == [.view, .dwell])
    }

    @Test func thePaintingsGoThroughTheIngestor() throws {
        let paintings = Fixtures.shared.appendingPathComponent("data/public-domain-paintings")
        guard FileManager.default.fileExists(atPath: paintings.path) else { return }
        let report = try Ingestor(store: store).ingest([paintings], with: PaintingsImporter())
        #expect(report.records.items.inserted == 4_378)
        #expect(report.skipped.isEmpty && report.warnings.isEmpty && report.failures.isEmpty)
        #expect(report.files.count == 1)
        #expect(try store.item("met-247009")?.images.first?.kind == .file)
    }
}
