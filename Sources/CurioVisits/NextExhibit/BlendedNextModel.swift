import CurioCore
import Foundation

/// SASRec's next-item distribution mixed with the transition-and-proximity baseline:
/// `p(j) = w·softmax(sasrec)(j) + (1 − w)·p_transitions(j)`, with `w` picked on held-out sessions.
///
/// The sequence model knows the visitor's taste from the whole visit; the baseline knows the building (what is in
/// this room and the next). Both are probability distributions over the same vocabulary, so the mixture is one too.
public struct BlendedNextModel: NextExhibitModel, Codable {
    public var name: String { "sasrec+transitions" }
    public let sequence: SASRecModel
    public let baseline: TransitionNextModel
    /// Weight of the sequence model.
    public let weight: Float

    /// - Throws: ``VisitError/badParameter(name:reason:)`` when the two models rank different vocabularies or the
    ///   weight is outside 0…1.
    public init(sequence: SASRecModel, baseline: TransitionNextModel, weight: Float) throws {
        guard sequence.vocabulary.items == baseline.vocabulary.items else {
            throw VisitError.badParameter(name: "models", reason: "rank different item vocabularies")
        }
        guard weight >= 0, weight <= 1 else { throw VisitError.badParameter(name: "weight", reason: "must be in 0…1") }
        self.sequence = sequence
        self.baseline = baseline
        self.weight = weight
    }

    public var vocabulary: ItemVocabulary { sequence.vocabulary }

    /// Picks the weight (0.1 … 0.9) with the best NDCG@10 on `validation` sessions.
    public static func fit(sequence: SASRecModel, baseline: TransitionNextModel,
                           validation: [VisitSession]) throws -> BlendedNextModel {
        var best = try BlendedNextModel(sequence: sequence, baseline: baseline, weight: 0.5)
        var bestScore = -1.0
        for w in stride(from: Float(0.1), through: 0.9, by: 0.1) {
            let candidate = try BlendedNextModel(sequence: sequence, baseline: baseline, weight: w)
            let score = NextExhibitEvaluation.evaluate(candidate, on: validation, k: 10).ndcg
            if score > bestScore + 1e-9 {
                bestScore = score
                best = candidate
            }
        }
        return best
    }

    public func scores(after history: [ItemID]) -> [Float] {
        mix(sequence.scores(after: history), baseline.scores(after: history), hasHistory: !history.isEmpty)
    }

    public func scoresForPrefixes(of items: [ItemID], positions: [Int]) -> [[Float]] {
        let a = sequence.scoresForPrefixes(of: items, positions: positions)
        let b = baseline.scoresForPrefixes(of: items, positions: positions)
        return zip(zip(a, b), positions).map { mix($0.0, $0.1, hasHistory: $1 > 0) }
    }

    private func mix(_ logits: [Float], _ probabilities: [Float], hasHistory: Bool) -> [Float] {
        guard hasHistory else { return probabilities }
        let maximum = logits.max() ?? 0
        var p = logits.map { expf($0 - maximum) }
        let sum = p.reduce(0, +)
        for j in p.indices { p[j] = weight * p[j] / sum + (1 - weight) * probabilities[j] }
        return p
    }
}
