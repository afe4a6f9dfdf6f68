import CurioCore
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct ArtefactTests {
    @Test(arguments: ["popularity", "itemknn", "ease", "als", "bpr", "content", "hybrid"])
    func savedModelsLoadBackWithIdenticalScores(model: String) throws {
        let trained = try #require(ModelFixtures.trained[model])
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("\(model).curio-model")
        try trained.save(to: url)
        let loaded = try ModelRegistry.load(from: url)
        #expect(loaded.name == model)
        #expect(loaded.itemIDs == trained.itemIDs)
        #expect(loaded.userIDs == trained.userIDs)
        #expect(loaded.scores(forUser: 4) == trained.scores(forUser: 4))
        let history = [HistoryEntry(item: 10, weight: 2, time: 1_700_000_000)]
        #expect(loaded.scores(forHistory: history) == trained.scores(forHistory: history))
        let artefact = try ModelArtefact.read(from: url)
        #expect(artefact.seed == 3)
        #expect(artefact.modelVersion == 1)
    }

    @Test func hyperParametersAreStoredWithSnakeCaseNames() throws {
        let als = try ALSRecommender.train(on: ModelFixtures.data, configuration: .init(factors: 4, iterations: 1), seed: 5)
        let artefact = try als.artefact()
        let text = String(decoding: artefact.parameters, as: UTF8.self)
        #expect(text.contains("\"cg_steps\":3"))
        #expect(try artefact.decodeParameters(ALSRecommender.Configuration.self) == als.configuration)
    }

    func sampleBytes() throws -> Data {
        try PopularityRecommender.train(on: ModelFixtures.data).artefact().encoded()
    }

    @Test func flippedBitIsRejected() throws {
        var bytes = try sampleBytes()
        bytes[bytes.count / 2] ^= 0x01
        let error = #expect(throws: RecommendError.self) { try ModelArtefact.decode(bytes, source: "x.model") }
        guard case let .badArtefact(path, reason)? = error else {
            Issue.record("expected badArtefact, got \(String(describing: error))")
            return
        }
        #expect(path == "x.model")
        #expect(reason.contains("checksum"))
    }

    @Test func truncatedFileIsRejected() throws {
        let bytes = try sampleBytes()
        for length in [0, 10, 30, bytes.count / 2, bytes.count - 1] {
            #expect(throws: RecommendError.self) { try ModelArtefact.decode(bytes.prefix(length)) }
        }
    }

    @Test func foreignFileIsRejected() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("notes.txt")
        try Data(String(repeating: "not a model at all ", count: 10).utf8).write(to: url)
        #expect(throws: RecommendError.self) { try ModelRegistry.load(from: url) }
        #expect(throws: RecommendError.self) { try ModelRegistry.load(from: dir.appendingPathComponent("missing")) }
    }

    @Test func artefactOfAnotherModelIsRejected() throws {
        let artefact = try PopularityRecommender.train(on: ModelFixtures.data).artefact()
        #expect(throws: RecommendError.self) { try ALSRecommender(artefact: artefact) }
    }

    @Test func tensorsOfTheWrongShapeAreRejected() throws {
        var artefact = try ALSRecommender.train(on: ModelFixtures.data, configuration: .init(factors: 4, iterations: 1)).artefact()
        artefact.tensors["item_factors"] = .float32([1, 2, 3], shape: [3])
        let bytes = try artefact.encoded()
        let decoded = try ModelArtefact.decode(bytes)
        #expect(throws: RecommendError.self) { try ALSRecommender(artefact: decoded) }
    }

    @Test func unsupportedVersionsAreRejected() throws {
        var artefact = try PopularityRecommender.train(on: ModelFixtures.data).artefact()
        artefact.modelVersion = 99
        let decoded = try ModelArtefact.decode(artefact.encoded())
        #expect(throws: RecommendError.self) { try PopularityRecommender(artefact: decoded) }
    }
}
