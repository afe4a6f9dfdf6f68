import CurioCore
import CurioStore
import Foundation
import Testing
@testable import CurioIngest

@Suite("The ingest pipeline")
struct IngestorTests {
    @Test func ingestingTheSameDataTwiceLeavesIdenticalStats() throws {
        let w = try Workspace()
        let first = try w.ingest([TateData.sample])
        let stats = try w.store.stats().canonicalJSON()
        let second = try w.ingest([TateData.sample])
        #expect(try w.store.stats().canonicalJSON() == stats)
        #expect(second.records.items == WriteSummary(inserted: 0, updated: 0, unchanged: 3000))
        #expect(second.records.agents == WriteSummary(inserted: 0, updated: 0, unchanged: 1441))
        #expect(second.records.concepts.inserted == 0 && second.records.concepts.updated == 0)
        #expect(second.records.concepts.unchanged == first.records.concepts.inserted)
        #expect(second.files.map(\.sha256) == first.files.map(\.sha256))
    }

    @Test func aChangedRecordIsUpdatedAndTheRestLeftAlone() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(200)
        let file = try w.write("artworks.jsonl.gz", objects: records)
        _ = try w.ingest([file])
        records[17]["title"] = "A Wholly New Title about Lighthouses"
        records[18]["medium"] = "Tempera on panel"
        try w.write("artworks.jsonl.gz", objects: records)
        let report = try w.ingest([file])
        #expect(report.records.items == WriteSummary(inserted: 0, updated: 2, unchanged: 198))
        let id = ItemID(records[17]["acno"] as! String)
        #expect(try w.store.item(id)?.title == "A Wholly New Title about Lighthouses")
        #expect(try w.store.searchText("lighthouses", limit: 5).map(\.item) == [id])
        #expect(try w.store.items(matching: ItemQuery(medium: "tempera on panel")).items.map(\.id) == [ItemID(records[18]["acno"] as! String)])
        let recorded = try #require(try w.store.ingestedFiles().first)
        #expect(recorded.sha256 == (try SHA256.hash(fileAt: file.path).hex))
        #expect(recorded.summary.inserted == 0 && recorded.summary.updated == 2)
        #expect(recorded.summary.unchanged == 198 + report.records.concepts.unchanged)
    }

    @Test func progressIsReportedInRecordsAndBytes() throws {
        let w = try Workspace()
        var updates: [IngestProgress] = []
        let report = try w.ingest([TateData.sample], chunkSize: 250) { updates.append($0) }
        #expect(updates.count >= 3000 / 250)
        #expect(zip(updates, updates.dropFirst()).allSatisfy { $0.recordsDone <= $1.recordsDone && $0.bytesDone <= $1.bytesDone })
        let last = try #require(updates.last)
        #expect(last.recordsDone == 3000 + 1441)
        let total = try TateImporter().inputFiles(under: TateData.sample).reduce(0) {
            $0 + ((try FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0)
        }
        #expect(last.bytesTotal == total)
        #expect(last.bytesDone == total)
        #expect(last.fraction == 1)
        #expect(report.recordsRead == 3000 + 1441 + report.records.concepts.inserted)
    }

    @Test func theReportEncodesAsSnakeCaseJSON() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(3)
        records[0].removeValue(forKey: "title")
        let report = try w.ingest([try w.write("artworks.jsonl", objects: records), w.folder.appendingPathComponent("missing.jsonl")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try JSONSerialization.jsonObject(with: encoder.encode(report)) as! [String: Any]
        #expect(Set(json.keys) == ["format", "files", "records", "events", "skipped", "warnings", "failures", "elapsed_seconds"])
        #expect(json["format"] as? String == "tate")
        let failures = json["failures"] as! [[String: Any]]
        #expect(failures.first?["is_missing_input"] as? Bool == true)
        let skipped = json["skipped"] as! [[String: Any]]
        #expect(skipped.first?["field"] as? String == "title")
        #expect((json["records"] as! [String: Any])["items"] as? [String: Int] == ["inserted": 2, "updated": 0, "unchanged": 0])
        #expect(report.exitCode(allowSkips: true) == .noInput)
    }

    @Test func eventsAreValidatedCheckedAgainstTheCatalogueAppendedAndDeduplicated() throws {
        let w = try Workspace()
        _ = try w.store.write(RecordBatch(items: ["A1", "A2", "A3"].map { Item(id: ItemID($0), source: "t", title: $0) }))
        let t = Date(timeIntervalSince1970: 1_700_000_000)
        let events = [
            Event(visitor: "v1", item: "A1", kind: .view, timestamp: t),
            Event(visitor: "v1", item: "A1", kind: .view, timestamp: t),
            Event(visitor: "v2", item: "A2", kind: .rate, value: 11, timestamp: t),
            Event(visitor: "v2", item: "A3", kind: .like, timestamp: t.addingTimeInterval(3)),
            Event(visitor: "v3", item: "NOT-HELD", kind: .view, timestamp: t),
        ]
        let importer = FixedImporter(chunks: [ImportChunk(file: "/events.csv", events: events, sha256: "00")])
        let report = try Ingestor(store: w.store).ingest([w.folder], with: importer)
        #expect(report.events == EventAppendSummary(appended: 2, duplicates: 1))
        #expect(report.skipped.map(\.field) == ["value", "item"])
        #expect(report.skipped.map(\.kind) == [.skipped, .unknownItem])
        #expect(report.skipped.first?.record == "v2 → A2")
        #expect(report.skipped.last?.message.contains("NOT-HELD") == true)
        #expect(try w.store.stats().events == 2)
        #expect(try w.store.existingItemIDs(["A1", "NOT-HELD", "A3"]) == ["A1", "A3"])
    }

    @Test func aStoreFailureStopsTheIngestAndRollsBackTheOpenFile() throws {
        let w = try Workspace()
        let failing = FailingStore(wrapping: w.store, failOnWrite: 3)
        let items = (0..<5).map { Item(id: ItemID("X\($0)"), source: "test", title: "Item \($0)") }
        let importer = FixedImporter(chunks: [
            ImportChunk(file: "/a", records: RecordBatch(items: [items[0]]), completesFile: true, sha256: "aa"),
            ImportChunk(file: "/b", records: RecordBatch(items: [items[1]]), completesFile: false),
            ImportChunk(file: "/b", records: RecordBatch(items: [items[2]]), completesFile: true, sha256: "bb"),
            ImportChunk(file: "/c", records: RecordBatch(items: [items[3], items[4]]), completesFile: true, sha256: "cc"),
        ])
        #expect(throws: StoreError.self) {
            _ = try Ingestor(store: failing).ingest([w.folder], with: importer)
        }
        #expect(try w.store.allItemIDs() == ["X0"])
        #expect(try w.store.ingestedFiles().map(\.path) == ["/a"])
        #expect(try w.store.integrityCheck() == ["ok"])
    }

    @Test func anImporterThatStreamsAFileAndThenFailsLeavesNothingOfIt() throws {
        let w = try Workspace()
        let items = (0..<4).map { Item(id: ItemID("Y\($0)"), source: "test", title: "Item \($0)") }
        let importer = FixedImporter(chunks: [
            ImportChunk(file: "/a", records: RecordBatch(items: [items[0]]), completesFile: true, sha256: "aa"),
            ImportChunk(file: "/b", records: RecordBatch(items: [items[1]]), completesFile: false),
            ImportChunk(file: "/b", records: RecordBatch(items: [items[2]]), completesFile: false),
        ], thenThrow: IngestError.malformed(path: "/b", line: 99, reason: "broken at the end"))
        let report = try Ingestor(store: w.store).ingest([w.folder], with: importer)
        #expect(report.failures == [IngestFailure(path: "/b", line: 99, message: "/b:99: broken at the end")])
        #expect(report.files.map(\.status) == [.committed, .failed])
        #expect(try w.store.allItemIDs() == ["Y0"])
    }

    @Test func recordsWithEmptyIDsAreSkippedNotFatal() throws {
        let w = try Workspace()
        let importer = FixedImporter(chunks: [ImportChunk(file: "/x", records: RecordBatch(
            items: [Item(id: "", source: "t", title: "no id"), Item(id: "ok", source: "t", title: "fine")],
            agents: [Agent(id: "", name: "nobody")]), sha256: "00")])
        let report = try Ingestor(store: w.store).ingest([w.folder], with: importer)
        #expect(report.records.items.inserted == 1)
        #expect(report.skipped.count == 2)
        #expect(report.failures.isEmpty)
    }
}

/// Delivers fixed chunks, then optionally fails.
struct FixedImporter: Importer {
    static let formatName = "fixed"
    let chunks: [ImportChunk]
    var thenThrow: IngestError?

    init(chunks: [ImportChunk], thenThrow: IngestError? = nil) {
        self.chunks = chunks
        self.thenThrow = thenThrow
    }

    func read(_ url: URL, into sink: (ImportChunk) throws -> Void) throws {
        for chunk in chunks { try sink(chunk) }
        if let thenThrow { throw thenThrow }
    }
}

/// A store whose write session fails (like a full disk) on the n-th record write.
final class FailingStore: CollectionStore, @unchecked Sendable {
    let base: SQLiteStore
    let failOnWrite: Int

    init(wrapping base: SQLiteStore, failOnWrite: Int) {
        self.base = base
        self.failOnWrite = failOnWrite
    }

    final class Session: CollectionWriteSession {
        let inner: any CollectionWriteSession
        let failOn: Int
        var writes = 0
        init(_ inner: any CollectionWriteSession, failOn: Int) {
            self.inner = inner
            self.failOn = failOn
        }
        func write(_ batch: RecordBatch) throws -> RecordWriteSummary {
            writes += 1
            if writes == failOn { throw StoreError.sqlite(code: 13, message: "database or disk is full", sql: "INSERT") }
            return try inner.write(batch)
        }
        func appendEvents(_ events: [Event]) throws -> EventAppendSummary { try inner.appendEvents(events) }
        func markFileIngested(path: String, sha256: String, summary: WriteSummary) throws {
            try inner.markFileIngested(path: path, sha256: sha256, summary: summary)
        }
        func existingItemIDs(_ ids: [ItemID]) throws -> Set<ItemID> { try inner.existingItemIDs(ids) }
        func commit() throws { try inner.commit() }
        func rollback() throws { try inner.rollback() }
    }

    func withWriteSession<T>(_ body: (any CollectionWriteSession) throws -> T) throws -> T {
        try base.withWriteSession { try body(Session($0, failOn: failOnWrite)) }
    }
    func write(_ batch: RecordBatch) throws -> WriteSummary { try base.write(batch) }
    func item(_ id: ItemID) throws -> Item? { try base.item(id) }
    func agent(_ id: AgentID) throws -> Agent? { try base.agent(id) }
    func concept(_ id: ConceptID) throws -> Concept? { try base.concept(id) }
    func concepts(scheme: Concept.Scheme?) throws -> [Concept] { try base.concepts(scheme: scheme) }
    func items(matching query: ItemQuery) throws -> ItemPage { try base.items(matching: query) }
    func allItemIDs() throws -> [ItemID] { try base.allItemIDs() }
    func searchText(_ text: String, limit: Int) throws -> [SearchHit] { try base.searchText(text, limit: limit) }
    func appendEvents(_ events: [Event]) throws -> EventAppendSummary { try base.appendEvents(events) }
    func events(visitor: VisitorID) throws -> [Event] { try base.events(visitor: visitor) }
    func allEvents(since: Date?) throws -> [Event] { try base.allEvents(since: since) }
    func visitors(limit: Int, offset: Int) throws -> [VisitorSummary] { try base.visitors(limit: limit, offset: offset) }
    func stats() throws -> CollectionStats { try base.stats() }
    func markFileIngested(path: String, sha256: String, summary: WriteSummary) throws {
        try base.markFileIngested(path: path, sha256: sha256, summary: summary)
    }
    func allAgents() throws -> [Agent] { try base.allAgents() }
    func ingestedFiles() throws -> [IngestedFile] { try base.ingestedFiles() }
}
