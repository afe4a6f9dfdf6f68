import CurioCore
import CurioMath
import Foundation

/// A recommended (or similar) item with its score.
public struct ScoredItem: Sendable, Hashable, Codable {
    /// Column index in the model's catalogue.
    public var index: Int
    public var id: ItemID
    public var score: Float
    public init(index: Int, id: ItemID, score: Float) {
        self.index = index
        self.id = id
        self.score = score
    }
}

/// A trained recommendation model.
///
/// Models score every catalogue item for a visitor. Two entry points exist:
/// - ``scores(forUser:)`` for a visitor that was a row of the training matrix (evaluation);
/// - ``scores(forHistory:)`` for any visitor from their current history (serving): this is **fold-in** — a visitor
///   not seen in training, or with new events since, gets up-to-date scores without retraining.
///
/// Item indices are the columns of the training ``InteractionMatrix`` (the catalogue order, ``itemIDs``).
/// Scores are comparable within one call only. Items a model can never recommend (EASE outside its active set)
/// score `-infinity`.
public protocol Recommender: Sendable {
    /// The model's name as used by `curio train --model` (`als`, `bpr`, …).
    var name: String { get }
    /// The catalogue, in column order.
    var itemIDs: [ItemID] { get }
    /// Training visitors, in row order.
    var userIDs: [VisitorID] { get }
    /// Scores of every item for training row `user` (`0..<userIDs.count`).
    func scores(forUser user: Int) -> [Float]
    /// Scores of every item for a visitor with the given history (fold-in).
    func scores(forHistory history: [HistoryEntry]) -> [Float]
    /// The history scored once, ready to score it again without one object for a few items (explanations).
    /// - Parameter scores: the model's scores for `history` when already computed (models that need their own
    ///   intermediate parts may ignore them). Default: ``FullRescoring``.
    func leaveOneOutScoring(forHistory history: [HistoryEntry], scores: [Float]?) -> any LeaveOneOutScoring
    /// The `k` items most similar to item `item`, best first, excluding the item itself.
    func similarItems(to item: Int, k: Int) -> [ScoredItem]
    /// The model as a saveable artefact.
    func artefact() throws(RecommendError) -> ModelArtefact
}

extension Recommender {
    /// The best `k` items for a history, skipping `excluded` items and items for which `allowed` is false.
    public func recommend(history: [HistoryEntry], k: Int, excluding excluded: Set<Int> = [],
                          allowed: ((Int) -> Bool)? = nil) -> [ScoredItem] {
        rank(scores(forHistory: history), k: k, excluding: excluded, allowed: allowed)
    }

    /// The best `k` items for training row `user`, skipping `excluded` items.
    public func recommend(user: Int, k: Int, excluding excluded: Set<Int> = [],
                          allowed: ((Int) -> Bool)? = nil) -> [ScoredItem] {
        rank(scores(forUser: user), k: k, excluding: excluded, allowed: allowed)
    }

    /// Top-k selection over a score vector (ties broken by lower index), dropping `-infinity` scores.
    public func rank(_ scores: [Float], k: Int, excluding excluded: Set<Int> = [],
                     allowed: ((Int) -> Bool)? = nil) -> [ScoredItem] {
        var masked = scores
        for i in excluded where i >= 0 && i < masked.count { masked[i] = -.infinity }
        if let allowed {
            for i in masked.indices where !allowed(i) { masked[i] = -.infinity }
        }
        let top = TopK.largest(masked, k: k)
        return top.map { ScoredItem(index: $0.index, id: itemIDs[$0.index], score: $0.score) }
    }

    /// Writes the model to `url` in the ``ModelArtefact`` format.
    public func save(to url: URL) throws(RecommendError) {
        try artefact().write(to: url)
    }

    /// Scores for a training row when known, else from the history (helper for evaluation and serving).
    public func scores(forUser user: Int?, history: [HistoryEntry]) -> [Float] {
        if let user, user >= 0, user < userIDs.count { return scores(forUser: user) }
        return scores(forHistory: history)
    }
}

/// Similar items by cosine over rows of a dense factor matrix (shared by factor models).
func cosineNeighbours(of item: Int, in factors: Matrix, itemIDs: [ItemID], k: Int) -> [ScoredItem] {
    guard item >= 0, item < factors.rows else { return [] }
    let d = factors.columns
    var norms = [Float](repeating: 0, count: factors.rows)
    var scores = [Float](repeating: 0, count: factors.rows)
    factors.storage.withUnsafeBufferPointer { f in
        let base = f.baseAddress!
        for r in 0..<factors.rows { norms[r] = VectorKernels.norm(base + r * d, count: d) }
        let q = base + item * d
        for r in 0..<factors.rows {
            let denom = norms[r] * norms[item]
            scores[r] = denom > 0 ? VectorKernels.dot(q, base + r * d, count: d) / denom : 0
        }
    }
    return TopK.select(scores, k: k) { $0 == item }.map { ScoredItem(index: $0.index, id: itemIDs[$0.index], score: $0.score) }
}
