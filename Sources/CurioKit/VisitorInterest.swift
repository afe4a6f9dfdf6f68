import CurioCore
import CurioVisits
import Foundation

/// A visitor's interest in works on display, from their events: works like the ones they viewed, liked or rated
/// highly (catalogue similarity: same maker, movements, subjects and their broader terms, period), away from the
/// ones they disliked or skipped, with a light popularity prior.
enum VisitorInterest {
    /// Event weight: how much an event says the visitor liked the work (negative: disliked).
    static func weight(_ e: Event) -> Double {
        switch e.kind {
        case .like: 2
        case .rate: ((e.value ?? 3) - 3) / 1.0
        case .dwell: min(2, (e.value ?? 0) / 60)
        case .view, .scan: 0.5
        case .share: 1.5
        case .dislike: -2
        case .skip: -0.5
        case .beaconEnter, .beaconLeave: 0
        }
    }

    /// Scores in 0…1 for `candidates`; works the visitor already saw keep half their score.
    static func scores(events: [Event], candidates: [ItemID], catalog: VisitCatalog,
                       popularity: [ItemID: Double], maxHistory: Int = 40) -> [ItemID: Double] {
        var byItem: [ItemID: Double] = [:]
        for e in events { byItem[e.item, default: 0] += weight(e) }
        // The most recent distinct works with a clear signal.
        var ordered: [ItemID] = []
        var seen = Set<ItemID>()
        for e in events.sorted(by: { $0.timestamp > $1.timestamp }) where seen.insert(e.item).inserted {
            if let w = byItem[e.item], w != 0 { ordered.append(e.item) }
            if ordered.count >= maxHistory { break }
        }
        let history = ordered.filter { catalog.item($0) != nil }
        let maxPop = popularity.values.max() ?? 0
        let all = history + candidates
        let n = all.count, h = history.count
        let sim = h == 0 ? [] : MetadataSimilarity(catalog: catalog).similarities(all)
        var raw: [ItemID: Double] = [:]
        for (c, id) in candidates.enumerated() {
            let j = h + c
            var positive = 0.0, negative = 0.0
            for i in 0..<h {
                let s = Double(sim[i * n + j])
                let w = byItem[history[i]] ?? 0
                if w > 0 { positive += w * s } else { negative += -w * s }
            }
            let pop = maxPop > 0 ? log1p(popularity[id] ?? 0) / log1p(maxPop) : 0
            var score = positive - negative + 0.1 * pop
            if byItem[id] != nil { score *= 0.5 }
            raw[id] = score
        }
        let top = raw.values.max() ?? 0
        guard top > 0 else { return raw.mapValues { _ in 0.01 } }
        return raw.mapValues { max(0.01, $0 / top) }
    }
}
