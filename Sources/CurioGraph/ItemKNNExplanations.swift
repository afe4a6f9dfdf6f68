import CurioCore
import CurioRecommend

/// Explanations for CurioRecommend's ItemKNN model: its score `Σ_h w_h · sim(h, j)` is split exactly into one
/// ``EvidenceKind/coVisitation`` part per liked item.
///
/// This is the pattern for any history-additive recommender: report one ``Evidence`` per additive term and let
/// ``Explainer`` and ``Fidelity`` do the rest.
public struct ItemKNNExplanations: ExplainableScorer {
    public let model: ItemKNNRecommender
    let index: [ItemID: Int]

    public init(model: ItemKNNRecommender) {
        self.model = model
        index = Dictionary(model.itemIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The model's own score for one item (the same sum ``CurioRecommend/ItemGraph`` accumulates, in double precision).
    public func score(_ item: ItemID, history: [WeightedItem]) -> Double {
        parts(item, history: history).reduce(0) { $0 + $1.weight }
    }

    /// One part per liked item with a non-zero similarity to `item` (including negative ones, which are not evidence).
    func parts(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
        guard let j = index[item] else { return [] }
        let w = model.graph.weights
        return history.compactMap { h in
            guard let i = index[h.item], let p = w.position(row: i, column: j) else { return nil }
            return Evidence(kind: .coVisitation, likedItem: h.item, weight: h.weight * Double(w.values[p]))
        }
    }

    public func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
        parts(item, history: history).filter { $0.weight > 0 }
    }
}
