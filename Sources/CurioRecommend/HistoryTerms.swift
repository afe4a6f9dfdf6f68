import CurioCore
import CurioMath
import Foundation

/// What one of the visitor's objects adds to an item's score.
public struct HistoryTerm: Sendable, Hashable {
    /// The visitor's object (model index).
    public var object: Int
    /// Its additive term in the item's score, in the model's score units.
    public var value: Float
    public init(object: Int, value: Float) {
        self.object = object
        self.value = value
    }
}

/// A recommender whose score for an item is a sum of one term per history object (plus parts no object moves, such
/// as a popularity prior), possibly rescaled by a per-request normaliser.
///
/// Models that are history-additive expose the terms so that explanations can go straight to the objects that
/// drove a score instead of guessing: ItemKNN and EASE are exactly additive; the hybrid model is additive before
/// each part is scaled by its maximum, so its terms use the maxima of the whole history. Explanations still verify
/// the choice by leaving the object out and rescoring — the terms decide which objects to try, not what is cited.
public protocol HistoryAdditive: Recommender {
    /// For each of `items` (model indices), the positive terms the history's distinct objects add to its score,
    /// largest first.
    func historyTerms(_ history: [HistoryEntry], items: [Int]) -> [[HistoryTerm]]
}

extension HistoryAdditive {
    /// Sums the terms of repeated objects, keeps the positive ones and sorts them largest first (ties: lower index).
    static func collect(_ terms: [Int: Float]) -> [HistoryTerm] {
        terms.filter { $0.value > 0 && $0.value.isFinite }
            .map { HistoryTerm(object: $0.key, value: $0.value) }
            .sorted { $0.value > $1.value || ($0.value == $1.value && $0.object < $1.object) }
    }
}

extension ItemKNNRecommender: HistoryAdditive {
    /// `weight_i · sim(i, j)`: exactly the model's score split by history object.
    public func historyTerms(_ history: [HistoryEntry], items: [Int]) -> [[HistoryTerm]] {
        let w = graph.weights
        return items.map { j in
            var terms: [Int: Float] = [:]
            for e in history where e.item >= 0 && e.item < w.rows && j >= 0 && j < w.columns {
                if let p = w.position(row: e.item, column: j) { terms[e.item, default: 0] += e.weight * w.values[p] }
            }
            return Self.collect(terms)
        }
    }
}

extension EASERecommender: HistoryAdditive {
    /// `x_i · B[i, j]` over the history's active objects: exactly the model's score split by history object.
    public func historyTerms(_ history: [HistoryEntry], items: [Int]) -> [[HistoryTerm]] {
        let n = activeItems.count
        return items.map { j in
            guard j >= 0, j < position.count, position[j] >= 0 else { return [] }
            let column = Int(position[j])
            var terms: [Int: Float] = [:]
            for e in history where e.item >= 0 && e.item < position.count && e.weight > 0 && position[e.item] >= 0 {
                let x = configuration.binary ? 1 : e.weight
                terms[e.item, default: 0] += x * weights.storage[Int(position[e.item]) * n + column]
            }
            return Self.collect(terms)
        }
    }
}

extension HybridRecommender: HistoryAdditive {
    /// Per history object `i` with `l_i = log(1 + weight_i)`, the sum of its shares of the three parts, each scaled
    /// by that part's maximum over the whole history:
    /// `w_cf · l_i·P[i,j] / max t + β · l_i·(P·S)[i,j] / max(t·S) + γ · l_i·S[i,j] / max(h·S)`.
    public func historyTerms(_ history: [HistoryEntry], items: [Int]) -> [[HistoryTerm]] {
        HybridHistoryScoring(model: self, history: history).historyTerms(items: items) ?? items.map { _ in [] }
    }
}
