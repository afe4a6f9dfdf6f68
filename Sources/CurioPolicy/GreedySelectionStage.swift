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
        let remaining = list.entries
        let n = remaining.count
        // Everything below works on integers: candidates by their position `p` in `remaining` (with a flag for those
        // still available, so the order of the rest is kept), values by their interned ids, makers by local ids.
        var alive = [Bool](repeating: true, count: n)

        // Makers of each candidate as local ids (first appearance order), compressed rows.
        let useMakers = maxPerMaker != nil || makerShare != nil
        var makerStart = [Int](repeating: 0, count: useMakers ? n + 1 : 0)
        var makerOf: [Int] = []
        var makerValues: [Int32] = []  // local id → catalogue value id
        if useMakers {
            let table = catalogue.table(for: .maker)
            let ids = table.ids
            let unknownMaker = table.unknown
            var local: [Int32: Int] = [:]
            local.reserveCapacity(n)
            makerOf.reserveCapacity(n)
            for (p, entry) in remaining.enumerated() {
                for q in table.range(at: entry.index) {
                    let v = ids[q]
                    if v == unknownMaker { continue }
                    if let id = local[v] { makerOf.append(id) } else {
                        local[v] = makerValues.count
                        makerOf.append(makerValues.count)
                        makerValues.append(v)
                    }
                }
                makerStart[p + 1] = makerOf.count
            }
        }
        var makerCounts = [Int](repeating: 0, count: makerValues.count)

        // Calibration: the visitor's distribution over the attribute's values (ascending ids = name order), and for
        // each candidate which of those values it has.
        var calP: [Double] = []
        var calQ: [Double] = []
        var calStart: [Int] = []
        var calOf: [Int] = []
        var calCount: [Int] = []
        if let cal = calibration {
            let table = catalogue.table(for: cal.attribute)
            if cal.strength > 0, !context.history.isEmpty {
                var dense = [Double](repeating: 0, count: table.count)
                var seen = [Bool](repeating: false, count: table.count)
                for h in context.history {
                    let r = table.range(at: h)
                    for q in r {
                        dense[Int(table.ids[q])] += 1 / Double(r.count)
                        seen[Int(table.ids[q])] = true
                    }
                }
                var slotOf = [Int32](repeating: -1, count: table.count)
                var total = 0.0
                var values: [Int] = []
                for v in 0..<table.count where seen[v] {
                    total += dense[v]
                    slotOf[v] = Int32(values.count)
                    values.append(v)
                }
                calP = values.map { dense[$0] }
                if total > 0 { for t in calP.indices { calP[t] /= total } }
                calQ = [Double](repeating: 0, count: calP.count)
                calStart = [Int](repeating: 0, count: n + 1)
                calCount = [Int](repeating: 1, count: n)
                for (p, entry) in remaining.enumerated() {
                    let r = table.range(at: entry.index)
                    calCount[p] = r.count
                    for q in r where slotOf[Int(table.ids[q])] >= 0 { calOf.append(Int(slotOf[Int(table.ids[q])])) }
                    calStart[p + 1] = calOf.count
                }
            }
        }

        // Exposure targets: each target value (in name order) with its catalogue id, the candidates' value ids and
        // the group exposure delivered so far, by ledger slot, with the catalogue id → slot map.
        let groupTable = exposure.map { catalogue.table(for: $0.attribute) }
        let targets: [(name: String, share: Policy.ExposureTargets.Share, id: Int32?)] =
            exposure.map { e in e.targets.sorted { $0.key < $1.key }.map { ($0.key, $0.value, groupTable?.id(of: $0.key)) } } ?? []
        var groupExposure: [Double] = []
        var groupSlots: [Int] = []
        var targetSlots: [Int?] = []
        var unknownSlot: Int?
        var makerExposure = [Double](repeating: 0, count: makerValues.count)
        var allExposure = 0.0
        var requests = 0
        let makerTable = makerShare != nil ? catalogue.table(for: .maker) : nil
        context.ledger.withState { s in
            requests = s.requests
            allExposure = s.total
            if let e = exposure, let table = groupTable {
                let a = s.totals(e.attribute, bound: table)
                groupExposure = s.groups[a].exposure
                groupSlots = s.groups[a].slots
                targetSlots = targets.map { s.groups[a].lookup[$0.name] }
                unknownSlot = s.groups[a].lookup[GroupAttribute.unknownValue]
            }
            if let table = makerTable {
                let a = s.totals(.maker, bound: table)
                for (id, v) in makerValues.enumerated() { makerExposure[id] = s.groups[a].exposure[s.groups[a].slots[Int(v)]] }
            }
        }
        // Each candidate's value ids of the exposure attribute (compressed rows), and the alive candidates per target
        // value (a group can only be given the slot while it has candidates).
        var groupStart = [Int](repeating: 0, count: groupTable == nil ? 0 : n + 1)
        var groupOf: [Int32] = []
        var targetCandidates = [Int](repeating: 0, count: targets.count)
        if let table = groupTable {
            let ids = table.ids
            groupOf.reserveCapacity(n)
            for (p, entry) in remaining.enumerated() {
                for q in table.range(at: entry.index) {
                    let v = ids[q]
                    groupOf.append(v)
                    for t in targets.indices where targets[t].id == v { targetCandidates[t] += 1 }
                }
                groupStart[p + 1] = groupOf.count
            }
        }
        func groupTotal() -> Double {
            var total = 0.0
            for e in groupExposure { total += e }
            return total
        }

        // Prices (group bonus, maker penalty): fixed for the whole list, one value per candidate.
        let scoreRange = Self.scoreRange(remaining)
        var bonusByValue = [Double](repeating: 0, count: groupTable?.count ?? 0)
        var priced = false
        if let e = exposure, e.pricing > 0, requests > 0 {
            let total = groupTotal()
            let known = total - (unknownSlot.map { groupExposure[$0] } ?? 0)
            let denominator = e.denominator == .all ? total : known
            let perList = denominator / Double(requests)
            if perList > 0 {
                for (t, target) in targets.enumerated() {
                    let have = targetSlots[t].map { groupExposure[$0] } ?? 0
                    var price = 0.0
                    var set = false
                    if let lo = target.share.min, lo * denominator > have {
                        price += e.pricing * (lo * denominator - have) / perList
                        set = true
                    }
                    if let hi = target.share.max, have > hi * denominator {
                        price -= e.pricing * (have - hi * denominator) / perList
                        set = true
                    }
                    if set {
                        priced = true
                        if let id = target.id { bonusByValue[Int(id)] = price }
                    }
                }
            }
        }
        var makerPenalty = [Double](repeating: 0, count: makerValues.count)
        if let cap = makerShare, cap.pricing > 0, requests > 0, allExposure > 0 {
            let perList = allExposure / Double(requests)
            for id in makerExposure.indices where makerExposure[id] > cap.max * allExposure {
                makerPenalty[id] = cap.pricing * (makerExposure[id] - cap.max * allExposure) / perList
            }
        }
        var bonus: [Double] = []
        var penalty: [Double] = []
        let shifted = priced || makerPenalty.contains(where: { $0 > 0 })
        if shifted {
            bonus = [Double](repeating: 0, count: n)
            penalty = [Double](repeating: 0, count: n)
            for p in 0..<n {
                if groupTable != nil {
                    let r = groupStart[p]..<groupStart[p + 1]
                    var price = 0.0
                    for q in r { price += bonusByValue[Int(groupOf[q])] }
                    bonus[p] = scoreRange * price / Double(r.count)
                }
                if useMakers, makerStart[p + 1] > makerStart[p] {
                    var sum = 0.0
                    for q in makerStart[p]..<makerStart[p + 1] { sum += makerPenalty[makerOf[q]] }
                    penalty[p] = scoreRange * sum / Double(makerStart[p + 1] - makerStart[p])
                }
            }
        }

        var maxSimilarity = [Float](repeating: 0, count: diversity > 0 ? n : 0)
        var chosen: [WorkingList.Entry] = []
        var overCeiling = [Bool](repeating: false, count: makerValues.count)
        var blocked: [Int32] = []
        // Plain values for the candidate loop (no optional structs copied per candidate).
        let perMakerCap = maxPerMaker ?? Int.max
        let calibrationStrength = calibration?.strength ?? 0
        let calibrating = calibrationStrength > 0 && !calP.isEmpty
        let slots = min(context.k, n)
        for slot in 0..<slots {
            let w = ExposureLedger.weight(rank: slot + 1)
            var allowed: Int32?
            var allowedName = ""
            blocked.removeAll(keepingCapacity: true)
            if let e = exposure {
                let total = groupTotal()
                let known = total - (unknownSlot.map { groupExposure[$0] } ?? 0)
                let denominator = (e.denominator == .all ? total : known) + w
                var worst = 0.0
                for (t, target) in targets.enumerated() {
                    let have = targetSlots[t].map { groupExposure[$0] } ?? 0
                    if let lo = target.share.min {
                        let deficit = lo * denominator - have
                        if deficit > e.tolerance * denominator, deficit / max(lo, 1e-9) > worst, targetCandidates[t] > 0,
                           let id = target.id {
                            worst = deficit / max(lo, 1e-9)
                            allowed = id
                            allowedName = target.name
                        }
                    }
                    if let hi = target.share.max, have + w > (hi + e.tolerance) * denominator, let id = target.id {
                        blocked.append(id)
                    }
                }
            }
            // Candidates all of whose groups are above a maximum sit out while some other candidate remains.
            func fullyBlocked(_ p: Int) -> Bool {
                for q in groupStart[p]..<groupStart[p + 1] where !blocked.contains(groupOf[q]) { return false }
                return true
            }
            var skipBlocked = false
            if allowed == nil, !blocked.isEmpty {
                for p in 0..<n where alive[p] && !fullyBlocked(p) {
                    skipBlocked = true
                    break
                }
            }
            // Makers already more than `tolerance` above the ceiling sit out this slot while others remain.
            var ceiling = false
            if let cap = makerShare {
                var any = false
                for id in makerValues.indices {
                    overCeiling[id] = makerExposure[id] + w > (cap.max + cap.tolerance) * (allExposure + w)
                    any = any || overCeiling[id]
                }
                if any {
                    for p in 0..<n where alive[p] {
                        var over = false
                        for q in makerStart[p]..<makerStart[p + 1] where overCeiling[makerOf[q]] { over = true; break }
                        if !over { ceiling = true; break }
                    }
                }
            }
            var bestPosition = -1
            var bestValue = -Double.infinity
            var bestPlain = -Double.infinity, pickedPlain = -Double.infinity, bestPlainPosition = -1
            var firstAlive = -1
            candidates: for p in 0..<n where alive[p] {
                if firstAlive < 0 { firstAlive = p }
                if useMakers {
                    for q in makerStart[p]..<makerStart[p + 1] {
                        if makerCounts[makerOf[q]] >= perMakerCap { continue candidates }
                        if ceiling, overCeiling[makerOf[q]] { continue candidates }
                    }
                }
                if let id = allowed, !groupOf[groupStart[p]..<groupStart[p + 1]].contains(id) { continue }
                if skipBlocked, fullyBlocked(p) { continue }
                var value = remaining[p].score
                if diversity > 0, !chosen.isEmpty {
                    value = (1 - diversity) * value - diversity * Double(maxSimilarity[p])
                }
                if calibrating {
                    let kl = klDivergence(p: calP, q: calQ, adding: calOf[calStart[p]..<calStart[p + 1]], count: calCount[p],
                                          listCount: chosen.count)
                    value = (1 - calibrationStrength) * value - calibrationStrength * kl
                }
                // The exposure price moves the group's works up where they are nearly as good as the model's picks.
                let plain = value
                if shifted {
                    value += bonus[p]
                    value -= penalty[p]
                }
                if plain > bestPlain {
                    bestPlain = plain
                    bestPlainPosition = p
                }
                if value > bestValue {
                    bestValue = value
                    bestPosition = p
                    pickedPlain = plain
                }
            }
            guard bestPosition >= 0 else { break }
            var reason: Adjustment?
            if let e = exposure, allowed != nil {
                reason = Adjustment(.fairness, "\(e.attribute.name)=\(allowedName) below its exposure target")
            } else if pickedPlain < bestPlain, shifted {
                // A price changed the pick: say which. The maker ceiling when the candidate passed over paid a maker
                // penalty and the one picked gained no group bonus; otherwise the exposure target.
                if penalty[bestPlainPosition] > 0, bonus[bestPosition] <= 0 {
                    reason = Adjustment(.makerCap, "a maker above the exposure ceiling made room")
                } else if let e = exposure {
                    reason = Adjustment(.fairness, "\(e.attribute.name) below its exposure target")
                }
            }
            alive[bestPosition] = false
            var picked = remaining[bestPosition]
            let pickedIndex = picked.index
            if let r = reason { picked.adjustments.append(r) }
            if diversity > 0, bestPosition != firstAlive, reason == nil {
                picked.adjustments.append(Adjustment(.diversity, "moved up for variety"))
            }
            chosen.append(picked)
            if useMakers {
                let r = makerStart[bestPosition]..<makerStart[bestPosition + 1]
                for q in r { makerCounts[makerOf[q]] += 1 }
                if makerShare != nil {
                    for q in r { makerExposure[makerOf[q]] += w / Double(r.count) }
                    allExposure += w
                }
            }
            if !calP.isEmpty {
                for q in calStart[bestPosition]..<calStart[bestPosition + 1] { calQ[calOf[q]] += 1 / Double(calCount[bestPosition]) }
            }
            if groupTable != nil {
                let r = groupStart[bestPosition]..<groupStart[bestPosition + 1]
                for q in r {
                    let v = groupOf[q]
                    groupExposure[groupSlots[Int(v)]] += w / Double(r.count)
                    for t in targets.indices where targets[t].id == v { targetCandidates[t] -= 1 }
                }
            }
            if diversity > 0, slot + 1 < slots {
                for p in 0..<n where alive[p] {
                    maxSimilarity[p] = max(maxSimilarity[p], catalogue.similarity(remaining[p].index, pickedIndex))
                }
            }
        }
        // Unchosen candidates follow in their previous order, so later stages (pins) can still draw on them.
        var result = chosen
        result.reserveCapacity(n)
        for p in 0..<n where alive[p] { result.append(remaining[p]) }
        list.entries = result
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

    /// KL(p ‖ q̃) after adding one item to a list of `listCount` items: `p` the visitor's distribution over the values
    /// they have (ascending ids), `q` the list's counts of the same values, `adding` the positions in `p` of the new
    /// item's values (ascending) and `count` how many values it has in all.
    func klDivergence(p: [Double], q: [Double], adding: ArraySlice<Int>, count: Int, listCount: Int) -> Double {
        let n = Double(listCount + 1)
        var kl = 0.0
        let alpha = Self.calibrationSmoothing
        var next = adding.startIndex
        for t in p.indices {
            var qt = q[t]
            if next < adding.endIndex, adding[next] == t {
                qt += 1 / Double(count)
                next += 1
            }
            let pt = p[t]
            guard pt > 0 else { continue }
            let qTilde = (1 - alpha) * (qt / n) + alpha * pt
            kl += pt * log(pt / qTilde)
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
        // (No slots at all for k = 0: `1...0` would trap.)
        for slot in stride(from: 1, through: max(context.k, placed.map(\.slot).max() ?? 0), by: 1) {
            if let p = placed.first(where: { $0.slot == slot }) {
                result.append(p.entry)
            } else if !rest.isEmpty {
                result.append(rest.removeFirst())
            }
        }
        list.entries = result + rest
    }
}
