import CurioCore

/// A recommender whose score for one item can be recomputed and split into additive evidence.
///
/// The graph recommender conforms exactly; ItemKNN (one part per liked item: its similarity), a content model
/// (parts per matching term or palette) or a curator rule (a boost without a liked item) can conform by
/// reporting their own parts. ``Fidelity`` uses the conformance to check that explanations are faithful.
public protocol ExplainableScorer: Sendable {
    /// The item's score for the history, recomputed from scratch.
    func score(_ item: ItemID, history: [WeightedItem]) -> Double
    /// Additive parts of the item's score.
    func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence]
    /// The item's score once `evidence` is removed.
    /// Default: the cited liked item leaves the history (evidence without a liked item changes nothing).
    func score(_ item: ItemID, history: [WeightedItem], removing evidence: Evidence) -> Double
}

extension ExplainableScorer {
    public func score(_ item: ItemID, history: [WeightedItem], removing evidence: Evidence) -> Double {
        guard let liked = evidence.likedItem else { return score(item, history: history) }
        return score(item, history: history.filter { $0.item != liked })
    }
}

extension MetaPathRecommender: ExplainableScorer {}

/// How faithful explanations are: remove each recommendation's cited top evidence, recompute its score, and see
/// whether (and how much) the score drops.
public struct FidelityReport: Sendable, Hashable, Codable {
    /// Recommendations examined.
    public var recommendations: Int
    /// Recommendations with at least one piece of evidence.
    public var explained: Int
    /// Recommendations whose score dropped when the top evidence was removed.
    public var dropped: Int
    /// `dropped / recommendations` (unexplained recommendations count as not dropping).
    public var fidelity: Double
    /// Mean of `score − score without the evidence`, over all recommendations.
    public var meanDrop: Double
    /// Mean of the drop divided by the score, over recommendations with a positive score.
    public var meanRelativeDrop: Double
    /// Mean share of the score the top evidence claims (its weight / score).
    public var meanTopEvidenceShare: Double
}

/// One visitor's history and the items recommended to it.
public struct FidelityCase: Sendable, Hashable {
    public var history: [WeightedItem]
    public var recommended: [ItemID]
    public init(history: [WeightedItem], recommended: [ItemID]) {
        self.history = history
        self.recommended = recommended
    }
}

public enum Fidelity {
    /// Measures fidelity over many recommendations.
    ///
    /// For each recommended item: the top evidence is the strongest aggregated contribution
    /// (``Explainer/aggregate(_:)``); the score is recomputed with that evidence removed
    /// (``ExplainableScorer/score(_:history:removing:)``); the recommendation counts as faithful when the score
    /// drops by more than `tolerance` relative to the original score.
    public static func measure(_ scorer: some ExplainableScorer, cases: [FidelityCase],
                               tolerance: Double = 1e-9) -> FidelityReport {
        var n = 0, explained = 0, dropped = 0
        var dropSum = 0.0, relativeSum = 0.0, relativeCount = 0, shareSum = 0.0
        for c in cases {
            for item in c.recommended {
                n += 1
                let before = scorer.score(item, history: c.history)
                guard let top = Explainer.aggregate(scorer.contributions(item, history: c.history)).first else { continue }
                explained += 1
                let after = scorer.score(item, history: c.history, removing: top)
                let drop = before - after
                if drop > tolerance * max(1e-300, abs(before)) { dropped += 1 }
                dropSum += drop
                if before > 0 {
                    relativeSum += drop / before
                    relativeCount += 1
                    shareSum += top.weight / before
                }
            }
        }
        return FidelityReport(recommendations: n, explained: explained, dropped: dropped,
                              fidelity: n == 0 ? 0 : Double(dropped) / Double(n),
                              meanDrop: n == 0 ? 0 : dropSum / Double(n),
                              meanRelativeDrop: relativeCount == 0 ? 0 : relativeSum / Double(relativeCount),
                              meanTopEvidenceShare: relativeCount == 0 ? 0 : shareSum / Double(relativeCount))
    }
}
