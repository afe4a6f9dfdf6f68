import CurioCore
import Foundation

/// Turns raw visitor events into an ``InteractionMatrix`` (for training) or a fold-in history (for serving).
///
/// Steps, in order:
/// 1. **Validation** with ``CurioCore/Event/validationProblem(now:futureTolerance:)``: events in the future,
///    negative or absurd dwell, ratings outside 1…5, empty ids are rejected and counted by field, with samples.
/// 2. **Catalogue check**: events for items not in the catalogue are counted and sampled (never silently dropped).
/// 3. **Deduplication per session**: within one session (the event's `session`, or the visitor's UTC day when the
///    app sends none), repeated events of the same kind on the same item count once; dwell seconds in one session
///    are added up before log-scaling; for ratings the latest rating of the pair wins.
/// 4. **Weighting** with ``FeedbackWeights``, summed per (visitor, item), capped; non-positive totals become
///    negative feedback.
public struct InteractionBuilder: Sendable {
    public var weights: FeedbackWeights
    /// Reference time for rejecting future events.
    public var now: Date
    /// How far ahead of ``now`` an event may be (clock skew of visitor devices).
    public var futureTolerance: TimeInterval

    public init(weights: FeedbackWeights = FeedbackWeights(), now: Date = Date(), futureTolerance: TimeInterval = 300) {
        self.weights = weights
        self.now = now
        self.futureTolerance = futureTolerance
    }

    /// The aggregate of one (visitor, item) pair.
    struct PairAggregate {
        var weight: Float = 0
        var firstTime: Double = .infinity
        var rating: (value: Double, time: Double)?
        var dwellBySession: [String: Double] = [:]
    }

    private struct DedupKey: Hashable {
        var visitor: VisitorID
        var item: Int
        var kind: EventKind
        var session: String
    }

    private struct PairKey: Hashable {
        var visitor: VisitorID
        var item: Int
    }

    /// Builds the training matrix over `catalogue` (every id becomes a column, in order).
    ///
    /// - Throws: ``RecommendError/duplicateItem(_:)`` when the catalogue repeats an id,
    ///   ``RecommendError/badParameter(name:reason:)`` for invalid weights. Bad events are not errors: they are
    ///   counted in the matrix's ``InteractionMatrix/report``.
    public func build(events: some Sequence<Event>, catalogue: [ItemID]) throws(RecommendError) -> InteractionMatrix {
        try weights.validate()
        var itemIndex: [ItemID: Int] = [:]
        itemIndex.reserveCapacity(catalogue.count)
        for (i, id) in catalogue.enumerated() {
            if itemIndex.updateValue(i, forKey: id) != nil { throw .duplicateItem(id) }
        }
        var report = InteractionReport()
        let pairs = aggregate(events: events, itemIndex: itemIndex, report: &report)

        let visitors = Set(pairs.keys.map(\.visitor)).sorted()
        var rowOf: [VisitorID: Int] = [:]
        var interactions: [Interaction] = []
        var negatives: [Int: [Int]] = [:]
        var users: [VisitorID] = []
        // Rows only for visitors with at least one positive pair; negatives of others are kept by visitor id.
        let positiveVisitors = Set(pairs.filter { $0.value.weight > 0 }.keys.map(\.visitor))
        for v in visitors where positiveVisitors.contains(v) {
            rowOf[v] = users.count
            users.append(v)
        }
        for (key, agg) in pairs.sorted(by: { ($0.key.visitor, $0.key.item) < ($1.key.visitor, $1.key.item) }) {
            if agg.weight > 0 {
                guard let row = rowOf[key.visitor] else { continue }
                var w = agg.weight
                if w > weights.maximumWeight {
                    w = weights.maximumWeight
                    report.cappedPairs += 1
                }
                interactions.append(Interaction(user: row, item: key.item, weight: w, time: agg.firstTime))
            } else {
                report.negativePairs += 1
                if let row = rowOf[key.visitor] { negatives[row, default: []].append(key.item) }
            }
        }
        for key in negatives.keys { negatives[key]?.sort() }
        return try InteractionMatrix(userIDs: users, itemIDs: catalogue, interactions: interactions,
                                     negatives: negatives, report: report)
    }

    /// One visitor's current history for fold-in, built from their events with the same rules as training.
    ///
    /// - Parameters:
    ///   - events: the visitor's events (events of other visitors are treated as separate pairs and ignored).
    ///   - itemIndex: the model's catalogue index.
    /// - Returns: positive entries for scoring, the items to exclude (all items the visitor engaged with, positively
    ///   or not) and the report of what was ignored.
    public func history(events: some Sequence<Event>, itemIndex: [ItemID: Int]) -> VisitorHistory {
        var report = InteractionReport()
        let pairs = aggregate(events: events, itemIndex: itemIndex, report: &report)
        var entries: [HistoryEntry] = []
        var seen = Set<Int>()
        for (key, agg) in pairs.sorted(by: { $0.key.item < $1.key.item }) {
            seen.insert(key.item)
            if agg.weight > 0 {
                entries.append(HistoryEntry(item: key.item, weight: min(agg.weight, weights.maximumWeight), time: agg.firstTime))
            } else {
                report.negativePairs += 1
            }
        }
        entries.sort { ($0.time, $0.item) < ($1.time, $1.item) }
        return VisitorHistory(entries: entries, seen: seen, report: report)
    }

    private func aggregate(events: some Sequence<Event>, itemIndex: [ItemID: Int],
                           report: inout InteractionReport) -> [PairKey: PairAggregate] {
        var seenKeys = Set<DedupKey>()
        var pairs: [PairKey: PairAggregate] = [:]
        var unknownSamples = Set<String>()
        for event in events {
            report.eventsRead += 1
            if let problem = event.validationProblem(now: now, futureTolerance: futureTolerance) {
                report.rejectedByField[problem.field, default: 0] += 1
                if report.rejectedSamples.count < InteractionReport.sampleLimit {
                    report.rejectedSamples.append("\(event.visitor)/\(event.item): \(problem)")
                }
                continue
            }
            guard let item = itemIndex[event.item] else {
                report.unknownItemEvents += 1
                if unknownSamples.count < InteractionReport.sampleLimit, unknownSamples.insert(event.item.rawValue).inserted {
                    report.unknownItemSamples.append(event.item.rawValue)
                }
                continue
            }
            let time = event.timestamp.timeIntervalSince1970
            let session = event.session ?? "day:\(Int((time / 86_400).rounded(.down)))"
            let pairKey = PairKey(visitor: event.visitor, item: item)
            var agg = pairs[pairKey] ?? PairAggregate()
            agg.firstTime = min(agg.firstTime, time)
            switch event.kind {
            case .rate:
                guard let value = event.value else { continue }
                if let previous = agg.rating {
                    report.duplicatesMerged += 1
                    if time >= previous.time { agg.rating = (value, time) }
                } else {
                    agg.rating = (value, time)
                }
                report.eventsUsed += 1
            case .dwell:
                guard let seconds = event.value else { continue }
                if agg.dwellBySession[session] != nil { report.duplicatesMerged += 1 }
                agg.dwellBySession[session, default: 0] += seconds
                report.eventsUsed += 1
            default:
                let key = DedupKey(visitor: event.visitor, item: item, kind: event.kind, session: session)
                if !seenKeys.insert(key).inserted {
                    report.duplicatesMerged += 1
                    pairs[pairKey] = agg
                    continue
                }
                let w = weights.weight(of: event) ?? 0
                if w == 0 { report.zeroWeightEvents += 1 }
                agg.weight += w
                report.eventsUsed += 1
            }
            pairs[pairKey] = agg
        }
        // Fold ratings and dwell into the totals.
        for key in Array(pairs.keys) {
            guard var agg = pairs[key] else { continue }
            if let rating = agg.rating {
                agg.weight += weights.ratingScale * Float(rating.value - 3)
            }
            for (_, seconds) in agg.dwellBySession.sorted(by: { $0.key < $1.key }) {
                agg.weight += min(weights.dwellCap, weights.dwellScale * Float(log1p(seconds / weights.dwellUnitSeconds)))
            }
            pairs[key] = agg
        }
        return pairs
    }
}

/// A visitor's fold-in input: what they engaged with positively, everything they have seen, and what was ignored.
public struct VisitorHistory: Sendable, Hashable {
    /// Positive entries, oldest first.
    public var entries: [HistoryEntry]
    /// Every item the visitor engaged with (including skipped and disliked ones), to exclude from recommendations.
    public var seen: Set<Int>
    /// What happened to the events.
    public var report: InteractionReport
    public init(entries: [HistoryEntry], seen: Set<Int>, report: InteractionReport = InteractionReport()) {
        self.entries = entries
        self.seen = seen
        self.report = report
    }
}
