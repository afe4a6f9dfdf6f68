import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct FoldInAndDeterminismTests {
    static let all = ["popularity", "itemknn", "ease", "als", "bpr", "content", "hybrid"]
    static let personalised = ["itemknn", "ease", "als", "bpr", "content", "hybrid"]

    @Test(arguments: all)
    func sameSeedGivesTheSameModel(model: String) throws {
        let data = ModelFixtures.data
        let a = try ModelFixtures.train(model, on: data, seed: 9)
        let b = try ModelFixtures.train(model, on: data, seed: 9)
        for user in [0, 5, 17] {
            #expect(a.scores(forUser: user) == b.scores(forUser: user))
        }
        let history = data.interactions.history(ofUser: 3)
        #expect(a.scores(forHistory: history) == b.scores(forHistory: history))
    }

    @Test(arguments: ["als", "bpr"])
    func differentSeedsGiveDifferentFactorModels(model: String) throws {
        let data = ModelFixtures.data
        let a = try ModelFixtures.train(model, on: data, seed: 1)
        let b = try ModelFixtures.train(model, on: data, seed: 2)
        #expect(a.scores(forUser: 0) != b.scores(forUser: 0))
    }

    @Test(arguments: personalised)
    func aNewLikeChangesTheNextList(model: String) throws {
        let recommender = try #require(ModelFixtures.trained[model])
        // A visitor unknown to the model: one view of a theme-0 object.
        let first = HistoryEntry(item: 0, weight: 1, time: 1_700_000_000)
        let before = recommender.recommend(history: [first], k: 10, excluding: [0])
        // They like an object of a different theme (theme 7 starts at 7·25).
        let liked = HistoryEntry(item: 7 * 25 + 3, weight: 4, time: 1_700_000_100)
        let after = recommender.recommend(history: [first, liked], k: 10, excluding: [0, liked.item])
        #expect(before.map(\.id) != after.map(\.id))
        // The new list leans towards the liked object's theme.
        let theme7Before = before.filter { $0.id.rawValue.hasPrefix("T07") }.count
        let theme7After = after.filter { $0.id.rawValue.hasPrefix("T07") }.count
        #expect(theme7After > theme7Before)
    }

    @Test func alsFoldInOfATrainingHistoryAgreesWithTheTrainedVector() throws {
        let data = ModelFixtures.data
        let als = try ALSRecommender.train(on: data, configuration: .init(factors: 16, iterations: 10), seed: 4)
        var overlaps = 0.0
        let users = Array(0..<40)
        for u in users {
            let seen = data.interactions.seenItems(ofUser: u)
            let trained = Set(als.recommend(user: u, k: 10, excluding: seen).map(\.index))
            let folded = Set(als.recommend(history: data.interactions.history(ofUser: u), k: 10, excluding: seen).map(\.index))
            overlaps += Double(trained.intersection(folded).count) / 10
        }
        // The fold-in solves the same least-squares problem exactly; CG training solves it approximately.
        #expect(overlaps / Double(users.count) > 0.7)
    }

    @Test func alsFoldInIsTheExactLeastSquaresSolution() throws {
        let data = ModelFixtures.data
        let als = try ALSRecommender.train(on: data, configuration: .init(factors: 8, iterations: 3), seed: 4)
        let history = [HistoryEntry(item: 2, weight: 1), HistoryEntry(item: 30, weight: 3)]
        let x = als.foldIn(history)
        // Check the normal equations (YᵀCY + λI)x = YᵀCp directly.
        let k = 8, alpha = als.configuration.alpha, lambda = als.configuration.regularization
        for row in 0..<k {
            var lhs: Float = lambda * x[row]
            var rhs: Float = 0
            for i in 0..<als.itemFactors.rows {
                let weight = history.first { $0.item == i }?.weight ?? 0
                let c = 1 + alpha * weight
                var dot: Float = 0
                for f in 0..<k { dot += als.itemFactors[i, f] * x[f] }
                lhs += c * als.itemFactors[i, row] * dot
                if weight > 0 { rhs += c * als.itemFactors[i, row] }
            }
            #expect(abs(lhs - rhs) < 1e-3 * max(1, abs(rhs)))
        }
    }

    @Test(arguments: ["content", "hybrid"])
    func aVisitorWithOneEventGetsContentBasedResultsNotJustPopularOnes(model: String) throws {
        let recommender = try #require(ModelFixtures.trained[model])
        let popularity = try #require(ModelFixtures.trained["popularity"])
        // One scan of an object of theme 5 by a new visitor.
        let item = 5 * 25 + 7
        let list = recommender.recommend(history: [HistoryEntry(item: item, weight: 2)], k: 10, excluding: [item])
        let popular = popularity.recommend(history: [HistoryEntry(item: item, weight: 2)], k: 10, excluding: [item])
        let sameTheme = list.filter { $0.id.rawValue.hasPrefix("T05") }.count
        let popularSameTheme = popular.filter { $0.id.rawValue.hasPrefix("T05") }.count
        #expect(sameTheme >= 7)
        #expect(sameTheme > popularSameTheme)
        #expect(Set(list.map(\.id)) != Set(popular.map(\.id)))
    }

    @Test func aNewObjectIsRecommendableByContentWithoutRetraining() throws {
        let collection = ModelFixtures.collection
        let data = ModelFixtures.data
        let content = try ContentRecommender.train(on: data, configuration: .init(), seed: 1)
        var newItem = collection.items[3 * 25 + 2]
        newItem.id = "NEW-1"
        let encoder = MetadataFeatureEncoder(concepts: collection.concepts).fit(collection.items)
        let extended = try content.adding(items: ["NEW-1"], features: encoder.encode([newItem]))
        #expect(extended.itemIDs.count == data.interactions.itemCount + 1)
        let history = [HistoryEntry(item: 3 * 25 + 2, weight: 4)]
        let list = extended.recommend(history: history, k: 5, excluding: [3 * 25 + 2])
        #expect(list.contains { $0.id == "NEW-1" })
        #expect(throws: RecommendError.self) { try extended.adding(items: ["NEW-1"], features: encoder.encode([newItem])) }
    }

    @Test(arguments: personalised)
    func similarItemsExcludeTheItemAndFavourItsTheme(model: String) throws {
        let recommender = try #require(ModelFixtures.trained[model])
        var sameTheme = 0
        // Five objects of theme 2; chance level is one in twelve.
        for item in [50, 52, 55, 60, 63] {
            let similar = recommender.similarItems(to: item, k: 5)
            #expect(!similar.contains { $0.index == item })
            sameTheme += similar.filter { $0.id.rawValue.hasPrefix("T02") }.count
        }
        #expect(sameTheme >= 10, "\(model): \(sameTheme) of 25")
    }

    @Test func easeFitsOnlyActiveItemsAndNeverRecommendsOthers() throws {
        let events = [Event(visitor: "a", item: "X", kind: .view, timestamp: day(1)),
                      Event(visitor: "a", item: "Y", kind: .view, timestamp: day(1)),
                      Event(visitor: "b", item: "Y", kind: .view, timestamp: day(1)),
                      Event(visitor: "b", item: "Z", kind: .view, timestamp: day(1))]
        let m = try InteractionBuilder(now: day(10)).build(events: events, catalogue: ["X", "Y", "Z", "COLD"])
        let ease = try EASERecommender.train(on: TrainingData(interactions: m), configuration: .init(lambda: 1))
        #expect(ease.activeItems == [0, 1, 2])
        let scores = ease.scores(forHistory: [HistoryEntry(item: 0, weight: 1)])
        #expect(scores[3] == -.infinity)
        #expect(!ease.recommend(history: [HistoryEntry(item: 0, weight: 1)], k: 4).contains { $0.id == "COLD" })
    }

    @Test func badHyperParametersAreRejectedByName() {
        let data = ModelFixtures.data
        #expect(throws: RecommendError.self) { try ModelRegistry.train("als", on: data, parameters: ["factors": .number(0)], seed: 1) }
        #expect(throws: RecommendError.self) { try ModelRegistry.train("als", on: data, parameters: ["nonsense": .number(1)], seed: 1) }
        #expect(throws: RecommendError.self) { try ModelRegistry.train("bpr", on: data, parameters: ["epochs": .text("many")], seed: 1) }
        #expect(throws: RecommendError.self) { try ModelRegistry.train("nope", on: data, seed: 1) }
        #expect(throws: RecommendError.self) {
            try ModelRegistry.train("content", on: TrainingData(interactions: data.interactions), seed: 1)
        }
    }

    @Test func trainingWithoutInteractionsIsAClearError() throws {
        let empty = try InteractionMatrix(userIDs: [], itemIDs: ["A"], interactions: [])
        for model in ["itemknn", "ease", "als", "bpr"] {
            #expect(throws: RecommendError.self) { try ModelRegistry.train(model, on: TrainingData(interactions: empty), seed: 1) }
        }
    }
}
