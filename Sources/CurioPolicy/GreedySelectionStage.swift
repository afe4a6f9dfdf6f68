import CurioCore
import Foundation

/// Builds the list slot by slot, each time taking the candidate with the best marginal value under the
/// constraints. It combines, in one pass so that they interact correctly:
///
/// - **diversity** by maximal marginal relevance: value −= λ_div · max cosine similarity to items already chosen;
/// - **calibration** (Steck 2018): value −= λ_cal · KL(p‖q̃), where p is the visitor's distribution over an
///   attribute (from their history) and q̃ the list's distribution after adding the candidate, smoothed with α = 0.01;
/// - **a cap per maker** (hard constraint);
/// - **amortised exposure targets**: before each slot the controller compares each group's delivered exposure
///   (the ``ExposureLedger`` plus this list so far) with its target share. A group more than `tolerance` below
///   its minimum gets the slot (its best candidate); a group that would exceed its maximum by more than
///   `tolerance` is skipped while others remain. Because the ledger accumulates over requests, shares converge
///   to targets over a stream of requests while single lists stay mostly relevance-ordered.
public struct GreedySelectionStage: RerankStage {
    public var diversity: Double
    public var calibration: Policy.Calibration?
    public var maxPerMaker: Int?
    public var makerShare: Policy.MakerShare?
    public var exposure: Policy.ExposureTargets?
    public var name: String { "greedy_selection" }

    public init(diversity: Double, calibration: Policy.Calibration?, maxPerMaker: Int?, makerShare: Policy.MakerShare? = nil,
                exposure: Policy.ExposureTargets?) {
        self.diversity = diversity
        self.calibration = calibration
        self.maxPerMaker = maxPerMaker
        self.makerShare = makerShare
        self.exposure = exposure
    }

    static let calibrationSmoothing = 0.01

    public func apply(to list: inout WorkingList, context: RerankContext) {
        let catalogue = context.catalogue
        var remaining = list.entries
        var chosen: [WorkingList.Entry] = []
        // Makers as local integer ids and each candidate's makers and exposure groups looked up once, in arrays
        // parallel to `remaining` (per slot and candidate, no hashing of strings or indices).
        var makerCounts: [Int] = []
        var makerIDs: [String: Int] = [:]
        var makerNames: [String] = []
        // Calibration target distribution from history.
        var target: [String: Double] = [:]
        if let cal = calibration, cal.strength > 0 {
            for h in context.history {
                let vs = catalogue.values(of: cal.attribute, at: h)
                for v in vs { target[v, default: 0] += 1 / Double(vs.count) }
            }
            let total = target.values.reduce(0, +)
            if total > 0 { for key in target.keys { target[key]! /= total } }
        }
        var listDistribution: [String: Double] = [:]
        // Exposure state.
        var groupExposure = exposure.map { context.ledger.groupExposure($0.attribute) } ?? [:]
        var makersOf: [[Int]] = []
        var groupsOf: [[String]] = []
        makersOf.reserveCapacity(remaining.count)
        groupsOf.reserveCapacity(remaining.count)
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

        let bonus = exposure.map { exposurePrices($0, delivered: groupExposure, requests: context.ledger.requestCount) } ?? [:]
        let scoreRange = Self.scoreRange(remaining)
        // Maker ceiling: the delivered exposure of the candidates' makers (by local id) and of everything, and the
        // price each maker above the ceiling pays.
        var makerExposure = [Double](repeating: 0, count: makerNames.count)
        var makerPenalty = [Double](repeating: 0, count: makerNames.count)
        var allExposure = 0.0
        if let cap = makerShare {
            let delivered = context.ledger.groupExposure(.maker, values: Set(makerNames))
            for (id, m) in makerNames.enumerated() { makerExposure[id] = delivered[m] ?? 0 }
            allExposure = context.ledger.totalExposure
            let requests = context.ledger.requestCount
            if cap.pricing > 0, requests > 0, allExposure > 0 {
                let perList = allExposure / Double(requests)
                for id in makerExposure.indices where makerExposure[id] > cap.max * allExposure {
                    makerPenalty[id] = cap.pricing * (makerExposure[id] - cap.max * allExposure) / perList
                }
            }
        }
        // Each candidate's price shifts (group bonus, maker penalty) are fixed for the whole list: computed once here,
        // in an array parallel to `remaining`, not once per slot.
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

        let slots = min(context.k, remaining.count)
        for slot in 0..<slots {
            let w = ExposureLedger.weight(rank: slot + 1)
            var allowedGroup: String?
            var blockedGroups = Set<String>()
            if let e = exposure {
                let total = groupExposure.values.reduce(0, +)
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
            // Makers already more than `tolerance` above the ceiling sit out this slot while others remain.
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
                    let kl = klDivergence(target: target, list: listDistribution, adding: catalogue.values(of: cal.attribute, at: entry.index),
                                          count: chosen.count)
                    value = (1 - cal.strength) * value - cal.strength * kl
                }
                // The exposure price moves the group's works up where they are nearly as good as the model's picks.
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
            // A price changed the pick: say which. The maker ceiling when the candidate passed over paid a maker
            // penalty and the one picked gained no group bonus; otherwise the exposure target.
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
        // Unchosen candidates follow in their previous order, so later stages (pins) can still draw on them.
        list.entries = chosen + remaining
    }

    /// The exposure price of each target group (score bonus per unit of the list's score range): for a group below
    /// its minimum, `pricing × deficit / exposure of an average list`; above its maximum, minus the same for the
    /// surplus. Zero before the first recorded list and when pricing is off.
    func exposurePrices(_ e: Policy.ExposureTargets, delivered: [String: Double], requests: Int) -> [String: Double] {
        guard e.pricing > 0, requests > 0 else { return [:] }
        let total = delivered.values.reduce(0, +)
        let known = total - (delivered[GroupAttribute.unknownValue] ?? 0)
        let denominator = e.denominator == .all ? total : known
        let perList = denominator / Double(requests)
        guard perList > 0 else { return [:] }
        var prices: [String: Double] = [:]
        for (value, share) in e.targets {
            let have = delivered[value] ?? 0
            if let lo = share.min, lo * denominator > have { prices[value, default: 0] += e.pricing * (lo * denominator - have) / perList }
            if let hi = share.max, have > hi * denominator { prices[value, default: 0] -= e.pricing * (have - hi * denominator) / perList }
        }
        return prices
    }

    /// The unit exposure prices are counted in, as a multiple of the working scores' spread: a fraction of the
    /// model's top score when model scores are non-negative, else the spread itself.
    ///
    /// Working scores are rescaled to 0…1 per list, which hides how sure the model is: a list whose candidates all
    /// score within 10% of the top and a list with one clear favourite look alike. Pricing in fractions of the top
    /// model score keeps that difference, so a group's works enter the lists where the model is least sure of its
    /// own picks — where the exposure costs least relevance.
    static func scoreRange(_ entries: [WorkingList.Entry]) -> Double {
        var lo = Double.infinity, hi = -Double.infinity
        var modelLo = Float.infinity, modelHi = -Float.infinity
        for e in entries where e.score.isFinite && e.modelScore.isFinite {
            lo = min(lo, e.score)
            hi = max(hi, e.score)
            modelLo = min(modelLo, e.modelScore)
            modelHi = max(modelHi, e.modelScore)
        }
        let spread = hi > lo ? hi - lo : 1
        guard modelLo >= 0, modelHi > modelLo else { return spread }
        return spread * Double(modelHi) / Double(modelHi - modelLo)
    }

    /// KL(p ‖ q̃) after adding one item with `values` to a list of `count` items with distribution counts `list`.
    func klDivergence(target: [String: Double], list: [String: Double], adding values: [String], count: Int) -> Double {
        let n = Double(count + 1)
        var kl = 0.0
        let alpha = Self.calibrationSmoothing
        for (g, p) in target where p > 0 {
            var q = list[g] ?? 0
            if values.contains(g) { q += 1 / Double(values.count) }
            let qTilde = (1 - alpha) * (q / n) + alpha * p
            kl += p * log(p / qTilde)
        }
        return kl
    }
}

/// Puts pinned items and campaign guarantees into their slots, keeping everything else in order.
public struct PinStage: RerankStage {
    public struct Pin: Sendable {
        public var target: Policy.Target
        public var slot: Int
        public var kind: Adjustment.Kind
        public var label: String
        public var window: ClosedRange<Date>?
    }
    public var pins: [Pin]
    /// The filter in force, so a pin never brings back a banned or filtered item.
    public var filter: FilterStage
    public var name: String { "pin" }

    public init(pins: [Pin], filter: FilterStage) {
        self.pins = pins
        self.filter = filter
    }

    public func apply(to list: inout WorkingList, context: RerankContext) {
        let active = pins.filter { $0.window.map { $0.contains(context.now) } ?? true }.sorted { $0.slot < $1.slot }
        guard !active.isEmpty else { return }
        let catalogue = context.catalogue
        var placed: [(slot: Int, entry: WorkingList.Entry)] = []
        var used = Set<Int>()
        for pin in active where pin.slot <= context.k {
            // Choose the item: the pinned id, or the best candidate of the campaign's target.
            var chosen: WorkingList.Entry?
            if let existing = list.entries.first(where: { !used.contains($0.index) && pin.target.matches($0.index, id: catalogue.ids[$0.index], in: catalogue) }) {
                chosen = existing
            } else if case let .items(ids) = pin.target {
                for id in ids {
                    guard let index = catalogue.index[id], !used.contains(index), filter.allows(index, catalogue: catalogue) else { continue }
                    chosen = WorkingList.Entry(index: index, modelScore: 0, score: 0, adjustments: [])
                    break
                }
            }
            guard var entry = chosen, filter.allows(entry.index, catalogue: catalogue) else { continue }
            entry.adjustments.append(Adjustment(pin.kind, "\(pin.label) in slot \(pin.slot)"))
            used.insert(entry.index)
            placed.append((pin.slot, entry))
        }
        var rest = list.entries.filter { !used.contains($0.index) }
        var result: [WorkingList.Entry] = []
        for slot in 1...max(context.k, placed.map(\.slot).max() ?? 0) {
            if let p = placed.first(where: { $0.slot == slot }) {
                result.append(p.entry)
            } else if !rest.isEmpty {
                result.append(rest.removeFirst())
            }
        }
        list.entries = result + rest
    }
}
