import CurioCore
import Foundation

/// Applies a ``Policy`` to a model's candidates: filters, score adjustments, greedy selection
/// (diversity, calibration, maker cap, exposure targets) and pins, in that order.
///
/// The guarantees, tested for every input: banned items and items failing a licence filter never appear;
/// a pinned item that is allowed always appears in its slot (when the slot is within `k`); the result has
/// no duplicates and at most `k` items. Typical cost is O(k · candidates) per request.
public struct PolicyEngine: Sendable {
    public let catalogue: PolicyCatalogue
    public let ledger: ExposureLedger

    public init(catalogue: PolicyCatalogue, ledger: ExposureLedger = ExposureLedger()) {
        self.catalogue = catalogue
        self.ledger = ledger
    }

    /// The stages a policy compiles to, in the order they run.
    public static func stages(for policy: Policy) -> [any RerankStage] {
        var bans: [Policy.Target] = []
        var boosts: [BoostStage.Boost] = []
        var pins: [PinStage.Pin] = []
        var open = false
        for rule in policy.rules {
            switch rule {
            case let .ban(t): bans.append(t)
            case let .boost(t, f):
                boosts.append(.init(target: t, factor: f, kind: .boosted, label: "curator boost", window: nil))
            case let .pin(item, slot):
                pins.append(.init(target: .items([item]), slot: slot, kind: .pinned, label: "curator pin", window: nil))
            case .requireOpenLicence: open = true
            case let .campaign(name, from, to, target, factor, slot):
                boosts.append(.init(target: target, factor: factor, kind: .campaign, label: name, window: from...to))
                if let slot {
                    pins.append(.init(target: target, slot: slot, kind: .campaign, label: name, window: from...to))
                }
            }
        }
        let filter = FilterStage(bans: bans, requireOpenLicence: open)
        return [
            filter,
            PopularityCorrectionStage(strength: policy.popularityCorrection),
            BoostStage(boosts: boosts),
            GreedySelectionStage(diversity: policy.diversity, calibration: policy.calibration,
                                 maxPerMaker: policy.maxPerMaker, makerShare: policy.makerShare, exposure: policy.exposure),
            PinStage(pins: pins, filter: filter),
        ]
    }

    /// Re-ranks `request.candidates` under `policy` and (unless told otherwise) records the served list's exposure.
    public func apply(_ policy: Policy, to request: RerankRequest) -> RerankResult {
        rerank(policy, candidates: request.candidates.map { (catalogue.index[$0.id] ?? -1, $0.score) }, k: request.k,
               history: request.history.compactMap { catalogue.index[$0] }, now: request.now, recordExposure: request.recordExposure)
    }

    /// Re-ranks candidates given by catalogue index (as the serving path has them: no item ids to look up) — the same
    /// result as `apply(_:to:)` with a ``RerankRequest`` of the items' ids. Indices outside the catalogue count as unknown.
    public func apply(_ policy: Policy, to request: IndexedRerankRequest) -> RerankResult {
        let count = catalogue.count
        return rerank(policy, candidates: request.candidates.map { ($0.index >= 0 && $0.index < count ? $0.index : -1, $0.score) },
                      k: request.k, history: request.history.filter { $0 >= 0 && $0 < count }, now: request.now,
                      recordExposure: request.recordExposure)
    }

    /// The re-ranking itself; a candidate index of -1 is an unknown item.
    private func rerank(_ policy: Policy, candidates: [(index: Int, score: Float)], k: Int, history: [Int], now: Date,
                        recordExposure: Bool) -> RerankResult {
        var unknown = 0
        // Duplicates: the first occurrence counts. One bit per catalogue item (cheaper than hashing 200 indices).
        var seen = [UInt64](repeating: 0, count: (catalogue.count + 63) / 64)
        var lo = Float.infinity, hi = -Float.infinity
        for c in candidates where c.score.isFinite {
            lo = min(lo, c.score)
            hi = max(hi, c.score)
        }
        // Sorted as plain values (score, index, position), then turned into entries.
        var keys: [(score: Double, index: Int, position: Int)] = []
        keys.reserveCapacity(candidates.count)
        for (position, c) in candidates.enumerated() {
            guard c.index >= 0 else { unknown += 1; continue }
            let bit: UInt64 = 1 << UInt64(c.index & 63)
            guard seen[c.index >> 6] & bit == 0 else { continue }
            seen[c.index >> 6] |= bit
            let s = c.score.isFinite ? c.score : lo
            keys.append((hi > lo ? Double((s - lo) / (hi - lo)) : 1, c.index, position))
        }
        keys.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        let entries = keys.map {
            WorkingList.Entry(index: $0.index, modelScore: candidates[$0.position].score, score: $0.score, adjustments: [])
        }
        var list = WorkingList(entries: entries)
        let context = RerankContext(catalogue: catalogue, ledger: ledger, k: max(0, k), history: history, now: now)
        for stage in Self.stages(for: policy) { stage.apply(to: &list, context: context) }
        let served = list.entries.prefix(max(0, k))
        let indices = served.map(\.index)
        if recordExposure {
            var attributes: [GroupAttribute] = [.makerGender, .maker]
            if let a = policy.exposure?.attribute, !attributes.contains(a) { attributes.append(a) }
            ledger.record(indices, catalogue: catalogue, attributes: attributes)
        }
        let items = served.map {
            RankedItem(id: catalogue.ids[$0.index], modelScore: $0.modelScore, score: Float($0.score), adjustments: $0.adjustments)
        }
        return RerankResult(items: items, filtered: list.filtered, unknown: unknown, indices: indices)
    }
}
