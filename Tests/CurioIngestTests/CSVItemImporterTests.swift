import CurioCore
import Foundation
import Testing
@testable import CurioIngest

@Suite("Importing CSV catalogue exports")
struct CSVItemImporterTests {
    let csv = Fixtures.url("csv/collection.csv")
    let mappingFile = Fixtures.url("csv/collection.mapping.json")

    func importFixture() throws -> [ImportChunk] {
        try collectChunks(CSVItemImporter(mappingFile: mappingFile), csv)
    }

    func item(_ id: String, in chunks: [ImportChunk]) throws -> Item {
        try #require(chunks.items.first { $0.id.rawValue == id })
    }

    @Test func importsEveryValidRowAndSkipsTheRest() throws {
        let chunks = try importFixture()
        #expect(chunks.items.map(\.id.rawValue) == ["HM.1901.1", "HM.1923.4", "HM.1950.12", "HM.2001.3",
                                                      "HM.1960.2", "HM.1970.1"])
        #expect(chunks.items.allSatisfy { $0.source == "harbour" })
        #expect(chunks.last?.completesFile == true)
        #expect(chunks.allSatisfy { $0.file == csv.path })
    }

    @Test func readsQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let chunks = try importFixture()
        let boats = try item("HM.1901.1", in: chunks)
        #expect(boats.description == "A calm harbour scene, painted \"en plein air\" at first light.")
        #expect(boats.creditLine == "Gift of the Marsh family, 1901")
        #expect(boats.dimensions == "support: 610 x 915 mm")
        let lighthouse = try item("HM.1923.4", in: chunks)
        #expect(lighthouse.title == "The Lighthouse, Winter")
        #expect(lighthouse.description == "Painted during the great storm.\nThe keeper is visible at the lit window.")
    }

    @Test func mapsMakersWithRolesAndMintsAgents() throws {
        let chunks = try importFixture()
        let lighthouse = try item("HM.1923.4", in: chunks)
        #expect(lighthouse.makers == [
            MakerCredit(agent: "harbour:agent:thomas-reed", name: "Thomas Reed", role: "painter"),
            MakerCredit(agent: "harbour:agent:ann-reed", name: "Ann Reed", role: "framer"),
        ])
        let quay = try item("HM.1950.12", in: chunks)
        #expect(quay.makers.map(\.role) == ["after", "engraver"])
        #expect(quay.makers.map(\.agent.rawValue) == ["harbour:agent:j-m-w-turner", "harbour:agent:william-miller"])
        let net = try item("HM.1960.2", in: chunks)
        #expect(net.makers == [MakerCredit(agent: "harbour:agent:ellen-marsh", name: "Ellen Marsh", role: "artist")])
        let agentIDs = Set(chunks.agents.map(\.id.rawValue))
        #expect(agentIDs.isSuperset(of: ["harbour:agent:ellen-marsh", "harbour:agent:thomas-reed",
                                         "harbour:agent:william-miller"]))
        #expect(chunks.agents.count == agentIDs.count, "each agent is delivered once")
        #expect(chunks.first?.records.agents.isEmpty == false, "agents travel with the first chunk")
    }

    @Test func parsesDatesMeasurementsAndNumbers() throws {
        let chunks = try importFixture()
        let boats = try item("HM.1901.1", in: chunks)
        #expect(boats.date == DateRange(text: "c. 1895", startYear: 1890, endYear: 1900, isCirca: true))
        #expect(boats.heightMM == 610)
        #expect(boats.widthMM == 915)
        #expect(boats.acquisitionYear == 1901)
        #expect(try item("HM.1923.4", in: chunks).date.map { [$0.startYear, $0.endYear] } == [1922, 1923])
        #expect(try item("HM.1950.12", in: chunks).date?.startYear == 1838)
        #expect(try item("HM.1970.1", in: chunks).date.map { [$0.startYear, $0.endYear] } == [1920, 1929])
    }

    @Test func buildsSubjectHierarchiesAndMovements() throws {
        let chunks = try importFixture()
        let boats = try item("HM.1901.1", in: chunks)
        #expect(boats.subjects == ["harbour:subject:nature/sea", "harbour:subject:work/fishing"])
        #expect(boats.movements == ["harbour:movement:impressionism"])
        let concepts = Dictionary(uniqueKeysWithValues: chunks.concepts.map { ($0.id, $0) })
        let sea = try #require(concepts["harbour:subject:nature/sea"])
        #expect(sea.label == "sea")
        #expect(sea.level == 1)
        #expect(sea.broader == "harbour:subject:nature")
        #expect(sea.scheme == .subject)
        #expect(concepts["harbour:subject:nature"]?.level == 0)
        #expect(concepts["harbour:movement:romanticism"]?.scheme == .movement)
    }

    @Test func resolvesImagesFromColumnsURLsAndTheImageFolder() throws {
        let chunks = try importFixture()
        let folder = Fixtures.url("csv/images").standardizedFileURL.path
        #expect(try item("HM.1901.1", in: chunks).images == [ImageReference(kind: .file,
                                                                             location: folder + "/HM.1901.1.jpg")])
        #expect(try item("HM.1923.4", in: chunks).images == [ImageReference(kind: .file,
                                                                             location: folder + "/HM.1923.4.jpg")],
                "no image column value: found by id in images/ beside the CSV")
        #expect(try item("HM.1950.12", in: chunks).images == [
            ImageReference(kind: .iiif, location: "https://images.harbour.example.org/iiif/HM.1950.12"),
        ])
    }

    @Test func constantsFillEmptyCells() throws {
        let chunks = try importFixture()
        #expect(try item("HM.1960.2", in: chunks).rights == "Rights not assessed")
        #expect(try item("HM.1901.1", in: chunks).rights == "CC0 1.0")
    }

    @Test func reportsEveryRowProblemWithFileLineAndField() throws {
        let problems = try importFixture().problems
        func problem(line: Int, field: String) -> RecordProblem? {
            problems.first { $0.line == line && $0.field == field }
        }
        #expect(problems.allSatisfy { $0.file == csv.path })
        let absurd = try #require(problem(line: 6, field: "date"))
        #expect(absurd.kind == .fieldDropped)
        #expect(absurd.record == "HM.2001.3")
        #expect(absurd.message.contains("30000"))
        let noTitle = try #require(problem(line: 7, field: "title"))
        #expect(noTitle.kind == .skipped)
        #expect(noTitle.record == "HM.2002.7")
        #expect(noTitle.message.contains("'Title'"))
        #expect(problem(line: 8, field: "id")?.kind == .skipped)
        let duplicate = try #require(problem(line: 9, field: "id"))
        #expect(duplicate.kind == .duplicate)
        #expect(duplicate.message.contains("line 2"))
        #expect(problem(line: 10, field: "date")?.message.contains("spring 1899") == true)
        #expect(problem(line: 10, field: "height")?.kind == .fieldDropped)
        #expect(problem(line: 10, field: "url")?.kind == .fieldDropped)
        #expect(problem(line: 10, field: "image")?.message.contains("missing.jpg") == true)
        #expect(problems.count == 8)
        #expect(problems.filter(\.skipsRecord).count == 3)
    }

    @Test func cutsLargeFilesIntoChunksThatCompleteTheFileOnlyAtTheEnd() throws {
        let importer = try CSVItemImporter(mappingFile: mappingFile, batchSize: 4)
        let chunks = try collectChunks(importer, csv)
        #expect(chunks.map(\.records.items.count) == [4, 2])
        #expect(chunks.map(\.completesFile) == [false, true])
        #expect(chunks[0].problems.isEmpty && chunks[0].warnings.isEmpty)
        #expect(chunks[1].problems.count == 3, "skipped and duplicate rows")
        #expect(chunks[1].problems.allSatisfy { $0.skipsRecord })
        #expect(chunks[1].warnings.count == 5, "dropped values")
        #expect(chunks[1].warnings.allSatisfy { $0.kind == .fieldDropped })
        #expect(chunks[1].records.agents.isEmpty && chunks[1].records.concepts.isEmpty)
    }
}

@Suite("CSV file-level errors")
struct CSVFileErrorTests {
    func mapping(_ columns: [ColumnMapping.Field: ColumnMapping.Column]) throws -> ColumnMapping {
        try ColumnMapping(source: "test", columns: columns)
    }

    var basic: ColumnMapping {
        get throws { try mapping([.id: .init(name: "id"), .title: .init(name: "title")]) }
    }

    @Test func unknownMappedColumnNamesTheMappingFieldAndTheHeader() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title,maker\n1,One,Someone\n")
        let m = try mapping([.id: .init(name: "id"), .title: .init(name: "title"),
                             .makers: .init(name: "maker", roleColumn: "Role")])
        var delivered = 0
        let error = #expect(throws: IngestError.self) {
            try CSVItemImporter(mapping: m).read(file) { _ in delivered += 1 }
        }
        guard case let .badMapping(path, field, reason)? = error else {
            Issue.record("expected badMapping, got \(String(describing: error))")
            return
        }
        #expect(path == file.path)
        #expect(field == "columns.makers.role_column")
        #expect(reason.contains("'Role'"))
        #expect(reason.contains("'maker'"))
        #expect(delivered == 0)
    }

    @Test func unterminatedQuoteReportsWhereItOpened() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title\n1,One\n2,\"Two\n3,Three\n4,Four\n")
        var delivered = 0
        let error = #expect(throws: IngestError.self) {
            try CSVItemImporter(mapping: basic).read(file) { _ in delivered += 1 }
        }
        guard case let .syntax(path, line, column, reason)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(path == file.path)
        #expect(line == 3)
        #expect(column == 3)
        #expect(reason.contains("never closed"))
        #expect(String(describing: error!).hasPrefix("\(file.path):3:3:"))
        #expect(delivered == 0, "nothing reaches the store from a file with a file-level error")
    }

    @Test func invalidUTF8NamesTheLineAndColumn() throws {
        let dir = try TemporaryFolder()
        var bytes = Data("id,title\n1,One\n2,Caf".utf8)
        bytes.append(0xE9) // Latin-1 é
        bytes.append(contentsOf: Data(" au lait\n".utf8))
        let file = try dir.write("latin1.csv", bytes)
        let error = #expect(throws: IngestError.self) { try CSVItemImporter(mapping: basic).parse(file) }
        guard case let .syntax(_, line, column, reason)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 3)
        #expect(column == 6)
        #expect(reason.contains("0xE9"))
        #expect(reason.contains("UTF-8"))
    }

    @Test func emptyFileIsAnError() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("empty.csv", "")
        #expect(throws: IngestError.self) { try CSVItemImporter(mapping: basic).parse(file) }
    }

    @Test func missingFileIsReported() throws {
        let error = #expect(throws: IngestError.self) {
            try CSVItemImporter(mapping: basic).parse(URL(fileURLWithPath: "/nonexistent/x.csv"))
        }
        guard case .fileMissing(path: "/nonexistent/x.csv")? = error else {
            Issue.record("expected fileMissing, got \(String(describing: error))")
            return
        }
    }

    @Test func ambiguousHeaderIsAnError() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title,title\n1,One,Uno\n")
        let error = #expect(throws: IngestError.self) { try CSVItemImporter(mapping: basic).parse(file) }
        guard case let .badMapping(_, field, reason)? = error else {
            Issue.record("expected badMapping, got \(String(describing: error))")
            return
        }
        #expect(field == "columns.title")
        #expect(reason.contains("columns 2, 3"))
    }
}

@Suite("CSV row-level checks")
struct CSVRowCheckTests {
    let mapping = try! ColumnMapping(source: "test", columns: [
        .id: .init(name: "id"), .title: .init(name: "title"), .description: .init(name: "description"),
    ])

    @Test func overlongTitleSkipsTheRow() throws {
        let dir = try TemporaryFolder()
        let long = String(repeating: "x", count: 10_001)
        let file = try dir.write("a.csv", "id,title,description\n1,\(long),\n2,Fine,\n")
        let parsed = try CSVItemImporter(mapping: mapping).parse(file)
        #expect(parsed.items.map(\.id) == ["2"])
        let problem = try #require(parsed.problems.first)
        #expect(problem.line == 2)
        #expect(problem.field == "title")
        #expect(problem.record == "1")
        #expect(problem.message.contains("10001"))
    }

    @Test func overlongOtherFieldSkipsTheRow() throws {
        let dir = try TemporaryFolder()
        let importer = CSVItemImporter(mapping: mapping, limits: RecordLimits(text: 10))
        let file = try dir.write("a.csv", "id,title,description\n1,One,short\n2,Two,far too long for the limit\n")
        let parsed = try importer.parse(file)
        #expect(parsed.items.map(\.id) == ["1"])
        #expect(parsed.problems.map(\.field) == ["description"])
        #expect(parsed.problems.first?.line == 3)
    }

    @Test func textAfterAClosingQuoteSkipsOnlyThatRow() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title,description\n1,\"One\" extra,x\n2,Two,y\n")
        let parsed = try CSVItemImporter(mapping: mapping).parse(file)
        #expect(parsed.items.map(\.id) == ["2"])
        let problem = try #require(parsed.problems.first)
        #expect(problem.line == 2)
        #expect(problem.message.contains("column 9"))
    }

    @Test func spacesAroundQuotedFieldsAndRowsOfEmptyCellsAreHarmless() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title,description\n1, \"One, uno\" , \"x\"\n,,\n2,Two,\n")
        let parsed = try CSVItemImporter(mapping: mapping).parse(file)
        #expect(parsed.items.map(\.title) == ["One, uno", "Two"])
        #expect(parsed.items.first?.description == "x")
        #expect(parsed.problems.isEmpty)
    }

    @Test func tooManyFieldsSkipsTheRowAndShortRowsArePadded() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title,description\n1,One,a,b\n2,Two\n")
        let parsed = try CSVItemImporter(mapping: mapping).parse(file)
        #expect(parsed.items.map(\.id) == ["2"])
        #expect(parsed.items.first?.description == nil)
        #expect(parsed.problems.first?.line == 2)
        #expect(parsed.problems.first?.message.contains("4 fields") == true)
    }

    @Test func readsTSVByExtensionAndGzip() throws {
        let dir = try TemporaryFolder()
        try dir.writeGzip("export.tsv.gz", "id\ttitle\tdescription\nA1\tA, with comma\t\"quoted\ttab\"\n")
        let chunks = try collectChunks(CSVItemImporter(mapping: mapping), dir.url)
        #expect(chunks.items.map(\.title) == ["A, with comma"])
        #expect(chunks.items.first?.description == "quoted\ttab")
    }

    @Test func aFolderImportsEachFileSeparately() throws {
        let dir = try TemporaryFolder()
        try dir.write("b.csv", "id,title,description\nB1,Bee,\n")
        try dir.write("a.csv", "id,title,description\nA1,Ay,\nA1,Again,\n")
        try dir.write("notes.txt", "not a catalogue")
        let chunks = try collectChunks(CSVItemImporter(mapping: mapping), dir.url)
        #expect(chunks.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["a.csv", "b.csv"])
        #expect(chunks.items.map(\.id) == ["A1", "B1"])
        #expect(chunks.problems.map(\.kind) == [.duplicate])
    }
}

@Suite("Column mapping files")
struct ColumnMappingTests {
    func parse(_ json: String) throws -> ColumnMapping {
        try ColumnMapping.parse(Data(json.utf8), path: "m.json")
    }

    func expectBadMapping(_ json: String, field expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: IngestError.self, sourceLocation: sourceLocation) { try parse(json) }
        guard case let .badMapping(path, field, _)? = error else {
            Issue.record("expected badMapping, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(path == "m.json", sourceLocation: sourceLocation)
        #expect(field == expected, sourceLocation: sourceLocation)
    }

    @Test func readsTheExampleMapping() throws {
        let m = try ColumnMapping.load(from: Fixtures.url("csv/collection.mapping.json"))
        #expect(m.source == "harbour")
        #expect(m.columns[.makers] == .init(name: "Maker", separator: ";", roleColumn: "Maker role"))
        #expect(m.columns[.height]?.unit == .cm)
        #expect(m.columns[.subjects]?.hierarchySeparator == ">")
        #expect(m.constants[.rights] == "Rights not assessed")
    }

    @Test func theShippedExampleMappingMatchesItsCSV() throws {
        let examples = Fixtures.repositoryRoot.appendingPathComponent("data/examples")
        let importer = try CSVItemImporter(mappingFile: examples.appendingPathComponent("collection.mapping.json"))
        let chunks = try collectChunks(importer, examples.appendingPathComponent("collection.csv"))
        #expect(chunks.items.count >= 10)
        #expect(chunks.problems.isEmpty, "\(chunks.problems)")
    }

    @Test func rejectsMistakesNamingTheField() {
        expectBadMapping("not json", field: "(file)")
        expectBadMapping("[]", field: "(file)")
        expectBadMapping(#"{"columns": {"id": "a", "title": "b"}}"#, field: "source")
        expectBadMapping(#"{"source": "Has Spaces", "columns": {"id": "a", "title": "b"}}"#, field: "source")
        expectBadMapping(#"{"source": "s", "columns": {"title": "b"}}"#, field: "columns.id")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a"}}"#, field: "columns.title")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b", "titel": "c"}}"#,
                         field: "columns.titel")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": {"column": "b", "separator": ";"}}}"#,
                         field: "columns.title.separator")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b", "height": "h"}}"#,
                         field: "columns.height.unit")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b", "height": {"column": "h", "unit": "cubits"}}}"#,
                         field: "columns.height.unit")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b"}, "constants": {"id": "x"}}"#,
                         field: "constants.id")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b"}, "delimiter": "::"}"#,
                         field: "delimiter")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b"}, "colums": {}}"#, field: "colums")
        expectBadMapping(#"{"source": "s", "columns": {"id": "a", "title": "b", "subjects": {"column": "s", "separator": ""}}}"#,
                         field: "columns.subjects.separator")
    }

    @Test func missingImageFolderIsAMappingError() throws {
        let dir = try TemporaryFolder()
        let file = try dir.write("a.csv", "id,title\n1,One\n")
        let m = try ColumnMapping(source: "s", columns: [.id: .init(name: "id"), .title: .init(name: "title")],
                                  imageFolder: "pictures", path: "m.json")
        let error = #expect(throws: IngestError.self) { try CSVItemImporter(mapping: m).parse(file) }
        guard case .badMapping(_, "image_folder", _)? = error else {
            Issue.record("expected badMapping for image_folder, got \(String(describing: error))")
            return
        }
    }
}
