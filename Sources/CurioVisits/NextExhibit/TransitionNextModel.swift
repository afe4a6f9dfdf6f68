import CurioCore
import Foundation

/// A strong simple baseline for the next exhibit: first-order item-to-item transitions, smoothed towards
/// popularity, blended with room proximity.
///
/// With `c(i→j)` the training count of "j right after i", `c(i)` its row total, `p(j)` the popularity prior
/// (add-one smoothed, summing to 1) and `w(i, j)` the walking seconds between the rooms of i and j:
///
///     P_trans(j | i) = (c(i→j) + α·p(j)) / (c(i) + α)
///     P_near(j | i)  = p(j)·exp(−w(i, j)/τ) / Σ_k p(k)·exp(−w(i, k)/τ)
///     score(j | i)   = λ·P_trans(j | i) + (1 − λ)·P_near(j | i)
///
/// where i is the last item of the visit. Without a venue (or for items not placed) the proximity term is the
/// prior. `α`, `λ` and `τ` are picked by ``fit(sessions:vocabulary:venue:tune:)`` on held-out training sessions.
public struct TransitionNextModel: NextExhibitModel, Codable {
    public var name: String { "transitions" }
    public let vocabulary: ItemVocabulary
    /// Dirichlet smoothing strength towards the prior.
    public var alpha: Float
    /// Weight of the transition term.
    public var lambda: Float
    /// Walking-time scale of the proximity term, in seconds.
    public var tau: Float
    /// Popularity prior, summing to 1.
    public let prior: [Float]
    /// Sparse transition counts: `next[i]` lists successors of item i with their counts.
    public let next: [[Int32]]
    public let nextCounts: [[Float]]
    public let rowTotals: [Float]
    /// Room index of each item (-1 when not placed).
    public let itemRoom: [Int32]
    /// R×R walking seconds between rooms (row-major).
    public let roomSeconds: [Float]
    public let roomCount: Int

    /// Counts transitions in `sessions`.
    public init(sessions: [VisitSession], vocabulary: ItemVocabulary, venue: Venue? = nil,
                alpha: Float = 2, lambda: Float = 0.7, tau: Float = 60) {
        let n = vocabulary.count
        var counts = [Float](repeating: 1, count: n)
        var pairs = [[Int32: Float]](repeating: [:], count: n)
        for s in sessions {
            var prev: Int?
            for id in s.items {
                guard let j = vocabulary.index[id] else { prev = nil; continue }
                counts[j] += 1
                if let i = prev { pairs[i][Int32(j), default: 0] += 1 }
                prev = j
            }
        }
        let total = counts.reduce(0, +)
        prior = counts.map { $0 / total }
        next = pairs.map { $0.keys.sorted() }
        nextCounts = zip(pairs, next).map { p, keys in keys.map { p[$0] ?? 0 } }
        rowTotals = nextCounts.map { $0.reduce(0, +) }
        self.vocabulary = vocabulary
        self.alpha = alpha
        self.lambda = lambda
        self.tau = tau
        if let venue {
            let graph = RoomGraph(venue: venue, options: RouteOptions(ignoreClosures: true))
            let roomOf = venue.roomOfItem
            itemRoom = vocabulary.items.map { id in roomOf[id].flatMap { graph.index[$0] }.map(Int32.init) ?? -1 }
            roomCount = graph.count
            var seconds = [Float](repeating: 0, count: graph.count * graph.count)
            for a in 0..<graph.count {
                for b in 0..<graph.count {
                    let s = graph.seconds(from: a, to: b)
                    seconds[a * graph.count + b] = s.isFinite ? Float(s) : 3600
                }
            }
            roomSeconds = seconds
        } else {
            itemRoom = [Int32](repeating: -1, count: n)
            roomSeconds = []
            roomCount = 0
        }
    }

    /// Fits the counts and, when `tune` is set, picks α, λ and τ by NDCG@10 on the most recent 10% of the training
    /// sessions (counts from the rest), then refits on everything.
    public static func fit(sessions: [VisitSession], vocabulary: ItemVocabulary, venue: Venue? = nil,
                           tune: Bool = true) -> TransitionNextModel {
        guard tune, sessions.count >= 20 else {
            return TransitionNextModel(sessions: sessions, vocabulary: vocabulary, venue: venue)
        }
        let ordered = sessions.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let cut = ordered.count - max(2, ordered.count / 10)
        let train = Array(ordered[..<cut]), validation = Array(ordered[cut...])
        var model = TransitionNextModel(sessions: train, vocabulary: vocabulary, venue: venue)
        var best: (Float, Float, Float) = (model.alpha, model.lambda, model.tau)
        var bestScore = -1.0
        for alpha in [Float(0.5), 2, 8, 32, 128] {
            for lambda in [Float(0), 0.05, 0.1, 0.3, 0.5, 0.7, 0.9] {
                for tau in venue == nil ? [Float(60)] : [Float(5), 10, 15, 30, 60, 120] {
                    model.alpha = alpha
                    model.lambda = lambda
                    model.tau = tau
                    let score = NextExhibitEvaluation.evaluate(model, on: validation, k: 10).ndcg
                    if score > bestScore + 1e-9 {
                        bestScore = score
                        best = (alpha, lambda, tau)
                    }
                }
            }
        }
        return TransitionNextModel(sessions: sessions, vocabulary: vocabulary, venue: venue,
                                   alpha: best.0, lambda: best.1, tau: best.2)
    }

    /// P_trans(j | i) for one pair (for tests and explanations).
    public func transitionProbability(from i: ItemID, to j: ItemID) -> Float? {
        guard let a = vocabulary.index[i], let b = vocabulary.index[j] else { return nil }
        var c: Float = 0
        if let k = next[a].firstIndex(of: Int32(b)) { c = nextCounts[a][k] }
        return (c + alpha * prior[b]) / (rowTotals[a] + alpha)
    }

    public func scores(after history: [ItemID]) -> [Float] {
        guard let lastID = history.last(where: { vocabulary.index[$0] != nil }), let i = vocabulary.index[lastID] else {
            return prior
        }
        let n = vocabulary.count
        let denominator = rowTotals[i] + alpha
        var out = [Float](repeating: 0, count: n)
        let r = Int(itemRoom[i])
        if r >= 0, roomCount > 0, tau > 0 {
            // Proximity: prior times a per-room decay, normalised.
            var decay = [Float](repeating: 0, count: roomCount)
            for b in 0..<roomCount { decay[b] = expf(-roomSeconds[r * roomCount + b] / tau) }
            let unknown = expf(-1)
            var z: Float = 0
            for j in 0..<n {
                let room = Int(itemRoom[j])
                let v = prior[j] * (room >= 0 ? decay[room] : unknown)
                out[j] = v
                z += v
            }
            let near = (1 - lambda) / max(z, 1e-30)
            let smooth = lambda * alpha / denominator
            for j in 0..<n { out[j] = out[j] * near + smooth * prior[j] }
        } else {
            let w = (1 - lambda) + lambda * alpha / denominator
            for j in 0..<n { out[j] = w * prior[j] }
        }
        let scale = lambda / denominator
        for (k, j) in next[i].enumerated() { out[Int(j)] += scale * nextCounts[i][k] }
        return out
    }
}
