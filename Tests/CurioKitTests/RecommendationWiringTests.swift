import CurioCore
@testable import CurioKit
import CurioPolicy
import CurioRecommend
import Foundation
import Testing

/// Simulate → train → recommend through the `Curio` facade: versioned artefacts, fold-in, cold start, new items,
/// policies and explanations.
@Suite struct RecommendationWiringTests {
    @Test func trainingWritesVersionsAndTheRegistryChoosesTheServingModel() throws {
        let db = try SyntheticMuseum.Database(simulate: 150)
        let first = try db.curio.train(TrainingOptions(model: "itemknn", seed: 1))
        let second = try db.curio.train(TrainingOptions(model: "itemknn", seed: 1, parameters: ["neighbours": .number(20)]))
        let ease = try db.curio.train(TrainingOptions(model: "ease", seed: 1, serve: false))
        #expect(first.trained.version == 1 && second.trained.version == 2 && ease.trained.version == 1)
        #expect(first.serving && second.serving && !ease.serving)
        let registry = try db.curio.trainedModels()
        #expect(registry.serving == "itemknn")
        #expect(registry.active == ["itemknn": 2, "ease": 1])
        #expect(registry.versions.map(\.file) == ["itemknn/v1.model", "itemknn/v2.model", "ease/v1.model"])
        for v in registry.versions {
            #expect(FileManager.default.fileExists(atPath: db.path + ".models/" + v.file))
        }
        #expect(second.trained.parameters["neighbours"] == .number(20))
        // Same data and seed: the same model, byte for byte apart from the creation time in the header.
        let list1 = try db.curio.recommend(RecommendationRequest(visitor: "sim-000007", k: 5, policy: "none"))
        #expect(list1.model == "itemknn" && list1.modelVersion == 2)
    }

    @Test func unknownModelsAndEmptyEventLogsAreClearErrors() throws {
        let db = try SyntheticMuseum.Database()
        #expect(throws: RecommendationSetupError.unknownModel(name: "nope", known: Curio.trainableModels)) {
            try db.curio.train(TrainingOptions(model: "nope"))
        }
        #expect(throws: RecommendationSetupError.noEvents) { try db.curio.train(TrainingOptions(model: "als")) }
    }

    @Test func aNewLikeChangesTheNextListWithoutRetraining() throws {
        let db = try SyntheticMuseum.Database(simulate: 200)
        _ = try db.curio.train(TrainingOptions(model: "hybrid", seed: 2))
        try db.record("v-fold", .like, [0, 8, 16])
        let before = try db.curio.recommend(RecommendationRequest(visitor: "v-fold", k: 10, policy: "none"))
        #expect(before.strategy == .model && before.historyItems == 3)
        try db.record("v-fold", .like, [5, 13, 21, 29, 37], start: 1_710_100_000)
        let after = try db.curio.recommend(RecommendationRequest(visitor: "v-fold", k: 10, policy: "none"))
        #expect(after.historyItems == 8)
        #expect(before.items.map(\.id) != after.items.map(\.id))
        let finn = { (list: RecommendationList) in list.items.filter { $0.makers == ["Finn Ash"] }.count }
        #expect(finn(after) > finn(before))
        // Seen objects are left out unless asked for.
        #expect(!after.items.contains { ["W0005", "W0013", "W0000"].contains($0.id) })
        #expect(try db.curio.trainedModels().versions.count == 1)
    }

    @Test func aHistoryMappedOntoTheModelIsTheHistoryReadWithTheModelsIndex() throws {
        let db = try SyntheticMuseum.Database(simulate: 150)
        _ = try db.curio.train(TrainingOptions(model: "hybrid", seed: 2))
        // Same-time events on several objects, a skip and repeated views: order, seen set and weights all matter.
        try db.record("v-map", .view, [4, 9, 4, 17])
        try db.record("v-map", .like, [9, 30, 2], start: 1_710_000_000)
        try db.record("v-map", .skip, [11], start: 1_710_050_000)
        let service = try db.curio.recommendations()
        let state = try service.current()
        let served = try #require(try state.model(nil, directory: service.models))
        #expect(served.coversModel)
        let events = try db.curio.store.events(visitor: "v-map")
        var builder = InteractionBuilder()
        builder.now = Date(timeIntervalSince1970: 1_720_000_000)
        let snapshotHistory = builder.history(events: events, itemIndex: state.snapshot.index)
        let direct = builder.history(events: events, itemIndex: served.itemIndex)
        let mapped = served.history(from: snapshotHistory)
        #expect(mapped.entries == direct.entries)
        #expect(mapped.seen == direct.seen)
        #expect(mapped.entries.count == 5 && mapped.seen.count == 6)
    }

    @Test func coldVisitorsGetContentAndNewcomersThePopularList() throws {
        let db = try SyntheticMuseum.Database(simulate: 150)
        _ = try db.curio.train(TrainingOptions(model: "als", seed: 2))
        try db.record("v-one", .like, [3])
        let one = try db.curio.recommend(RecommendationRequest(visitor: "v-one", k: 5, policy: "none"))
        #expect(one.strategy == .contentColdStart && one.model == "content")
        // Content similarity to a Dan Hill sea picture: Dan Hill's other works and other sea pictures come first.
        let first = try #require(one.items.first)
        let firstItem = try #require(SyntheticMuseum.items.first { $0.id.rawValue == first.id })
        #expect(firstItem.makers.first?.agent == "a:3" || firstItem.subjects == ["s:3"])
        #expect(one.items.allSatisfy { $0.because.first?.item == "W0003" })
        let none = try db.curio.recommend(RecommendationRequest(visitor: "nobody", k: 5, policy: "none"))
        #expect(none.strategy == .popular && none.model == "popularity")
        #expect(none.items.allSatisfy { $0.explanation == "Popular with visitors to the collection" && $0.because.map(\.type) == ["popularity"] })
    }

    @Test func everyRecommendationCarriesEvidenceFromTheVisitorsOwnObjects() throws {
        let db = try SyntheticMuseum.Database(simulate: 150)
        _ = try db.curio.train(TrainingOptions(model: "ease", seed: 2))
        try db.record("v-why", .like, [1, 9, 17, 25])
        let list = try db.curio.recommend(RecommendationRequest(visitor: "v-why", k: 8, policy: "none"))
        let mine: Set = ["W0001", "W0009", "W0017", "W0025"]
        for item in list.items {
            #expect(!item.because.isEmpty, "\(item.id) has no evidence")
            #expect(item.because.allSatisfy { $0.item.map(mine.contains) ?? false })
            #expect(item.explanation.hasPrefix("Because you liked *Work "))
            let total = item.because.reduce(0) { $0 + $1.weight }
            #expect(total > 0 && total <= 1.000001)
        }
        // Bea Stone's works share a maker with the likes: the evidence says so.
        if let bea = list.items.first(where: { $0.makers == ["Bea Stone"] }) {
            #expect(bea.because.contains { $0.type == "shared_maker" && $0.viaLabel == "Bea Stone" })
        }
    }

    @Test func aStoredPolicyCapsMakersAndTheLedgerRecordsExposure() throws {
        let db = try SyntheticMuseum.Database(simulate: 150)
        _ = try db.curio.train(TrainingOptions(model: "itemknn", seed: 2))
        try db.record("v-ann", .like, [0, 8, 16, 24, 32])
        _ = try db.curio.recommendations().policies.set("two-each", document: Data(#"{"max_per_maker": 2}"#.utf8), source: "test")
        let free = try db.curio.recommend(RecommendationRequest(visitor: "v-ann", k: 10, policy: "none"))
        let capped = try db.curio.recommend(RecommendationRequest(visitor: "v-ann", k: 10, policy: "two-each"))
        #expect(capped.policy == "two-each")
        let perMaker = Dictionary(grouping: capped.items, by: { $0.makers.first ?? "" }).mapValues(\.count)
        #expect(perMaker.values.allSatisfy { $0 <= 2 }, "\(perMaker)")
        #expect(free.items.filter { $0.makers == ["Ann Vale"] }.count > 2)
        #expect(capped.items.contains { $0.adjustments.contains { $0.kind == "maker_cap" } } || capped.items.count == 10)
        let report = try db.curio.exposure()
        #expect(report.requests == 1)
        // Reported against the default policy's targets.
        #expect(report.groups.contains { $0.attribute == "maker_gender" && $0.value == "Female" && $0.targetMin == 0.25 })
    }

    @Test func aRejectedPolicyNeverReplacesTheActiveOne() throws {
        let db = try SyntheticMuseum.Database()
        let policies = try db.curio.recommendations().policies
        let good = Data(#"{"max_per_maker": 1, "diversity": 0.3}"#.utf8)
        #expect(try policies.set("gallery", document: good, source: "test").version == 1)
        let bad = Data(#"{"exposure": {"attribute": "maker_gender", "targets": {"Female": 0.7, "Male": 0.6}}}"#.utf8)
        #expect(throws: PolicyError.self) { try policies.set("gallery", document: bad, source: "test") }
        #expect(try policies.resolve("gallery")?.maxPerMaker == 1)
        #expect(try policies.resolve("gallery")?.version == 1)
        // Stored next to the database: a new process sees version 1.
        let reopened = try PolicyLibrary(directory: URL(fileURLWithPath: db.path + ".policies"))
        #expect(try reopened.resolve("gallery")?.diversity == 0.3)
        #expect(throws: RecommendationSetupError.self) { try reopened.resolve("missing") }
        #expect(try reopened.resolve("none") == nil)
    }

    @Test func theBuiltInDefaultPolicyIsTheShippedFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/policies/default.json")
        let shipped = try Policy.parse(Data(contentsOf: file), source: file.path)
        let builtIn = try Policy.parse(Data(PolicyLibrary.builtInDefault.utf8), source: "built-in")
        #expect(shipped == builtIn)
        #expect(builtIn.makerShare?.max == 0.2)
        #expect(builtIn.maxPerMaker == nil)
        #expect(builtIn.exposure?.targets["Female"]?.min == 0.25)
    }

    @Test func objectsIngestedAfterTrainingAreRecommendedAndSimilar() throws {
        let db = try SyntheticMuseum.Database(simulate: 150)
        _ = try db.curio.train(TrainingOptions(model: "ease", seed: 2))
        try db.record("v-new", .like, [2, 10, 18])
        _ = try db.curio.recommend(RecommendationRequest(visitor: "v-new", k: 5, policy: "none"))
        // A new Cara Moss storm picture arrives after training.
        let newcomer = SyntheticMuseum.item(2, prefix: "NEW")
        _ = try db.curio.store.write(.init(items: [newcomer]))
        try db.curio.recommendations().refreshInterval = 0
        let similar = try db.curio.similar(to: newcomer.id, k: 3)
        #expect(similar.items.contains { $0.id == "W0002" })
        let list = try db.curio.recommend(RecommendationRequest(visitor: "v-new", k: 10, policy: "none"))
        let entry = try #require(list.items.first { $0.id == newcomer.id.rawValue })
        #expect(!entry.because.isEmpty)
        #expect(throws: RecommendationSetupError.unknownItem("nope")) { try db.curio.similar(to: "nope") }
    }

    @Test func filtersRestrictByMakerAndSubjectIncludingNarrowerTerms() throws {
        let db = try SyntheticMuseum.Database(simulate: 100)
        _ = try db.curio.train(TrainingOptions(model: "itemknn", seed: 2))
        try db.record("v-f", .like, [1, 2, 3])
        let byMaker = try db.curio.recommend(RecommendationRequest(visitor: "v-f", k: 5, policy: "none", maker: "gus"))
        #expect(!byMaker.items.isEmpty && byMaker.items.allSatisfy { $0.makers == ["Gus Lane"] })
        let people = try db.curio.recommend(RecommendationRequest(visitor: "v-f", k: 20, policy: "none", subject: "people"))
        let peopleIDs = Set(SyntheticMuseum.items.filter { ["s:3", "s:4", "s:5"].contains($0.subjects.first?.rawValue ?? "") }.map(\.id.rawValue))
        #expect(!people.items.isEmpty && people.items.allSatisfy { peopleIDs.contains($0.id) })
        #expect(throws: RecommendationSetupError.self) {
            try db.curio.recommend(RecommendationRequest(visitor: "v-f", subject: "no such subject"))
        }
    }
}
