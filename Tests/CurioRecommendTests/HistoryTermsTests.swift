import CurioCore
import Foundation
import Testing
@testable import CurioRecommend

@Suite("Splitting a score into one term per history object")
struct HistoryTermsTests {
    /// A visitor's history from the synthetic data: the first training row with at least `count` distinct items.
    static func history(count: Int) throws -> [HistoryEntry] {
        let m = ModelFixtures.data.interactions.matrix
        for u in 0..<m.rows where m.rowCount(u) >= count {
            return m.range(ofRow: u).map { HistoryEntry(item: Int(m.columnIndices[$0]), weight: m.values[$0], time: Double($0)) }
        }
        throw CocoaError(.featureUnsupported)
    }

    @Test("ItemKNN and EASE terms add up to the score exactly", arguments: ["itemknn", "ease"])
    func exactlyAdditiveModels(name: String) throws {
        let model = try #require(ModelFixtures.trained[name] as? any HistoryAdditive)
        let history = try Self.history(count: 6)
        let scores = model.scores(forHistory: history)
        let items = model.recommend(history: history, k: 10).map(\.index)
        try #require(!items.isEmpty)
        for (j, terms) in zip(items, model.historyTerms(history, items: items)) {
            let sum = terms.reduce(Float(0)) { $0 + $1.value }
            // Every positive term is listed; negative terms (EASE) are left out, so the sum is at least the score.
            #expect(sum >= scores[j] - 1e-4, "item \(j): terms \(sum) vs score \(scores[j])")
            #expect(terms.allSatisfy { t in history.contains { $0.item == t.object } })
            #expect(zip(terms, terms.dropFirst()).allSatisfy { $0.value >= $1.value })
        }
    }

    @Test func hybridTermsAddUpToTheScoreWithoutItsPopularityPrior() throws {
        let model = try #require(ModelFixtures.trained["hybrid"] as? HybridRecommender)
        let history = try Self.history(count: 6)
        let scores = model.scores(forHistory: history)
        let items = model.recommend(history: history, k: 10).map(\.index)
        try #require(!items.isEmpty)
        let prior = model.configuration.collaborativeWeight * model.configuration.popularityWeight
        for (j, terms) in zip(items, model.historyTerms(history, items: items)) {
            let sum = terms.reduce(Float(0)) { $0 + $1.value }
            let expected = scores[j] - prior * model.popularity[j]
            #expect(abs(sum - expected) <= 1e-4 * max(1, abs(expected)), "item \(j): terms \(sum) vs \(expected)")
        }
    }

    @Test func theLargestTermNamesTheObjectWhoseRemovalCostsMost() throws {
        // For an exactly additive model, leaving out the object with the largest term lowers the score the most.
        let model = try #require(ModelFixtures.trained["itemknn"] as? ItemKNNRecommender)
        let history = try Self.history(count: 6)
        let scores = model.scores(forHistory: history)
        for j in model.recommend(history: history, k: 5).map(\.index) {
            guard let top = model.historyTerms(history, items: [j])[0].first else { continue }
            let drops = Set(history.map(\.item)).map { i in (i, scores[j] - model.scores(forHistory: history.filter { $0.item != i })[j]) }
            let largest = try #require(drops.max { $0.1 < $1.1 })
            #expect(abs(largest.1 - top.value) <= 1e-4 * max(1, abs(scores[j])), "drop \(largest.1) vs term \(top.value)")
        }
    }
}
