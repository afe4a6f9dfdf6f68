import CurioCore
import Foundation

/// The list a policy is working on: candidates with scores, and what has been decided so far.
public struct WorkingList: Sendable {
    /// A candidate in the working list.
    public struct Entry: Sendable {
        public var index: Int
        public var modelScore: Float
        public var score: Double
        public var adjustments: [Adjustment]
    }
    /// Remaining candidates, best first after each stage.
    public var entries: [Entry]
    /// Catalogue indices the stages must never return (banned, filtered).
    public var excluded: Set<Int>
    public var filtered = 0
    public init(entries: [Entry], excluded: Set<Int> = []) {
        self.entries = entries
        self.excluded = excluded
    }
}

/// Everything a stage may consult.
public struct RerankContext: Sendable {
    public var catalogue: PolicyCatalogue
    public var ledger: ExposureLedger
    public var k: Int
    /// Catalogue indices of the visitor's own items.
    public var history: [Int]
    public var now: Date
}

/// One composable step of re-ranking. Stages run in order; each may filter, rescore or reorder.
public protocol RerankStage: Sendable {
    /// A short name for logs and audits.
    var name: String { get }
    func apply(to list: inout WorkingList, context: RerankContext)
}

/// Removes banned items and groups, and items failing a licence requirement.
public struct FilterStage: RerankStage {
    public var bans: [Policy.Target]
    public var requireOpenLicence: Bool
    public var name: String { "filter" }
    public init(bans: [Policy.Target], requireOpenLicence: Bool) {
        self.bans = bans
        self.requireOpenLicence = requireOpenLicence
    }

    /// Whether the item may be shown at all under this stage.
    public func allows(_ index: Int, catalogue: PolicyCatalogue) -> Bool {
        let id = catalogue.ids[index]
        if bans.contains(where: { $0.matches(index, id: id, in: catalogue) }) { return false }
        if requireOpenLicence, !catalogue.isMember(index, of: GroupKey(attribute: .licence, value: "open")) { return false }
        return true
    }

    public func apply(to list: inout WorkingList, context: RerankContext) {
        guard !bans.isEmpty || requireOpenLicence else { return }
        let before = list.entries.count
        list.entries.removeAll { !allows($0.index, catalogue: context.catalogue) }
        list.filtered += before - list.entries.count
    }
}

/// Counters popularity bias: subtracts `strength ×` the item's log-popularity (scaled to 0…1) from its normalised score.
public struct PopularityCorrectionStage: RerankStage {
    public var strength: Double
    public var name: String { "popularity_correction" }
    public init(strength: Double) { self.strength = strength }

    public func apply(to list: inout WorkingList, context: RerankContext) {
        guard strength > 0 else { return }
        let maxPop = context.catalogue.maxPopularity
        guard maxPop > 0 else { return }
        let scale = log1p(maxPop)
        for i in list.entries.indices {
            let p = log1p(context.catalogue.popularity[list.entries[i].index]) / scale
            guard p > 0 else { continue }
            list.entries[i].score -= strength * p
            list.entries[i].adjustments.append(Adjustment(.popularityCorrection, String(format: "-%.3f for popularity", strength * p)))
        }
        list.entries.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }
}

/// Multiplies scores of matching items: curator boosts/demotions and campaigns active at request time.
public struct BoostStage: RerankStage {
    public struct Boost: Sendable {
        public var target: Policy.Target
        public var factor: Double
        public var kind: Adjustment.Kind
        public var label: String
        public var window: ClosedRange<Date>?
    }
    public var boosts: [Boost]
    public var name: String { "boost" }
    public init(boosts: [Boost]) { self.boosts = boosts }

    public func apply(to list: inout WorkingList, context: RerankContext) {
        guard !boosts.isEmpty else { return }
        for i in list.entries.indices {
            let index = list.entries[i].index
            let id = context.catalogue.ids[index]
            for b in boosts where b.window.map({ $0.contains(context.now) }) ?? true {
                guard b.target.matches(index, id: id, in: context.catalogue) else { continue }
                // Scores may be negative after popularity correction; scale the distance from the floor.
                let s = list.entries[i].score
                list.entries[i].score = s >= 0 ? s * b.factor : s / b.factor
                list.entries[i].adjustments.append(Adjustment(b.kind, "\(b.label) ×\(b.factor)"))
            }
        }
        list.entries.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }
}
