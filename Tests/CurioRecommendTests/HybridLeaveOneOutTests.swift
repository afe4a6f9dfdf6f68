import CurioCore
import Foundation
import Testing
@testable import CurioRecommend

@Suite("The hybrid model's sparse leave-one-out")
struct HybridLeaveOneOutTests {
    /// The fixture's hybrid graphs under fixed weights (the trained model's tuned weights may switch parts off).
    static func model(_ weights: (Float, Float, Float)) throws -> HybridRecommender {
        let trained = try #require(ModelFixtures.trained["hybrid"] as? HybridRecommender)
        var c = trained.configuration
        (c.collaborativeWeight, c.propagationWeight, c.contentWeight) = weights
        c.tuneWeights = false
        return HybridRecommender(configuration: c, itemIDs: trained.itemIDs, userIDs: trained.userIDs,
                                 collaborative: trained.collaborative, content: trained.content,
                                 popularity: trained.popularity, histories: trained.histories, seed: 0)
    }

    /// Random histories over the catalogue: training rows cut to 2…8 objects, with repeated objects, varied weights
    /// and an occasional non-positive weight; plus a few histories of objects nobody else visited.
    static func histories(_ model: HybridRecommender, count: Int) -> [[HistoryEntry]] {
        var rng = SplitMix(seed: 11)
        let m = ModelFixtures.data.interactions.matrix
        var out: [[HistoryEntry]] = []
        var u = 0
        while out.count < count, u < m.rows {
            defer { u += 1 }
            let row = Array(m.range(ofRow: u)).map { Int(m.columnIndices[$0]) }
            guard row.count >= 2 else { continue }
            var h: [HistoryEntry] = []
            for (n, i) in row.prefix(2 + Int(rng.next() % 7)).enumerated() {
                h.append(HistoryEntry(item: i, weight: Float(1 + rng.next() % 5), time: Double(n)))
                if rng.next() % 4 == 0 { h.append(HistoryEntry(item: i, weight: 0.5, time: Double(n) + 0.5)) }
            }
            if rng.next() % 5 == 0 { h.append(HistoryEntry(item: Int(rng.next() % UInt64(model.itemIDs.count)), weight: 0, time: 99)) }
            out.append(h)
        }
        // Objects without any co-occurrence make a part collapse when the other object is left out.
        let cold = (0..<model.itemIDs.count).filter { model.collaborative.weights.range(ofRow: $0).isEmpty }
        if let c = cold.first, let warm = out.first?.first?.item {
            out.append([HistoryEntry(item: c, weight: 2, time: 0), HistoryEntry(item: warm, weight: 1, time: 1)])
        }
        return out
    }

    @Test("Leaving one object out matches scoring the shorter history",
          arguments: [(Float(1), Float(1), Float(0.3)), (1, 0.2, 0), (1, 0, 0), (0, 0, 1), (0, 1, 0.1)])
    func matchesFullRescoring(weights: (Float, Float, Float)) throws {
        let model = try Self.model(weights)
        let all = Array(0..<model.itemIDs.count)
        var compared = 0
        for history in Self.histories(model, count: 12) {
            let scoring = model.leaveOneOutScoring(forHistory: history, scores: nil)
            #expect(scoring.scores == model.scores(forHistory: history))
            let base = scoring.scores(of: all)
            let off = all.filter { abs(base[$0] - scoring.scores[$0]) > 1e-5 * max(1, abs(scoring.scores[$0])) }
            #expect(off.isEmpty, "scored apart from the full scoring at \(off.prefix(5))")
            for object in Set(history.map(\.item)).sorted() {
                let fast = scoring.scoresWithout(object: object, items: all)
                let full = model.scores(forHistory: history.filter { $0.item != object })
                for j in all where abs(fast[j] - full[j]) > 1e-5 * max(1, abs(full[j])) {
                    Issue.record("weights \(weights), object \(object), item \(j): \(fast[j]) vs \(full[j])")
                }
                compared += 1
            }
            // The parts are restored after each leave-one-out: the whole history scores as before.
            #expect(scoring.scores(of: all) == base)
        }
        #expect(compared > 30)
    }

    @Test func theLargestEntriesFoundFromTheHistorysRowsAreThoseOfTheFullPass() throws {
        let model = try Self.model((1, 1, 0.3))
        var checked = 0
        for history in Self.histories(model, count: 40) {
            let positive = history.filter { $0.weight > 0 }.map { HistoryEntry(item: $0.item, weight: log1p($0.weight), time: $0.time) }
            for graph in [model.collaborative, model.content] {
                var part = [Float](repeating: 0, count: model.itemIDs.count)
                graph.accumulate(positive, into: &part)
                let sparse = HybridHistoryScoring.topList(part, support: positive, of: graph.weights)
                let dense = HybridHistoryScoring.topList(part)
                #expect(sparse.map(\.index) == dense.map(\.index) && sparse.map(\.value) == dense.map(\.value))
                checked += 1
            }
        }
        #expect(checked == 80)
        // Fewer non-zero entries than the list holds (no history, or only an object outside the model): the full
        // pass decides, with zeros by lowest index.
        let graph = model.collaborative
        for history in [[HistoryEntry(item: model.itemIDs.count + 5, weight: 1, time: 0)], []] {
            var part = [Float](repeating: 0, count: model.itemIDs.count)
            graph.accumulate(history, into: &part)
            let sparse = HybridHistoryScoring.topList(part, support: history, of: graph.weights)
            #expect(sparse.map(\.index) == Array(0..<HybridHistoryScoring.topCount))
            #expect(sparse.map(\.index) == HybridHistoryScoring.topList(part).map(\.index))
        }
    }

    @Test func termsAreThoseOfTheModel() throws {
        let model = try Self.model((1, 1, 0.3))
        for history in Self.histories(model, count: 10) {
            let items = model.recommend(history: history, k: 10).map(\.index)
            let fromScoring = try #require(model.leaveOneOutScoring(forHistory: history, scores: nil).historyTerms(items: items))
            let scores = model.scores(forHistory: history)
            let prior = model.configuration.collaborativeWeight * model.configuration.popularityWeight
            for (j, terms) in zip(items, fromScoring) {
                // The terms add up to the score without its popularity prior.
                let sum = terms.reduce(Float(0)) { $0 + $1.value }
                let expected = scores[j] - prior * model.popularity[j]
                #expect(abs(sum - expected) <= 1e-4 * max(1, abs(expected)), "item \(j): terms \(sum) vs \(expected)")
            }
        }
    }
}

/// A small seeded generator for test data.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
