import CurioCore
import CurioMath
import Foundation

/// Accuracy of next-exhibit predictions.
public struct NextExhibitMetrics: Sendable, Codable, Equatable {
    /// Mean NDCG@k over predictions (one relevant item: `1/log2(rank + 2)` when rank < k, else 0).
    public var ndcg: Double
    /// Mean hit rate@k (the true next item is in the top k).
    public var hitRate: Double
    /// Mean reciprocal rank over the full ranking.
    public var mrr: Double
    /// Standard error of the mean NDCG.
    public var ndcgStandardError: Double
    /// Number of predictions evaluated.
    public var predictions: Int
    public var k: Int
}

/// Sequence-aware evaluation: whole sessions are held out, and the model predicts each next step of a held-out
/// session from the steps before it, ranking every vocabulary item (items already seen in the visit excluded).
public enum NextExhibitEvaluation {
    /// Which steps of a held-out session are predicted.
    public enum Target: String, Sendable, Codable {
        /// Every step after the first (from one item of history onwards).
        case everyStep = "every-step"
        /// Only the last step, from all the others.
        case lastStep = "last-step"
    }

    /// How sessions are held out.
    public enum SplitMode: String, Sendable, Codable {
        /// A seeded random fraction of sessions.
        case random
        /// The most recent fraction of sessions (by start time): the model never sees the future.
        case temporal
    }

    /// Training and held-out sessions.
    public struct Split: Sendable {
        public var train: [VisitSession]
        public var test: [VisitSession]
    }

    /// Holds out whole sessions (those with at least two steps are eligible for the test side).
    /// - Throws: ``VisitError/badParameter(name:reason:)`` for a fraction outside (0, 1) or too few sessions.
    public static func split(_ sessions: [VisitSession], testFraction: Double = 0.2, mode: SplitMode = .temporal,
                             seed: UInt64 = 1) throws -> Split {
        guard testFraction > 0, testFraction < 1 else {
            throw VisitError.badParameter(name: "test_fraction", reason: "must be between 0 and 1, got \(testFraction)")
        }
        guard sessions.count >= 2 else {
            throw VisitError.badParameter(name: "sessions", reason: "need at least two sessions to hold one out, got \(sessions.count)")
        }
        var order = sessions.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        if mode == .random {
            var rng = SeededRandom(seed: seed)
            rng.shuffle(&order)
        }
        let testCount = max(1, Int((Double(order.count) * testFraction).rounded()))
        let cut = order.count - testCount
        let test = order[cut...].filter { $0.items.count >= 2 }
        return Split(train: Array(order[..<cut]) + order[cut...].filter { $0.items.count < 2 }, test: Array(test))
    }

    /// Evaluates `model` on held-out sessions with full ranking.
    public static func evaluate(_ model: any NextExhibitModel, on sessions: [VisitSession], k: Int = 10,
                                target: Target = .everyStep) -> NextExhibitMetrics {
        var ndcgs: [Double] = []
        var hits = 0.0, rr = 0.0
        let vocabulary = model.vocabulary
        for session in sessions where session.items.count >= 2 {
            let positions = target == .lastStep ? [session.items.count - 1] : Array(1..<session.items.count)
            let all = model.scoresForPrefixes(of: session.items, positions: positions)
            for (p, scores) in zip(positions, all) {
                let rank: Int
                if let t = vocabulary.index[session.items[p]] {
                    var excluded = Set<Int>()
                    for id in session.items[..<p] { if let i = vocabulary.index[id] { excluded.insert(i) } }
                    rank = Self.rank(of: t, in: scores, excluding: excluded)
                } else {
                    rank = Int.max
                }
                let gain = rank < k ? 1 / log2(Double(rank) + 2) : 0
                ndcgs.append(gain)
                if rank < k { hits += 1 }
                if rank != Int.max { rr += 1 / Double(rank + 1) }
            }
        }
        let n = Double(max(1, ndcgs.count))
        let mean = ndcgs.reduce(0, +) / n
        let variance = ndcgs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(1, n - 1)
        return NextExhibitMetrics(ndcg: mean, hitRate: hits / n, mrr: rr / n, ndcgStandardError: (variance / n).squareRoot(),
                                  predictions: ndcgs.count, k: k)
    }

    /// 0-based rank of item `t`: items scoring higher, plus equal-scoring items with a lower index (deterministic
    /// ties), excluding `excluded`.
    static func rank(of t: Int, in scores: [Float], excluding excluded: Set<Int>) -> Int {
        let s = scores[t]
        guard s.isFinite else { return Int.max }
        var rank = 0
        for (i, v) in scores.enumerated() where i != t && (v > s || (v == s && i < t)) && !excluded.contains(i) {
            rank += 1
        }
        return rank
    }
}

extension NextExhibitModel {
    /// Scores after each prefix, one ``scores(after:)`` call per position.
    public func scoresForPrefixes(of items: [ItemID], positions: [Int]) -> [[Float]] {
        positions.map { scores(after: Array(items[..<$0])) }
    }
}
