import CurioCore
import Foundation
import Testing
@testable import CurioIngest

@Suite("Importing visitor events")
struct EventsImporterTests {
    /// A fixed clock so that the fixtures' 2099 timestamps are in the future and everything else in the past.
    let importer = EventsImporter(now: Date(timeIntervalSince1970: 1_767_225_600)) // 2026-01-01T00:00:00Z

    func iso(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)!
    }

    @Test func readsCSVEventsWithSynonymsAndEveryTimestampForm() throws {
        let file = Fixtures.url("events/visits.csv")
        let chunks = try collectChunks(importer, file)
        let events = chunks.events
        #expect(events.count == 6)
        #expect(events[0] == Event(visitor: "v001", item: "HM.1901.1", kind: .view, timestamp: iso("2024-05-01T10:15:30Z"),
                                   session: "s1", room: "R1", device: "app"))
        #expect(events[1].kind == .dwell)
        #expect(events[1].value == 42.5)
        #expect(events[1].timestamp == iso("2024-05-01T10:16:12.250Z"))
        #expect(events[2].kind == .rate, "'rating' is a synonym of rate")
        #expect(events[2].value == 4)
        #expect(events[2].timestamp == iso("2024-05-01T08:20:00Z"), "the +02:00 offset is applied")
        #expect(events[3].kind == .like, "kinds are case-insensitive")
        #expect(events[3].timestamp == Date(timeIntervalSince1970: 1_714_558_530))
        #expect(events[3].room == nil)
        #expect(events[4].kind == .beaconEnter)
        #expect(events[4].timestamp == iso("2024-05-01T11:00:00Z"), "no zone means UTC; a space may replace T")
        #expect(events[5].kind == .share)
        #expect(events[5].session == nil)
        #expect(chunks.count == 1)
        #expect(chunks[0].completesFile)
        #expect(chunks[0].file == file.path)
        #expect(chunks[0].records.isEmpty)
    }

    @Test func reportsEachInvalidEventWithFileLineAndField() throws {
        let file = Fixtures.url("events/visits.csv")
        let problems = try collectChunks(importer, file).problems
        let byLine = Dictionary(uniqueKeysWithValues: problems.map { ($0.line ?? 0, $0) })
        #expect(problems.allSatisfy { $0.file == file.path && $0.kind == .skipped })
        #expect(byLine[7]?.field == "timestamp")
        #expect(byLine[7]?.message.contains("future") == true)
        #expect(byLine[8]?.field == "value")
        #expect(byLine[8]?.message.contains("negative") == true)
        #expect(byLine[9]?.field == "value")
        #expect(byLine[9]?.message.contains("outside 1 to 5") == true)
        #expect(byLine[10]?.field == "kind")
        #expect(byLine[10]?.message.contains("teleport") == true)
        #expect(byLine[11]?.field == "timestamp")
        #expect(byLine[11]?.message.contains("yesterday") == true)
        #expect(byLine[12]?.field == "visitor")
        #expect(byLine[13]?.field == "value")
        #expect(byLine[13]?.record == "v005 → HM.1970.1")
        #expect(problems.count == 7)
    }

    @Test func readsJSONLines() throws {
        let file = Fixtures.url("events/visits.jsonl")
        let chunks = try collectChunks(importer, file)
        let events = chunks.events
        #expect(events.map(\.visitor.rawValue) == ["v010", "v010", "11", "v012"])
        #expect(events[1].value == 30)
        #expect(events[1].timestamp == Date(timeIntervalSince1970: 1_717_232_460))
        #expect(events[1].room == "R1")
        #expect(events[2].kind == .rate)
        #expect(events[2].value == 5)
        #expect(events[2].timestamp == iso("2024-06-01T08:02:00.500Z"))
        #expect(events[3].timestamp == iso("2024-06-01T09:03:00Z"), "seconds are optional")
        let problems = chunks.problems
        #expect(problems.map(\.line) == [6, 7, 8, 9, 10, 11])
        #expect(problems[0].field == "timestamp")
        #expect(problems[1].message.contains("not valid JSON"))
        #expect(problems[2].message.contains("not a JSON object"))
        #expect(problems[3].field == "value")
        #expect(problems[3].message.contains("longer than a day"))
        #expect(problems[4].field == "item")
        #expect(problems[5].field == "item")
        #expect(problems[5].message.contains("missing"))
    }

    @Test func readsAJSONArrayFileAndGzip() throws {
        let dir = try TemporaryFolder()
        try dir.write("events.json", """
        [
          {"visitor": "a", "item": "X", "kind": "view", "timestamp": "2024-01-01T00:00:00Z"},
          {"visitor": "a", "item": "X", "kind": "bogus", "timestamp": "2024-01-01T00:00:01Z"}
        ]
        """)
        try dir.writeGzip("more.jsonl.gz", #"{"visitor": "b", "item": "Y", "kind": "skip", "timestamp": 1704067200}"# + "\n")
        let chunks = try collectChunks(importer, dir.url)
        #expect(chunks.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["events.json", "more.jsonl.gz"])
        #expect(chunks.events.map(\.visitor) == ["a", "b"])
        #expect(chunks.problems.map(\.line) == [2])
        #expect(chunks.problems.first?.field == "kind")
    }

    @Test func missingHeaderColumnIsAFileLevelError() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("e.csv", "visitor,object,kind,when\nv,X,view,2024-01-01\n")
        var delivered = 0
        let error = #expect(throws: IngestError.self) { try importer.read(file) { _ in delivered += 1 } }
        guard case let .malformed(path, line, reason)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(path == file.path)
        #expect(line == 1)
        #expect(reason.contains("'item', 'timestamp'"))
        #expect(delivered == 0)
    }

    @Test func largeFilesAreCheckedCompletelyBeforeAnythingIsDelivered() throws {
        let dir = try TemporaryFolder()
        var text = "visitor,item,kind,value,timestamp,session\n"
        for k in 0..<50 { text += "v\(k),X,view,,2024-01-01T00:00:\(String(format: "%02d", k % 60))Z,s\n" }
        text += "v,X,view,,2024-01-01T00:00:00Z,\"unterminated\n"
        let file = try dir.write("big.csv", text)
        let twoPass = EventsImporter(now: importer.now, batchSize: 10, singlePassLimit: 0)
        var delivered = 0
        #expect(throws: IngestError.self) { try twoPass.read(file) { _ in delivered += 1 } }
        #expect(delivered == 0)

        let good = try dir.write("good.csv", String(text.dropLast("v,X,view,,2024-01-01T00:00:00Z,\"unterminated\n".count)))
        let chunks = try collectChunks(twoPass, good)
        #expect(chunks.map(\.events.count) == [10, 10, 10, 10, 10, 0])
        #expect(chunks.map(\.completesFile) == [false, false, false, false, false, true])
    }

    @Test("kind names and synonyms", arguments: [
        ("view", EventKind.view), ("VIEW", .view), ("rating", .rate), ("Rated", .rate), ("favourite", .like),
        ("beacon_enter", .beaconEnter), ("beacon-leave", .beaconLeave), ("exit", .beaconLeave), ("dwell time", .dwell),
        ("qr_scan", .scan), ("dislike", .dislike),
    ])
    func kindNames(text: String, kind: EventKind) {
        #expect(EventsImporter.kind(named: text) == kind)
    }

    @Test func unknownKindNamesAreRejected() {
        #expect(EventsImporter.kind(named: "teleport") == nil)
        #expect(EventsImporter.kind(named: "") == nil)
    }
}

@Suite("Event timestamps")
struct EventsTimestampTests {
    typealias T = EventsImporter.Timestamp

    @Test("accepted forms", arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("1970-01-01", 0),
        ("2024-02-29T12:00:00Z", 1_709_208_000),
        ("2024-02-29T12:00:00.5Z", 1_709_208_000.5),
        ("2024-02-29T12:00:00,25Z", 1_709_208_000.25),
        ("2024-02-29T14:00:00+02:00", 1_709_208_000),
        ("2024-02-29T07:00:00-0500", 1_709_208_000),
        ("2024-02-29T14:00+02", 1_709_208_000),
        ("2024-02-29 12:00:00", 1_709_208_000),
        ("2024-02-29t12:00z", 1_709_208_000),
        ("1709208000", 1_709_208_000),
        ("1709208000.75", 1_709_208_000.75),
        ("1709208000000", 1_709_208_000),
        ("1899-12-31T00:00:00Z", -2_209_075_200),
    ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(T.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.001)
    }

    @Test("rejected forms", arguments: [
        "", "yesterday", "2024-02-30T00:00:00Z", "2023-02-29", "2024-13-01", "2024-01-01T24:00:00Z",
        "2024-01-01T10:00:00Q", "2024-01-01T10:00:00.Z", "01/02/2024", "2024-01-01T10", "12:00", "1.2.3",
    ])
    func rejects(text: String) {
        #expect(T.parse(text) == nil)
    }
}
