import CurioCore
import CurioStore
import Foundation
import Testing
@testable import CurioIngest

@Suite("Bad Tate input: skipped records, dropped values, refused files")
struct TateBadInputTests {
    private func sampleLines(_ count: Int) throws -> [[UInt8]] {
        try TateData.lines(of: TateData.sample.appendingPathComponent("artworks.jsonl.gz"), count: count)
    }

    @Test func aMalformedLineIsSkippedWithItsFileAndLine() throws {
        let w = try Workspace()
        var lines = try sampleLines(3)
        lines[1] = Array(lines[1].prefix(60))
        let file = try w.write("artworks.jsonl", lines: lines)
        let report = try w.ingest([file])
        #expect(report.records.items.inserted == 2)
        #expect(report.skipped.count == 1)
        let problem = try #require(report.skipped.first)
        #expect(problem.file == file.path)
        #expect(problem.line == 2)
        #expect(problem.message.contains("not valid JSON"))
        #expect(problem.description.hasPrefix("\(file.path):2"))
        #expect(report.exitCode(allowSkips: false) == .dataError)
        #expect(report.exitCode(allowSkips: true) == .success)
        // Blank lines are not records.
        let blank = try w.write("artworks-blank.jsonl", lines: [lines[0], [], Array("   ".utf8), lines[2]])
        #expect(try w.ingest([blank]).skipped.isEmpty)
    }

    @Test func aTruncatedGzipFileLeavesTheStoreUnchanged() throws {
        let w = try Workspace()
        // A first, sound file is committed.
        let good = try w.write("artists.jsonl", lines: try TateData.lines(of: TateData.sample.appendingPathComponent("artists.jsonl.gz"), count: 50))
        _ = try w.ingest([good])
        let before = try w.statsJSON()
        let filesBefore = try w.store.ingestedFiles()
        // The sample's artworks, cut in half: its first chunks parse (and are written) before the error.
        let whole = try Data(contentsOf: TateData.sample.appendingPathComponent("artworks.jsonl.gz"))
        let truncated = w.folder.appendingPathComponent("artworks.jsonl.gz")
        try whole.prefix(whole.count / 2).write(to: truncated)
        var chunksSeen = 0
        let report = try w.ingest([truncated], chunkSize: 100) { _ in chunksSeen += 1 }
        #expect(chunksSeen > 5)
        #expect(report.failures.count == 1)
        let failure = try #require(report.failures.first)
        #expect(failure.path == truncated.path)
        #expect(failure.message.contains("truncated"))
        #expect(report.files.map(\.status) == [.failed])
        #expect(report.exitCode(allowSkips: true) == .dataError)
        #expect(try w.statsJSON() == before)
        #expect(try w.store.ingestedFiles() == filesBefore)
        #expect(try w.store.searchText("the", limit: 5).isEmpty)
    }

    @Test func aLatin1FileIsRefusedNamingFileAndLine() throws {
        let w = try Workspace()
        var lines = try sampleLines(5)
        // Re-encode line 4 as Latin-1: "é" becomes the single byte 0xE9.
        let text = String(decoding: lines[3], as: UTF8.self)
        let withAccent = text.replacingOccurrences(of: "\"title\":\"", with: "\"title\":\"Café ")
        lines[3] = withAccent.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : UInt8(ascii: "?") }
        let file = try w.write("artworks.jsonl", lines: lines)
        let before = try w.statsJSON()
        let report = try w.ingest([file], chunkSize: 2)
        let failure = try #require(report.failures.first)
        #expect(failure.path == file.path)
        #expect(failure.line == 4)
        #expect(failure.message.contains("\(file.path):4"))
        #expect(failure.message.contains("not UTF-8"))
        #expect(failure.message.contains("Latin-1"))
        #expect(try w.statsJSON() == before)
        #expect(try w.store.ingestedFiles().isEmpty)
    }

    @Test func utf16TextIsRefused() throws {
        let w = try Workspace()
        var data = Data([0xFF, 0xFE])
        data.append(contentsOf: "{\"acno\":\"X1\",\"title\":\"t\"}\n".data(using: .utf16LittleEndian)!)
        let file = try w.write("artworks.jsonl", data: data)
        let report = try w.ingest([file])
        #expect(report.failures.first?.message.contains("UTF-16") == true)
        #expect(try w.store.stats().items == 0)
    }

    @Test func recordsMissingRequiredFieldsAreSkippedNamingTheField() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(5)
        records[0].removeValue(forKey: "acno")
        records[1]["acno"] = ""
        records[2].removeValue(forKey: "title")
        records[3]["title"] = 42
        let file = try w.write("artworks.jsonl", objects: records)
        let report = try w.ingest([file])
        #expect(report.records.items.inserted == 1)
        #expect(report.skipped.map(\.field) == ["acno", "acno", "title", "title"])
        #expect(report.skipped.allSatisfy { $0.kind == .skipped })
        #expect(report.skipped.map(\.line) == [1, 2, 3, 4])
        #expect(report.skipped[2].record == records[2]["acno"] as? String)
        #expect(report.skipped[2].message.contains("missing"))
        #expect(report.skipped[3].message.contains("should be text"))

        var artists = try TateData.lines(of: TateData.sample.appendingPathComponent("artists.jsonl.gz"), count: 3)
            .map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        artists[0].removeValue(forKey: "id")
        artists[1]["fc"] = "  "
        let artistReport = try w.ingest([try w.write("artists.jsonl", objects: artists)])
        #expect(artistReport.records.agents.inserted == 1)
        #expect(artistReport.skipped.map(\.field) == ["id", "fc"])
    }

    @Test func anImpossibleYearDropsTheDateButKeepsTheRecord() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(3)
        records[0]["dateText"] = "90000"
        records[0]["dateRange"] = ["startYear": 90000, "endYear": 90000, "text": "90000"]
        records[1]["dateText"] = "made in 90000"
        records[1]["dateRange"] = NSNull()
        records[2]["acquisitionYear"] = -4
        let report = try w.ingest([try w.write("artworks.jsonl", objects: records)])
        #expect(report.records.items.inserted == 3)
        #expect(report.skipped.isEmpty)
        #expect(report.warnings.map(\.field) == ["dateRange", "dateText", "acquisitionYear"])
        #expect(report.warnings.allSatisfy { $0.kind == .fieldDropped && !$0.skipsRecord })
        #expect(report.warnings[0].message.contains("90000"))
        #expect(report.warnings[0].line == 1)
        let ids = records.map { ItemID($0["acno"] as! String) }
        #expect(try w.store.item(ids[0])?.date == nil)
        #expect(try w.store.item(ids[1])?.date == nil)
        #expect(try w.store.item(ids[2])?.acquisitionYear == nil)
        #expect(try w.store.items(matching: ItemQuery(fromYear: 2000)).items.allSatisfy { !ids.contains($0.id) })
        #expect(report.exitCode(allowSkips: false) == .success)
    }

    @Test func aTenMegabyteTitleIsSkippedNamingTheField() throws {
        let w = try Workspace()
        var records = try TateData.sampleArtworks(2)
        records[1]["title"] = String(repeating: "Sunset over the sea. ", count: 500_000)
        let file = try w.write("artworks.jsonl", objects: records)
        let report = try w.ingest([file])
        #expect(report.records.items.inserted == 1)
        let problem = try #require(report.skipped.first)
        #expect(problem.field == "title")
        #expect(problem.line == 2)
        #expect(problem.record == records[1]["acno"] as? String)
        #expect(problem.message.contains("10.0 MB"))
    }

    @Test func aLineBeyondTheLineLimitIsSkippedWithoutBuffering() throws {
        let w = try Workspace()
        var lines = try sampleLines(2)
        let longest = lines.map(\.count).max() ?? 0
        lines.insert(Array(repeating: UInt8(ascii: "x"), count: longest + 5000), at: 1)
        var limits = TateImporter.Limits()
        limits.maxLineBytes = longest + 100
        let report = try Ingestor(store: w.store).ingest([try w.write("artworks.jsonl", lines: lines)],
                                                          with: TateImporter(limits: limits))
        #expect(report.records.items.inserted == 2)
        #expect(report.skipped.map(\.line) == [2])
        #expect(report.skipped.first?.message.contains("longer than") == true)
    }

    @Test func missingAndUnrecognisedInputsAreReported() throws {
        let w = try Workspace()
        let missing = w.folder.appendingPathComponent("nope.jsonl.gz")
        let empty = w.folder.appendingPathComponent("empty-folder")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let report = try w.ingest([missing])
        #expect(report.failures.map(\.isMissingInput) == [true])
        #expect(report.failures.first?.message.contains("not found") == true)
        #expect(report.exitCode(allowSkips: true) == .noInput)
        let other = try w.ingest([empty])
        #expect(other.failures.first?.message.contains("no Tate data") == true)
        #expect(other.exitCode(allowSkips: true) == .dataError)
    }

    @Test func oneBadFileDoesNotStopTheOthers() throws {
        let w = try Workspace()
        let lines = try sampleLines(6)
        let first = try w.write("artworks-1.jsonl", lines: Array(lines[0..<2]))
        let broken = w.folder.appendingPathComponent("artworks-2.jsonl.gz")
        let compressed = try Gzip.compress(Data(lines[2..<4].flatMap { $0 + [0x0A] }))
        try compressed.prefix(compressed.count - 12).write(to: broken)
        let third = try w.write("artworks-3.jsonl", lines: Array(lines[4..<6]))
        let report = try w.ingest([first, broken, third])
        #expect(report.files.map(\.status) == [.committed, .failed, .committed])
        #expect(report.records.items.inserted == 4)
        #expect(try w.store.ingestedFiles().map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["artworks-1.jsonl", "artworks-3.jsonl"])
    }
}
