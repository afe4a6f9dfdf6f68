import CurioCore
import Foundation
@testable import CurioPolicy

/// The string-keyed policy engine as it was before value interning (commit f565513), kept in the test target as the
/// reference the fast engine must match exactly: same items, order, scores, adjustments and ledger.
///
/// The one deliberate difference from that code: where it summed over a dictionary (hash order, which varies from
/// process to process in the last bits), this sums in the order of the values' names, as the engine now does.
final class ReferenceLedger {
    var requests = 0
    var groups: [GroupAttribute: [String: Double]] = [:]
    var items: [Int: Double] = [:]
    var total = 0.0

    func record(_ indices: [Int], catalogue: PolicyCatalogue, attributes: [GroupAttribute]) {
        requests += 1
        for (r, index) in indices.enumerated() {
            let w = ExposureLedger.weight(rank: r + 1)
            total += w
            items[index, default: 0] += w
            for a in attributes {
                let values = catalogue.values(of: a, at: index)
                let share = w / Double(values.count)
                for v in values { groups[a, default: [:]][v, default: 0] += share }
            }
        }
    }
}

/// Sum of a dictionary's values in the order of its keys.
private func sortedSum(_ d: [String: Double]) -> Double {
    d.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value }
}

struct ReferencePolicyEngine {
    let catalogue: PolicyCatalogue
    let ledger = ReferenceLedger()

    struct Entry {
        var index: Int
        var modelScore: Float
        var score: Double
        var adjustments: [Adjustment]
    }

    private func matches(_ target: Policy.Target, _ index: Int) -> Bool {
        switch target {
        case let .items(ids): ids.contains(catalogue.ids[index])
        case let .group(g): catalogue.values(of: g.attribute, at: index).contains(g.value)
        }
    }

    private func allows(_ index: Int, bans: [Policy.Target], open: Bool) -> Bool {
        if bans.contains(where: { matches($0, index) }) { return false }
        if open, !catalogue.values(of: .licence, at: index).contains("open") { return false }
        return true
    }

    private static func sort(_ entries: inout [Entry]) {
        entries.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }

    func apply(_ policy: Policy, to request: RerankRequest) -> RerankResult {
        var unknown = 0
        var seen = Set<Int>()
        var entries: [Entry] = []
        var lo = Float.infinity, hi = -Float.infinity
        for c in request.candidates where c.score.isFinite {
            lo = min(lo, c.score)
            hi = max(hi, c.score)
        }
        for c in request.candidates {
            guard let index = catalogue.index[c.id] else { unknown += 1; continue }
            guard seen.insert(index).inserted else { continue }
            let s = c.score.isFinite ? c.score : lo
            let normalised = hi > lo ? Double((s - lo) / (hi - lo)) : 1
            entries.append(.init(index: index, modelScore: c.score, score: normalised, adjustments: []))
        }
        Self.sort(&entries)
        let k = max(0, request.k)
        let history = request.history.compactMap { catalogue.index[$0] }

        // Compile the rules.
        var bans: [Policy.Target] = []
        var boosts: [(target: Policy.Target, factor: Double, kind: Adjustment.Kind, label: String, window: ClosedRange<Date>?)] = []
        var pins: [(target: Policy.Target, slot: Int, kind: Adjustment.Kind, label: String, window: ClosedRange<Date>?)] = []
        var open = false
        for rule in policy.rules {
            switch rule {
            case let .ban(t): bans.append(t)
            case let .boost(t, f): boosts.append((t, f, .boosted, "curator boost", nil))
            case let .pin(item, slot): pins.append((.items([item]), slot, .pinned, "curator pin", nil))
            case .requireOpenLicence: open = true
            case let .campaign(name, from, to, target, factor, slot):
                boosts.append((target, factor, .campaign, name, from...to))
                if let slot { pins.append((target, slot, .campaign, name, from...to)) }
            }
        }
        // Filter.
        var filtered = 0
        let before = entries.count
        entries.removeAll { !allows($0.index, bans: bans, open: open) }
        filtered += before - entries.count
        // Popularity correction.
        if policy.popularityCorrection > 0, let maxPop = catalogue.popularity.max(), maxPop > 0 {
            let scale = log1p(maxPop)
            for i in entries.indices {
                let p = log1p(catalogue.popularity[entries[i].index]) / scale
                guard p > 0 else { continue }
                entries[i].score -= policy.popularityCorrection * p
                entries[i].adjustments.append(Adjustment(.popularityCorrection,
                                                         String(format: "-%.3f for popularity", policy.popularityCorrection * p)))
            }
            Self.sort(&entries)
        }
        // Boosts.
        if !boosts.isEmpty {
            for i in entries.indices {
                for b in boosts where b.window.map({ $0.contains(request.now) }) ?? true {
                    guard matches(b.target, entries[i].index) else { continue }
                    let s = entries[i].score
                    entries[i].score = s >= 0 ? s * b.factor : s / b.factor
                    entries[i].adjustments.append(Adjustment(b.kind, "\(b.label) ×\(b.factor)"))
                }
            }
            Self.sort(&entries)
        }
        entries = greedy(policy, entries, k: k, history: history)
        // Pins.
        let active = pins.filter { $0.window.map { $0.contains(request.now) } ?? true }.sorted { $0.slot < $1.slot }
        if !active.isEmpty {
            var placed: [(slot: Int, entry: Entry)] = []
            var used = Set<Int>()
            for pin in active where pin.slot <= k {
                var chosen: Entry?
                if let existing = entries.first(where: { !used.contains($0.index) && matches(pin.target, $0.index) }) {
                    chosen = existing
                } else if case let .items(ids) = pin.target {
                    for id in ids {
                        guard let index = catalogue.index[id], !used.contains(index), allows(index, bans: bans, open: open) else { continue }
                        chosen = Entry(index: index, modelScore: 0, score: 0, adjustments: [])
                        break
                    }
                }
                guard var entry = chosen, allows(entry.index, bans: bans, open: open) else { continue }
                entry.adjustments.append(Adjustment(pin.kind, "\(pin.label) in slot \(pin.slot)"))
                used.insert(entry.index)
                placed.append((pin.slot, entry))
            }
            var rest = entries.filter { !used.contains($0.index) }
            var result: [Entry] = []
            for slot in stride(from: 1, through: max(k, placed.map(\.slot).max() ?? 0), by: 1) {
                if let p = placed.first(where: { $0.slot == slot }) {
                    result.append(p.entry)
                } else if !rest.isEmpty {
                    result.append(rest.removeFirst())
                }
            }
            entries = result + rest
        }
        let served = Array(entries.prefix(k))
        if request.recordExposure {
            var attributes: [GroupAttribute] = [.makerGender, .maker]
            if let a = policy.exposure?.attribute, !attributes.contains(a) { attributes.append(a) }
            ledger.record(served.map(\.index), catalogue: catalogue, attributes: attributes)
        }
        let items = served.map {
            RankedItem(id: catalogue.ids[$0.index], modelScore: $0.modelScore, score: Float($0.score), adjustments: $0.adjustments)
        }
        return RerankResult(items: items, filtered: filtered, unknown: unknown)
    }

    private func greedy(_ policy: Policy, _ entries: [Entry], k: Int, history: [Int]) -> [Entry] {
        let diversity = policy.diversity, calibration = policy.calibration, maxPerMaker = policy.maxPerMaker
        let makerShare = policy.makerShare, exposure = policy.exposure
        var remaining = entries
        var chosen: [Entry] = []
        var makerCounts: [Int] = []
        var makerIDs: [String: Int] = [:]
        var makerNames: [String] = []
        var target: [String: Double] = [:]
        if let cal = calibration, cal.strength > 0 {
            for h in history {
                let vs = catalogue.values(of: cal.attribute, at: h)
                for v in vs { target[v, default: 0] += 1 / Double(vs.count) }
            }
            let total = sortedSum(target)
            if total > 0 { for key in target.keys { target[key]! /= total } }
        }
        var listDistribution: [String: Double] = [:]
        var groupExposure = exposure.map { ledger.groups[$0.attribute] ?? [:] } ?? [:]
        var makersOf: [[Int]] = []
        var groupsOf: [[String]] = []
        for entry in remaining {
            var ids: [Int] = []
            if maxPerMaker != nil || makerShare != nil {
                for m in catalogue.values(of: .maker, at: entry.index) where m != GroupAttribute.unknownValue {
                    if let id = makerIDs[m] { ids.append(id) } else {
                        makerIDs[m] = makerCounts.count
                        ids.append(makerCounts.count)
                        makerCounts.append(0)
                        makerNames.append(m)
                    }
                }
            }
            makersOf.append(ids)
            groupsOf.append(exposure.map { catalogue.values(of: $0.attribute, at: entry.index) } ?? [])
        }
        var bonus: [String: Double] = [:]
        if let e = exposure, e.pricing > 0, ledger.requests > 0 {
            let total = sortedSum(groupExposure)
            let known = total - (groupExposure[GroupAttribute.unknownValue] ?? 0)
            let denominator = e.denominator == .all ? total : known
            let perList = denominator / Double(ledger.requests)
            if perList > 0 {
                for (value, share) in e.targets {
                    let have = groupExposure[value] ?? 0
                    if let lo = share.min, lo * denominator > have { bonus[value, default: 0] += e.pricing * (lo * denominator - have) / perList }
                    if let hi = share.max, have > hi * denominator { bonus[value, default: 0] -= e.pricing * (have - hi * denominator) / perList }
                }
            }
        }
        let scoreRange: Double = {
            var lo = Double.infinity, hi = -Double.infinity
            var modelLo = Float.infinity, modelHi = -Float.infinity
            for e in remaining where e.score.isFinite && e.modelScore.isFinite {
                lo = min(lo, e.score)
                hi = max(hi, e.score)
                modelLo = min(modelLo, e.modelScore)
                modelHi = max(modelHi, e.modelScore)
            }
            let spread = hi > lo ? hi - lo : 1
            guard modelLo >= 0, modelHi > modelLo else { return spread }
            return spread * Double(modelHi) / Double(modelHi - modelLo)
        }()
        var makerExposure = [Double](repeating: 0, count: makerNames.count)
        var makerPenalty = [Double](repeating: 0, count: makerNames.count)
        var allExposure = 0.0
        if let cap = makerShare {
            let delivered = ledger.groups[.maker] ?? [:]
            for (id, m) in makerNames.enumerated() { makerExposure[id] = delivered[m] ?? 0 }
            allExposure = ledger.total
            let requests = ledger.requests
            if cap.pricing > 0, requests > 0, allExposure > 0 {
                let perList = allExposure / Double(requests)
                for id in makerExposure.indices where makerExposure[id] > cap.max * allExposure {
                    makerPenalty[id] = cap.pricing * (makerExposure[id] - cap.max * allExposure) / perList
                }
            }
        }
        var shifts: [(bonus: Double, penalty: Double)] = []
        if !bonus.isEmpty || makerPenalty.contains(where: { $0 > 0 }) {
            shifts = (0..<remaining.count).map { position in
                var shift = (bonus: 0.0, penalty: 0.0)
                if case let values = groupsOf[position], !values.isEmpty {
                    var price = 0.0
                    for v in values { price += bonus[v] ?? 0 }
                    shift.bonus = scoreRange * price / Double(values.count)
                }
                if case let makers = makersOf[position], !makers.isEmpty {
                    var penalty = 0.0
                    for m in makers { penalty += makerPenalty[m] }
                    shift.penalty = scoreRange * penalty / Double(makers.count)
                }
                return shift
            }
        }
        let slots = min(k, remaining.count)
        for slot in 0..<slots {
            let w = ExposureLedger.weight(rank: slot + 1)
            var allowedGroup: String?
            var blockedGroups = Set<String>()
            if let e = exposure {
                let total = sortedSum(groupExposure)
                let known = total - (groupExposure[GroupAttribute.unknownValue] ?? 0)
                let denominator = (e.denominator == .all ? total : known) + w
                var worst = 0.0
                for (value, share) in e.targets.sorted(by: { $0.key < $1.key }) {
                    let have = groupExposure[value] ?? 0
                    if let lo = share.min {
                        let deficit = lo * denominator - have
                        if deficit > e.tolerance * denominator, deficit / max(lo, 1e-9) > worst,
                           groupsOf.contains(where: { $0.contains(value) }) {
                            worst = deficit / max(lo, 1e-9)
                            allowedGroup = value
                        }
                    }
                    if let hi = share.max, have + w > (hi + e.tolerance) * denominator {
                        blockedGroups.insert(value)
                    }
                }
            }
            var bestPosition = -1
            var bestValue = -Double.infinity
            var bestReason: Adjustment?
            var bestPlain = -Double.infinity, pickedPlain = -Double.infinity, bestPlainPosition = -1
            var overCeiling: [Bool] = []
            if let cap = makerShare {
                overCeiling = makerExposure.map { $0 + w > (cap.max + cap.tolerance) * (allExposure + w) }
                if !overCeiling.contains(true) || !makersOf.contains(where: { !$0.contains { overCeiling[$0] } }) { overCeiling = [] }
            }
            for (position, entry) in remaining.enumerated() {
                if let cap = maxPerMaker, makersOf[position].contains(where: { makerCounts[$0] >= cap }) { continue }
                if !overCeiling.isEmpty, makersOf[position].contains(where: { overCeiling[$0] }) { continue }
                var reason: Adjustment?
                if let e = exposure {
                    let values = groupsOf[position]
                    if let g = allowedGroup, !values.contains(g) { continue }
                    if allowedGroup == nil, !blockedGroups.isEmpty, values.allSatisfy({ blockedGroups.contains($0) }),
                       groupsOf.contains(where: { !$0.allSatisfy { blockedGroups.contains($0) } }) {
                        continue
                    }
                    if let g = allowedGroup { reason = Adjustment(.fairness, "\(e.attribute.name)=\(g) below its exposure target") }
                }
                var value = entry.score
                if diversity > 0, !chosen.isEmpty {
                    var maxSim: Float = 0
                    for c in chosen { maxSim = max(maxSim, catalogue.similarity(entry.index, c.index)) }
                    value = (1 - diversity) * value - diversity * Double(maxSim)
                }
                if let cal = calibration, cal.strength > 0, !target.isEmpty {
                    let adding = catalogue.values(of: cal.attribute, at: entry.index)
                    let n = Double(chosen.count + 1)
                    var kl = 0.0
                    let alpha = GreedySelectionStage.calibrationSmoothing
                    for (g, p) in target.sorted(by: { $0.key < $1.key }) where p > 0 {
                        var q = listDistribution[g] ?? 0
                        if adding.contains(g) { q += 1 / Double(adding.count) }
                        let qTilde = (1 - alpha) * (q / n) + alpha * p
                        kl += p * log(p / qTilde)
                    }
                    value = (1 - cal.strength) * value - cal.strength * kl
                }
                let plain = value
                if !shifts.isEmpty {
                    value += shifts[position].bonus
                    value -= shifts[position].penalty
                }
                if plain > bestPlain {
                    bestPlain = plain
                    bestPlainPosition = position
                }
                if value > bestValue {
                    bestValue = value
                    bestPosition = position
                    bestReason = reason
                    pickedPlain = plain
                }
            }
            guard bestPosition >= 0 else { break }
            if bestReason == nil, pickedPlain < bestPlain, !shifts.isEmpty {
                if shifts[bestPlainPosition].penalty > 0, shifts[bestPosition].bonus <= 0 {
                    bestReason = Adjustment(.makerCap, "a maker above the exposure ceiling made room")
                } else if let e = exposure {
                    bestReason = Adjustment(.fairness, "\(e.attribute.name) below its exposure target")
                }
            }
            var picked = remaining.remove(at: bestPosition)
            let pickedMakers = makersOf.remove(at: bestPosition)
            groupsOf.remove(at: bestPosition)
            if !shifts.isEmpty { shifts.remove(at: bestPosition) }
            if let r = bestReason { picked.adjustments.append(r) }
            if diversity > 0, bestPosition > 0, bestReason == nil {
                picked.adjustments.append(Adjustment(.diversity, "moved up for variety"))
            }
            chosen.append(picked)
            for m in pickedMakers { makerCounts[m] += 1 }
            if makerShare != nil {
                for m in pickedMakers { makerExposure[m] += w / Double(pickedMakers.count) }
                allExposure += w
            }
            if let cal = calibration {
                let vs = catalogue.values(of: cal.attribute, at: picked.index)
                for v in vs { listDistribution[v, default: 0] += 1 / Double(vs.count) }
            }
            if let e = exposure {
                let vs = catalogue.values(of: e.attribute, at: picked.index)
                for v in vs { groupExposure[v, default: 0] += w / Double(vs.count) }
            }
        }
        return chosen + remaining
    }
}
