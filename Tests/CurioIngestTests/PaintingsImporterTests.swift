import CurioCore
import Foundation
import Testing
@testable import CurioIngest

@Suite("Importing the public-domain paintings")
struct PaintingsImporterTests {
    static let folder = Fixtures.shared.appendingPathComponent("data/public-domain-paintings")
    static let available = FileManager.default.fileExists(atPath: folder.appendingPathComponent("metadata.jsonl").path)

    @Test(.enabled(if: available, "needs ../shared/data/public-domain-paintings"))
    func importsEveryRealRecord() throws {
        let chunks = try collectChunks(PaintingsImporter(), Self.folder)
        let items = chunks.items
        #expect(items.count == 4_378)
        #expect(Set(items.map(\.id)).count == 4_378)
        #expect(chunks.problems.isEmpty, "\(chunks.problems.prefix(5))")
        #expect(chunks.last?.completesFile == true)
        #expect(chunks.dropLast().allSatisfy { !$0.completesFile })
        #expect(items.allSatisfy { $0.source == "paintings" && $0.classification == "painting" })
        #expect(items.allSatisfy { $0.images.first?.kind == .file })
        #expect(items.allSatisfy { FileManager.default.fileExists(atPath: $0.images[0].location) })
        #expect(items.filter { $0.date != nil }.count == 4_378)
        // Agents are minted once per artist name and every credit points at one.
        let agents = Set(chunks.agents.map(\.id))
        #expect(chunks.agents.count == agents.count)
        #expect(items.allSatisfy { $0.makers.allSatisfy { agents.contains($0.agent) } })
        #expect(!agents.contains("paintings:agent:unknown-artist"))
    }

    @Test(.enabled(if: available, "needs ../shared/data/public-domain-paintings"))
    func mapsARealRecordFieldByField() throws {
        let parsed = try PaintingsImporter().parse(Self.folder.appendingPathComponent("metadata.jsonl"))
        let fresco = try #require(parsed.items.first { $0.id == "met-247009" })
        #expect(fresco.title == "Wall painting from Room H of the Villa of P. Fannius Synistor at Boscoreale")
        #expect(fresco.makers.isEmpty, "artist is null")
        #expect(fresco.date == DateRange(text: "ca. 50–40 BCE", startYear: -55, endYear: -35, isCirca: true))
        #expect(fresco.medium == "Fresco")
        #expect(fresco.creditLine == "Metropolitan Museum of Art")
        #expect(fresco.heightMM == 1867)
        #expect(fresco.widthMM == 1867)
        #expect(fresco.url == "https://www.metmuseum.org/art/collection/search/247009")
        #expect(fresco.rights == "CC0 1.0 (The Met Open Access)")
        let folder = Self.folder.standardizedFileURL.path
        #expect(fresco.images == [
            ImageReference(kind: .file, location: folder + "/images/met-247009.jpg",
                           licence: "CC0 1.0 (The Met Open Access)"),
            ImageReference(kind: .url, location: "https://images.metmuseum.org/CRDImages/gr/original/DP105943.jpg",
                           licence: "CC0 1.0 (The Met Open Access)"),
        ])
        let sorrows = try #require(parsed.items.first { $0.id == "wikidata-Q20200885" })
        #expect(sorrows.makers == [MakerCredit(agent: "paintings:agent:niccolo-di-tommaso", name: "Niccolò di Tommaso")])
        #expect(parsed.agents.contains(Agent(id: "paintings:agent:niccolo-di-tommaso", name: "Niccolò di Tommaso")))
        #expect(sorrows.date.map { [$0.startYear, $0.endYear] } == [1370, 1370])
        let probably = try #require(parsed.items.first { $0.date?.text == "probably 19th century" })
        #expect(probably.date.map { [$0.startYear, $0.endYear] } == [1796, 1905])
        #expect(probably.date?.isCirca == true)
    }

    @Test func reportsBadRecordsWithLineAndField() throws {
        let dir = try TemporaryFolder()
        try dir.write("images/p2.jpg", Data([0xFF, 0xD8, 0xFF]))
        let file = try dir.write("metadata.jsonl", """
        {"id": "p1", "title": "Good", "artist": "Jane Roe", "date": "1850", "year": 1850, "file": "images/p1.jpg"}
        {"id": "p2", "title": "Found by id", "artist": "Unknown artist", "date": "date unknown", "year": 1700}
        not json
        {"title": "No id"}
        {"id": "p3", "title": ""}
        {"id": "p1", "title": "Again"}
        {"id": "p4", "title": "Absurd", "date": "30000", "year": 30000}
        {"id": "p5", "title": "Far future", "year": 9999}
        [1, 2]
        {"id": 6, "title": "Numeric id"}
        """)
        let parsed = try PaintingsImporter().parse(file)
        #expect(parsed.items.map(\.id) == ["p1", "p2", "p4", "p5"])
        let p2 = parsed.items[1]
        #expect(p2.makers.isEmpty)
        #expect(p2.date.map { [$0.startYear, $0.endYear] } == [1700, 1700])
        #expect(p2.date?.text == "date unknown")
        #expect(p2.images.first?.location == dir.url.standardizedFileURL.path + "/images/p2.jpg")
        #expect(parsed.items[2].date == nil)
        #expect(parsed.items[3].date == nil)
        let problems = parsed.problems.map { "\($0.line ?? 0) \($0.field ?? "-") \($0.kind.rawValue)" }
        #expect(problems == [
            "1 file field-dropped", "3 - skipped", "4 id skipped", "5 title skipped", "6 id duplicate",
            "7 date field-dropped", "8 year field-dropped", "9 - skipped", "10 id skipped",
        ])
        #expect(parsed.problems.allSatisfy { $0.file == file.path })
        #expect(parsed.problems[0].message.contains("images/p1.jpg"))
        #expect(parsed.problems[4].message.contains("line 1"))
        #expect(parsed.problems[5].message.contains("30000"))
    }

    @Test func aFolderWithoutMetadataIsMissing() throws {
        let dir = try TemporaryFolder()
        let error = #expect(throws: IngestError.self) { try collectChunks(PaintingsImporter(), dir.url) }
        guard case let .fileMissing(path)? = error else {
            Issue.record("expected fileMissing, got \(String(describing: error))")
            return
        }
        #expect(path.hasSuffix("metadata.jsonl"))
    }
}

@Suite("The image folder rule")
struct PaintingsImageFolderTests {
    @Test func findsImagesByItemIDPreferringJPEG() throws {
        let dir = try TemporaryFolder()
        for name in ["A1.png", "A1.JPG", "B 2.webp", "C3.tiff", "notes.txt", "D4.gif"] {
            try dir.write("images/\(name)", Data([0]))
        }
        let data = try dir.write("data.csv", "")
        let folder = try #require(ImageFolder.beside(data))
        let base = dir.url.standardizedFileURL.path + "/images/"
        #expect(folder.count == 3)
        #expect(folder.image(for: "A1") == ImageReference(kind: .file, location: base + "A1.JPG"))
        #expect(folder.image(for: "B 2")?.location == base + "B 2.webp")
        #expect(folder.image(for: "C3")?.location == base + "C3.tiff")
        #expect(folder.image(for: "D4") == nil)
        #expect(folder.image(for: "notes") == nil)
        #expect(ImageFolder.beside(dir.url)?.count == 3, "a data folder looks inside itself")
        #expect(ImageFolder.beside(dir.url.appendingPathComponent("images/A1.png")) == nil)
        #expect(throws: IngestError.self) { try ImageFolder(folder: dir.url.appendingPathComponent("nope")) }
    }
}
