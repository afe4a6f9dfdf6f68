import CurioCore
import Foundation

/// A recommendation with the reason shown to visitors and curators.
public struct Recommendation: Sendable, Hashable, Codable {
    public var id: ItemID
    public var score: Float
    /// The object in the visitor's history that contributes most to this recommendation, when known.
    public var because: ItemID?
    public init(id: ItemID, score: Float, because: ItemID? = nil) {
        self.id = id
        self.score = score
        self.because = because
    }
}

/// The serving facade over one loaded model: events in, recommendations out, with fold-in and no retraining.
///
/// The server and the CLI hand it a visitor's current events (from the store) and get a list; new events change the
/// next list immediately because the history is rebuilt from the events on every call.
public struct RecommendationEngine: Sendable {
    public let model: any Recommender
    public let builder: InteractionBuilder
    let itemIndex: [ItemID: Int]

    public init(model: any Recommender, weights: FeedbackWeights = FeedbackWeights()) {
        self.model = model
        builder = InteractionBuilder(weights: weights)
        var index: [ItemID: Int] = [:]
        for (i, id) in model.itemIDs.enumerated() { index[id] = i }
        itemIndex = index
    }

    /// The visitor's fold-in history built from their events (events of unknown items are counted in its report).
    public func history(of events: [Event], now: Date = Date()) -> VisitorHistory {
        var b = builder
        b.now = now
        return b.history(events: events, itemIndex: itemIndex)
    }

    /// The best `k` objects for a visitor given their events.
    /// - Parameters:
    ///   - excludeSeen: leave out objects the visitor already engaged with (skipped and disliked ones are always left out).
    ///   - allowed: an optional filter on item ids (on display, in a room, by type…).
    ///   - explain: fill ``Recommendation/because`` (costs one extra scoring per recent history item, at most five).
    public func recommend(events: [Event], k: Int, excludeSeen: Bool = true, allowed: ((ItemID) -> Bool)? = nil,
                          explain: Bool = true, now: Date = Date()) -> [Recommendation] {
        let h = history(of: events, now: now)
        var excluded = Set<Int>()
        if excludeSeen {
            excluded = h.seen
        } else {
            let positive = Set(h.entries.map(\.item))
            excluded = h.seen.subtracting(positive)
        }
        let ids = model.itemIDs
        let filter: ((Int) -> Bool)? = allowed.map { f in { i in f(ids[i]) } }
        let list = model.recommend(history: h.entries, k: k, excluding: excluded, allowed: filter)
        guard explain, !h.entries.isEmpty else { return list.map { Recommendation(id: $0.id, score: $0.score) } }
        // Attribute each recommendation to the recent history item whose own scores rank it highest (relative to that
        // item's best score).
        let recent = Array(h.entries.suffix(5))
        let perItem = recent.map { entry -> (item: Int, scores: [Float], top: Float) in
            let scores = model.scores(forHistory: [entry])
            var top: Float = 0
            for (i, s) in scores.enumerated() where s.isFinite && s > top && !excluded.contains(i) { top = s }
            return (entry.item, scores, top)
        }
        return list.map { rec in
            var best: (item: Int, value: Float)?
            for p in perItem where p.top > 0 {
                let value = p.scores[rec.index] / p.top
                if value > 0, value > (best?.value ?? 0) { best = (p.item, value) }
            }
            return Recommendation(id: rec.id, score: rec.score, because: best.map { ids[$0.item] })
        }
    }

    /// The `k` objects most similar to one object.
    /// - Throws: ``RecommendError/unknownItem(_:)`` when the id is not in the model's catalogue.
    public func similar(to id: ItemID, k: Int) throws(RecommendError) -> [Recommendation] {
        guard let index = itemIndex[id] else { throw .unknownItem(id.rawValue) }
        return model.similarItems(to: index, k: k).map { Recommendation(id: $0.id, score: $0.score, because: id) }
    }
}
