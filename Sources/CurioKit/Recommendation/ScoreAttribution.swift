import CurioCore
import CurioGraph
import CurioRecommend
import Foundation

/// Which of the visitor's own objects drove a model's score for an item, measured by leaving each out.
///
/// For a history `h` and item `j`, the attribution of history object `i` is `s(h)[j] − s(h \ i)[j]`: how much the
/// score falls when the visitor had not engaged with `i`. This is what any model's `because` rests on, whatever
/// the model (factor models fold the shorter history in again; history-additive models give their exact terms).
/// At most `limit` objects are tried — first those a ``CurioRecommend/HistoryAdditive`` model names as carrying the
/// items' scores, then (for models without terms) those with the highest `priority` (the caller's guess of what
/// connects them to the items, e.g. knowledge-graph links), then the most recent — and up to `limit` more while
/// some item has no positive attribution yet.
public struct ScoreAttribution: Sendable {
    /// How many of the most recent history objects are left out in turn (each costs one scoring).
    public var limit: Int

    public init(limit: Int = 3) { self.limit = limit }

    /// Attributions for `items` (model indices): per item, the positive drops by history object, largest first.
    /// - Parameter base: the model's scores for the whole history (to avoid scoring it again).
    ///   - priority: history objects (model indices) to try first, by decreasing value.
    public func attribute(model: any Recommender, history: [HistoryEntry], base: [Float], items: [Int],
                          priority: [Int: Double] = [:]) -> [[(item: Int, drop: Double)]] {
        attribute(scoring: model.leaveOneOutScoring(forHistory: history, scores: base), history: history, items: items,
                  priority: priority)
    }

    /// Attributions for `items` (model indices) from a history already scored once: each object left out is scored
    /// by the model's own leave-one-out (sparse for the hybrid model, a full re-scoring otherwise).
    /// - Parameter priority: history objects (model indices) to try first, by decreasing value.
    public func attribute(scoring: any LeaveOneOutScoring, history: [HistoryEntry], items: [Int],
                          priority: [Int: Double] = [:]) -> [[(item: Int, drop: Double)]] {
        attribute(scoring: scoring, history: history, items: items, priority: { priority })
    }

    /// Attributions for `items` (model indices), asking for the caller's `priority` only when it can matter: the
    /// history has more distinct objects than `limit` and the model names no terms (a ``CurioRecommend/HistoryAdditive``
    /// model's terms already say which objects carry the scores, so the guess — typically a walk over the knowledge
    /// graph for every history object — is not computed at all).
    public func attribute(scoring: any LeaveOneOutScoring, history: [HistoryEntry], items: [Int],
                          priority: () -> [Int: Double]) -> [[(item: Int, drop: Double)]] {
        let base = scoring.scores(of: items)
        var distinct: [Int] = []
        var order: [Int] = []
        var seen = Set<Int>()
        for e in history where seen.insert(e.item).inserted { distinct.append(e.item) }
        if distinct.count == 1 {
            // A single object explains everything the history does.
            return base.map { b in b.isFinite && b > 0 ? [(distinct[0], Double(b))] : [] }
        }
        seen.removeAll(keepingCapacity: true)
        for e in history.sorted(by: { ($0.time, $0.item) > ($1.time, $1.item) }) where seen.insert(e.item).inserted { order.append(e.item) }
        // A history-additive model says which objects carry each item's score: those are tried first.
        let terms = scoring.historyTerms(items: items)
        let lead = terms.map(Self.leadership) ?? [:]
        let priority = terms == nil && distinct.count > limit ? priority() : [:]
        // Sort keys looked up once per object (most recent first breaks the remaining ties).
        let keyed = order.enumerated().map { recency, object in
            (object: object, lead: lead[object] ?? 0, priority: priority[object] ?? 0, recency: recency)
        }
        order = keyed.sorted { a, b in
            if a.lead != b.lead { return a.lead > b.lead }
            return a.priority != b.priority ? a.priority > b.priority : a.recency < b.recency
        }.map(\.object)
        // Items whose score no object moves (no positive term) do not keep the search going.
        let open = terms.map { $0.map { !$0.isEmpty } } ?? Array(repeating: true, count: items.count)
        var out = [[(item: Int, drop: Double)]](repeating: [], count: items.count)
        for (n, liked) in order.enumerated() {
            // Past `limit`, go on only while some item has no positive attribution yet (at most `2 × limit`).
            if n >= limit && (n >= 2 * limit || out.indices.allSatisfy { !out[$0].isEmpty || !open[$0] }) { break }
            let without = scoring.scoresWithout(object: liked, items: items)
            for n in items.indices {
                let a = base[n], b = without[n]
                guard a.isFinite else { continue }
                let drop = b.isFinite ? Double(a) - Double(b) : Double.infinity
                if drop > 0 { out[n].append((liked, drop.isFinite ? drop : Double(abs(a)) + 1)) }
            }
        }
        return out.map { $0.sorted { $0.drop > $1.drop || ($0.drop == $1.drop && $0.item < $1.item) } }
    }

    /// How strongly each object leads the items' scores: one point per item whose largest term it has, plus its
    /// share of every item's terms (so the object that leads most items is tried first, then the runners-up).
    static func leadership(_ terms: [[HistoryTerm]]) -> [Int: Double] {
        var lead: [Int: Double] = [:]
        for row in terms {
            let total = row.reduce(0) { $0 + Double($1.value) }
            guard total > 0 else { continue }
            for (rank, t) in row.enumerated() { lead[t.object, default: 0] += (rank == 0 ? 1 : 0) + Double(t.value) / total }
        }
        return lead
    }
}

/// An ``CurioGraph/ExplainableScorer`` over any trained model, whose evidence is ``ScoreAttribution``'s
/// leave-one-out drops: used by `curio evaluate` to measure explanation fidelity for every model alike.
struct AttributionScorer: ExplainableScorer {
    let model: any Recommender
    let index: [ItemID: Int]
    let kind: EvidenceKind
    let attribution: ScoreAttribution

    init(model: any Recommender, kind: EvidenceKind, attribution: ScoreAttribution = ScoreAttribution()) {
        self.model = model
        var index: [ItemID: Int] = [:]
        for (i, id) in model.itemIDs.enumerated() { index[id] = i }
        self.index = index
        self.kind = kind
        self.attribution = attribution
    }

    func entries(_ history: [WeightedItem]) -> [HistoryEntry] {
        history.enumerated().compactMap { n, w in
            index[w.item].map { HistoryEntry(item: $0, weight: Float(w.weight), time: Double(n)) }
        }
    }

    func score(_ item: ItemID, history: [WeightedItem]) -> Double {
        guard let j = index[item] else { return 0 }
        let s = model.scores(forHistory: entries(history))[j]
        return s.isFinite ? Double(s) : -Double.greatestFiniteMagnitude
    }

    func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
        guard let j = index[item] else { return [] }
        let h = entries(history)
        let base = model.scores(forHistory: h)
        return attribution.attribute(model: model, history: h, base: base, items: [j])[0].map {
            Evidence(kind: kind, likedItem: model.itemIDs[$0.item], weight: $0.drop)
        }
    }
}
