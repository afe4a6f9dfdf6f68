import CurioMath

/// Greedy insertion plus local search (2-opt, relocate, swap with unchosen items, removal, ejection) and
/// perturbation restarts over a ``TourInstance``. Every sequence it keeps is feasible.
///
/// Inner loops read the instance through ``TourTables`` pointers and score moves incrementally; full feasibility
/// (O(tour length)) is only checked for moves that would improve the tour.
struct TourSearch {
    let inst: TourInstance
    private let t: TourTables
    var rng: SeededRandom
    /// Gain plus the per-candidate stability bonus (replanning keeps planned stops unless clearly better).
    private let score0: UnsafeMutableBufferPointer<Double>
    private let bonusOwner: TourBuffer
    private var scratch: [Int]
    private let n: Int
    private let maxStops: Int
    private let variety: Double

    init(instance: TourInstance, seed: UInt64, keep: Set<Int> = [], keepBonus: Double = 0) {
        inst = instance
        t = instance.tables
        rng = SeededRandom(seed: seed)
        n = instance.count
        scratch = [Int](repeating: 0, count: instance.makerCount)
        bonusOwner = TourBuffer((0..<instance.count).map { instance.gain[$0] + (keep.contains($0) ? keepBonus : 0) })
        score0 = bonusOwner.values
        maxStops = instance.request.maxStops ?? Int.max
        variety = instance.request.weights.variety
    }

    /// Objective used by the search: utility plus stability bonuses.
    mutating func score(_ seq: [Int]) -> Double {
        t.utility(seq, gain: score0, variety: variety, scratch: &scratch)
    }

    @inline(__always)
    private func isFeasible(_ seq: [Int]) -> Bool { t.finish(seq) >= 0 }

    /// Number of makers of `c` already used (count ≥ `atLeast`) in `use`.
    @inline(__always)
    private func sharedMakers(_ c: Int, _ use: [Int], atLeast: Int) -> Int {
        var k = 0
        for j in t.makerOffset[c]..<t.makerOffset[c + 1] where use[t.makerList[j]] >= atLeast { k += 1 }
        return k
    }

    @inline(__always)
    private func addMakers(_ c: Int, _ use: inout [Int], _ delta: Int) {
        for j in t.makerOffset[c]..<t.makerOffset[c + 1] { use[t.makerList[j]] += delta }
    }

    // MARK: Construction

    /// Best insertion of candidate `c` into `seq` by utility gain per added second, among positions whose added
    /// time fits the slack: (ratio, position, added seconds), position -1 when none.
    @inline(__always)
    private func bestInsertion(_ c: Int, _ seq: [Int], makerUse: [Int], total: Double,
                               positions: ClosedRange<Int>? = nil) -> (ratio: Double, p: Int, dt: Double) {
        let pair = t.pair, room = t.room
        let len = seq.count
        let dv = score0[c] - variety * Double(sharedMakers(c, makerUse, atLeast: 1))
        let rc = room[c]
        var best = -Double.infinity, bestP = -1, bestDt = 0.0
        for p in positions ?? 0...len {
            let prev = p > 0 ? seq[p - 1] : -1
            let prevRoom = prev >= 0 ? room[prev] : t.startRoom
            var dt = t.leg(prevRoom, rc) + t.view[c]
            var du = dv
            if prev >= 0 { du += pair[prev * n + c] }
            if p < len {
                let next = seq[p]
                let nr = room[next]
                dt += t.leg(rc, nr) - t.leg(prevRoom, nr)
                du += pair[c * n + next]
                if prev >= 0 { du -= pair[prev * n + next] }
            } else if t.endRoom >= 0 {
                dt += t.leg(rc, t.endRoom) - (len == 0 && prevRoom == t.endRoom ? 0 : t.leg(prevRoom, t.endRoom))
            }
            guard du > 1e-12, total + dt <= t.horizon + 1e-9 else { continue }
            let ratio = du / max(dt, 1)
            if ratio > best { best = ratio; bestP = p; bestDt = dt }
        }
        return (best, bestP, bestDt)
    }

    /// Inserts candidates one at a time by best (utility gain / added time), checking full feasibility, until
    /// nothing more fits. `noise` randomises the ratios (0 = deterministic greedy).
    ///
    /// Each candidate's best insertion is cached and only re-evaluated where the last insertion changed something
    /// (its edge was split, a maker it shares was added, or the slack no longer covers it): O(n) per insertion
    /// instead of O(n · length).
    mutating func greedyFill(_ seq: inout [Int], noise: Double = 0) {
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        var makerUse = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { addMakers(c, &makerUse, 1) }
        var total = t.finish(seq)
        guard total >= 0 else { return }
        var cache = [(ratio: Double, p: Int, dt: Double)](repeating: (-Double.infinity, -1, 0), count: n)
        for c in 0..<n where !inTour[c] { cache[c] = bestInsertion(c, seq, makerUse: makerUse, total: total) }
        var options: [(ratio: Double, c: Int)] = []
        options.reserveCapacity(n)
        while seq.count < maxStops {
            options.removeAll(keepingCapacity: true)
            for c in 0..<n where !inTour[c] && cache[c].p >= 0 {
                var r = cache[c].ratio
                if noise > 0 { r *= 1 + noise * (2 * rng.nextDouble() - 1) }
                options.append((r, c))
            }
            if options.isEmpty { return }
            // Usually the best option is feasible: try it before sorting the rest.
            var bestIndex = 0
            for k in 1..<options.count where options[k].ratio > options[bestIndex].ratio
                || (options[k].ratio == options[bestIndex].ratio && options[k].c < options[bestIndex].c) {
                bestIndex = k
            }
            var order = [options[bestIndex]]
            var sorted = false
            var insertedAt = -1, inserted = -1
            var k = 0
            while true {
                if k == order.count {
                    if sorted { break }
                    options.remove(at: bestIndex)
                    options.sort { $0.ratio > $1.ratio || ($0.ratio == $1.ratio && $0.c < $1.c) }
                    order = options
                    sorted = true
                    k = 0
                    if order.isEmpty { break }
                }
                let c = order[k].c, p = cache[c].p
                seq.insert(c, at: p)
                let f = t.finish(seq)
                if f >= 0 {
                    total = f
                    inserted = c
                    insertedAt = p
                    break
                }
                seq.remove(at: p)
                k += 1
            }
            guard inserted >= 0 else { return }
            inTour[inserted] = true
            addMakers(inserted, &makerUse, 1)
            // Update the cache: positions after the insertion shift by one; the split edge and shared makers
            // need a fresh look; the two new edges are new options.
            for c in 0..<n where !inTour[c] {
                var entry = cache[c]
                let stale = entry.p < 0 || entry.p == insertedAt || total + entry.dt > t.horizon + 1e-9
                    || sharesMaker(c, inserted)
                if stale {
                    cache[c] = bestInsertion(c, seq, makerUse: makerUse, total: total)
                    continue
                }
                if entry.p > insertedAt { entry.p += 1 }
                let fresh = bestInsertion(c, seq, makerUse: makerUse, total: total, positions: insertedAt...(insertedAt + 1))
                if fresh.p >= 0, fresh.ratio > entry.ratio || (fresh.ratio == entry.ratio && fresh.p < entry.p) {
                    entry = fresh
                }
                cache[c] = entry
            }
        }
    }

    /// Whether candidates `a` and `b` share a maker.
    @inline(__always)
    private func sharesMaker(_ a: Int, _ b: Int) -> Bool {
        guard variety > 0 else { return false }
        for i in t.makerOffset[a]..<t.makerOffset[a + 1] {
            for j in t.makerOffset[b]..<t.makerOffset[b + 1] where t.makerList[i] == t.makerList[j] { return true }
        }
        return false
    }

    /// Utility lost by removing the stop at `i` (O(1) given maker counts `use` of the whole sequence).
    @inline(__always)
    private func removalLoss(_ seq: [Int], _ i: Int, _ use: [Int]) -> Double {
        let c = seq[i]
        let prev = i > 0 ? seq[i - 1] : -1, next = i + 1 < seq.count ? seq[i + 1] : -1
        var loss = score0[c] - variety * Double(sharedMakers(c, use, atLeast: 2))
        if prev >= 0 { loss += t.pair[prev * n + c] }
        if next >= 0 { loss += t.pair[c * n + next] }
        if prev >= 0, next >= 0 { loss -= t.pair[prev * n + next] }
        return loss
    }

    /// Walking and viewing seconds saved by removing the stop at `i` (ignoring waits).
    @inline(__always)
    private func removalSaving(_ seq: [Int], _ i: Int) -> Double {
        let prevRoom = i == 0 ? t.startRoom : t.room[seq[i - 1]]
        let nextRoom = i + 1 < seq.count ? t.room[seq[i + 1]] : (t.endRoom >= 0 ? t.endRoom : -1)
        let r = t.room[seq[i]]
        var saved = t.leg(prevRoom, r) + t.view[seq[i]]
        if nextRoom >= 0 { saved += t.leg(r, nextRoom) - t.leg(prevRoom, nextRoom) }
        return saved
    }

    /// Removes stops until the sequence is feasible, each time dropping the stop whose removal loses the least
    /// utility per second saved. `protected` is never removed (unless it is all that is left).
    mutating func repair(_ seq: inout [Int], protecting protected: Int = -1) {
        guard !seq.isEmpty, !isFeasible(seq) else { return }
        var use = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { addMakers(c, &use, 1) }
        while !seq.isEmpty, !isFeasible(seq) {
            var bestIndex = -1, bestLoss = Double.infinity
            for i in seq.indices where seq[i] != protected || seq.count == 1 {
                let loss = removalLoss(seq, i, use) / max(removalSaving(seq, i), 1)
                if loss < bestLoss { bestLoss = loss; bestIndex = i }
            }
            let removed = seq.remove(at: max(bestIndex, 0))
            addMakers(removed, &use, -1)
        }
    }

    // MARK: Local search

    /// Applies improving moves until none is left (or a pass limit is hit). Keeps feasibility.
    mutating func localSearch(_ seq: inout [Int], maxPasses: Int = 30) {
        var current = score(seq)
        for _ in 0..<maxPasses {
            var improved = false
            if variety > 0, removeWorthless(&seq, current: &current) { improved = true }
            if twoOpt(&seq, current: &current) { improved = true }
            if relocate(&seq, current: &current) { improved = true }
            if swapOut(&seq, current: &current) { improved = true }
            // Make room for a valuable item that does not fit yet (only once the cheaper moves are exhausted).
            if !improved, ejectionMove(&seq, current: &current) { improved = true }
            if !improved, pairEjectionMove(&seq, current: &current) { improved = true }
            // Fill any time freed by the moves above.
            let before = seq.count
            greedyFill(&seq)
            if seq.count > before {
                current = score(seq)
                improved = true
            }
            if !improved { break }
        }
    }

    /// Removal: only the variety penalty can make a stop worth less than nothing.
    private mutating func removeWorthless(_ seq: inout [Int], current: inout Double) -> Bool {
        var improved = false
        var use = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { addMakers(c, &use, 1) }
        var i = 0
        while i < seq.count {
            let loss = removalLoss(seq, i, use)
            if loss < -1e-9 {
                let c = seq.remove(at: i)
                if isFeasible(seq) {
                    addMakers(c, &use, -1)
                    current -= loss
                    improved = true
                    continue
                }
                seq.insert(c, at: i)
            }
            i += 1
        }
        return improved
    }

    /// 2-opt: reverse a segment. Utility and walking-time changes are accumulated in O(1) per segment end.
    private mutating func twoOpt(_ seq: inout [Int], current: inout Double) -> Bool {
        guard seq.count >= 2 else { return false }
        let pair = t.pair, room = t.room
        var improved = false
        var i = 0
        while i < seq.count - 1 {
            var inner = 0.0, innerTime = 0.0
            let prevRoom = i > 0 ? room[seq[i - 1]] : t.startRoom
            var accepted = false
            for j in (i + 1)..<seq.count {
                let a = seq[j - 1], b = seq[j]
                inner += pair[b * n + a] - pair[a * n + b]
                innerTime += t.leg(room[b], room[a]) - t.leg(room[a], room[b])
                var du = inner, dt = innerTime
                let first = seq[i], last = seq[j]
                if i > 0 { du += pair[seq[i - 1] * n + last] - pair[seq[i - 1] * n + first] }
                dt += t.leg(prevRoom, room[last]) - t.leg(prevRoom, room[first])
                if j + 1 < seq.count {
                    let next = seq[j + 1]
                    du += pair[first * n + next] - pair[last * n + next]
                    dt += t.leg(room[first], room[next]) - t.leg(room[last], room[next])
                } else if t.endRoom >= 0 {
                    dt += t.leg(room[first], t.endRoom) - t.leg(room[last], t.endRoom)
                }
                // Better utility, or equal utility and a shorter walk (frees time for more stops).
                guard du > 1e-9 || (du > -1e-12 && dt < -1e-6) else { continue }
                seq[i...j].reverse()
                guard isFeasible(seq) else {
                    seq[i...j].reverse()
                    continue
                }
                current += du
                if du > 1e-9 { improved = true }
                accepted = true
                break
            }
            if !accepted { i += 1 }
        }
        current = score(seq)
        return improved
    }

    /// Relocate one stop to another position (utility change in O(1)).
    private mutating func relocate(_ seq: inout [Int], current: inout Double) -> Bool {
        guard seq.count >= 3 else { return false }
        let pair = t.pair
        var improved = false
        var i = 0
        while i < seq.count {
            let c = seq[i]
            let prev = i > 0 ? seq[i - 1] : -1, next = i + 1 < seq.count ? seq[i + 1] : -1
            var removal = 0.0
            if prev >= 0 { removal -= pair[prev * n + c] }
            if next >= 0 { removal -= pair[c * n + next] }
            if prev >= 0, next >= 0 { removal += pair[prev * n + next] }
            var moved = false
            // Insert between positions j-1 and j of the sequence without c.
            for j in 0..<seq.count where j != i {
                // Neighbours in the reduced sequence: indices shift after i.
                let a = j == 0 ? -1 : seq[j - 1 < i ? j - 1 : j]
                let b = j < i ? seq[j] : (j + 1 < seq.count ? seq[j + 1] : -1)
                var du = removal
                if a >= 0 { du += pair[a * n + c] }
                if b >= 0 { du += pair[c * n + b] }
                if a >= 0, b >= 0 { du -= pair[a * n + b] }
                guard du > 1e-9 else { continue }
                var candidate = seq
                candidate.remove(at: i)
                candidate.insert(c, at: j)
                guard isFeasible(candidate) else { continue }
                seq = candidate
                current += du
                improved = true
                moved = true
                break
            }
            if !moved { i += 1 }
        }
        current = score(seq)
        return improved
    }

    /// Swap a stop for an item not in the tour, at the same position; the best feasible swap per position.
    private mutating func swapOut(_ seq: inout [Int], current: inout Double) -> Bool {
        let pair = t.pair
        var improved = false
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        var makerUse = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { addMakers(c, &makerUse, 1) }
        var options: [(gain: Double, c: Int)] = []
        for i in 0..<seq.count {
            let old = seq[i]
            let prev = i > 0 ? seq[i - 1] : -1, next = i + 1 < seq.count ? seq[i + 1] : -1
            var base = -score0[old]
            if prev >= 0 { base -= pair[prev * n + old] }
            if next >= 0 { base -= pair[old * n + next] }
            base += variety * Double(sharedMakers(old, makerUse, atLeast: 2))
            addMakers(old, &makerUse, -1)
            options.removeAll(keepingCapacity: true)
            for c in 0..<n where !inTour[c] {
                var d = base + score0[c]
                if prev >= 0 { d += pair[prev * n + c] }
                if next >= 0 { d += pair[c * n + next] }
                d -= variety * Double(sharedMakers(c, makerUse, atLeast: 1))
                if d > 1e-9 { options.append((d, c)) }
            }
            options.sort { $0.gain > $1.gain || ($0.gain == $1.gain && $0.c < $1.c) }
            var chosen = old
            for o in options {
                seq[i] = o.c
                if isFeasible(seq) {
                    chosen = o.c
                    current += o.gain
                    improved = true
                    break
                }
            }
            seq[i] = chosen
            inTour[old] = chosen == old
            inTour[chosen] = true
            addMakers(chosen, &makerUse, 1)
        }
        current = score(seq)
        return improved
    }

    /// Ejection move: force a valuable item that is not in the tour in at its cheapest position, then drop the
    /// stops that make room for it most cheaply; keep the result when it beats the current tour. Escapes the
    /// classic greedy trap of many small nearby stops crowding out one far, important one.
    mutating func ejectionMove(_ seq: inout [Int], current: inout Double, candidates limit: Int = 20) -> Bool {
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        let minGain = seq.map { score0[$0] }.min() ?? 0
        var pool = (0..<n).filter { !inTour[$0] && score0[$0] > minGain }
        pool.sort { (score0[$0], -$0) > (score0[$1], -$1) }
        var improved = false
        var tried = 0
        for c in pool.prefix(limit) where !inTour[c] {
            let rc = t.room[c]
            var bestP = 0, bestDt = Double.infinity
            for p in 0...seq.count {
                let prevRoom = p == 0 ? t.startRoom : t.room[seq[p - 1]]
                let nextRoom = p < seq.count ? t.room[seq[p]] : (t.endRoom >= 0 ? t.endRoom : rc)
                let closing = p < seq.count || t.endRoom >= 0
                let dt = t.leg(prevRoom, rc) + t.leg(rc, nextRoom) - (closing ? t.leg(prevRoom, nextRoom) : 0)
                if dt < bestDt { bestDt = dt; bestP = p }
            }
            var candidate = seq
            candidate.insert(c, at: bestP)
            repair(&candidate, protecting: c)
            trimToMaxStops(&candidate, keeping: [c])
            guard candidate.contains(c), candidate.count <= maxStops, isFeasible(candidate) else { continue }
            var s = score(candidate)
            if s <= current + 1e-9, tried < 3 {
                // Refilling the freed time is costly; only worth trying for the few most valuable items.
                greedyFill(&candidate)
                s = score(candidate)
            }
            tried += 1
            if s > current + 1e-9 {
                seq = candidate
                current = s
                improved = true
                for k in 0..<n { inTour[k] = false }
                for k in seq { inTour[k] = true }
            }
        }
        return improved
    }

    /// Pair ejection: like ``ejectionMove(_:current:candidates:)`` but forces in two valuable left-out items that
    /// hang close together (same or neighbouring rooms), which a single insertion cannot pay for on its own.
    mutating func pairEjectionMove(_ seq: inout [Int], current: inout Double, candidates limit: Int = 8) -> Bool {
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        let pool = (0..<n).filter { !inTour[$0] }.sorted { (score0[$0], -$0) > (score0[$1], -$1) }
            .prefix(n <= 40 ? limit : limit / 2)
        var improved = false
        var filled = 0
        for (x, a) in pool.enumerated() {
            for b in pool.dropFirst(x + 1) where !inTour[a] && !inTour[b] {
                guard t.leg(t.room[a], t.room[b]) <= 120 else { continue }
                // Insert a at its cheapest position and b right after it.
                var bestP = 0, bestDt = Double.infinity
                for p in 0...seq.count {
                    let prevRoom = p == 0 ? t.startRoom : t.room[seq[p - 1]]
                    let nextRoom = p < seq.count ? t.room[seq[p]] : (t.endRoom >= 0 ? t.endRoom : t.room[b])
                    let dt = t.leg(prevRoom, t.room[a]) + t.leg(t.room[b], nextRoom)
                    if dt < bestDt { bestDt = dt; bestP = p }
                }
                var candidate = seq
                candidate.insert(contentsOf: [a, b], at: bestP)
                repairKeeping(&candidate, a, b)
                trimToMaxStops(&candidate, keeping: [a, b])
                guard candidate.contains(a), candidate.contains(b), candidate.count <= maxStops, isFeasible(candidate) else { continue }
                var s = score(candidate)
                if s <= current + 1e-9, filled < 2 {
                    // Refilling is the costly part; only for the first pairs that fit.
                    greedyFill(&candidate)
                    s = score(candidate)
                    filled += 1
                }
                if s > current + 1e-9 {
                    seq = candidate
                    current = s
                    improved = true
                    for k in 0..<n { inTour[k] = false }
                    for k in seq { inTour[k] = true }
                }
            }
        }
        return improved
    }

    /// Drops the cheapest stops (never those in `keep`) until the tour has at most ``maxStops``.
    private mutating func trimToMaxStops(_ seq: inout [Int], keeping keep: [Int]) {
        guard seq.count > maxStops else { return }
        var use = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { addMakers(c, &use, 1) }
        while seq.count > maxStops {
            var bestIndex = -1, bestLoss = Double.infinity
            for i in seq.indices where !keep.contains(seq[i]) {
                let loss = removalLoss(seq, i, use)
                if loss < bestLoss { bestLoss = loss; bestIndex = i }
            }
            guard bestIndex >= 0 else { return }
            addMakers(seq.remove(at: bestIndex), &use, -1)
        }
    }

    /// ``repair(_:protecting:)`` that keeps two items (drops them only when nothing else is left to drop).
    private mutating func repairKeeping(_ seq: inout [Int], _ a: Int, _ b: Int) {
        guard !isFeasible(seq) else { return }
        var use = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { addMakers(c, &use, 1) }
        while !seq.isEmpty, !isFeasible(seq) {
            var bestIndex = -1, bestLoss = Double.infinity
            for i in seq.indices where seq[i] != a && seq[i] != b {
                let loss = removalLoss(seq, i, use) / max(removalSaving(seq, i), 1)
                if loss < bestLoss { bestLoss = loss; bestIndex = i }
            }
            guard bestIndex >= 0 else { return }
            addMakers(seq.remove(at: bestIndex), &use, -1)
        }
    }

    // MARK: Driver

    /// Plans from `initial` (repaired if infeasible): greedy fill, local search, then perturbation restarts, keeping
    /// the best. A perturbation removes a random stretch of stops, or a random third of them, or starts afresh from
    /// one of the most valuable items left out (in turn), refills with noisy greedy insertion and runs the local
    /// search again. Small instances, where restarts are cheap, get
    /// more of them (at least `restarts`, up to 400 / candidates).
    mutating func run(initial: [Int] = [], restarts: Int = 6) -> [Int] {
        let restarts = restarts > 0 ? max(restarts, min(40, 400 / max(1, n))) : 0
        var seq = initial
        repair(&seq)
        greedyFill(&seq)
        if seq.isEmpty, n > 0 {
            // Nothing adds utility (e.g. all interests are zero): still return the most interesting single stop,
            // every compiled candidate being feasible on its own.
            let c = (0..<n).max { (score0[$0], -$0) < (score0[$1], -$1) } ?? 0
            if isFeasible([c]) { seq = [c] }
        }
        localSearch(&seq)
        var best = seq
        var bestScore = score(best)
        guard !best.isEmpty else { return best }
        for attempt in 0..<restarts {
            var s = best
            let len = s.count
            let cut = max(1, len / 3)
            switch attempt % 3 {
            case 0:
                let from = rng.nextInt(below: max(1, len - cut + 1))
                s.removeSubrange(from..<min(len, from + cut))
            case 1:
                for _ in 0..<cut where !s.isEmpty { s.remove(at: rng.nextInt(below: s.count)) }
            default:
                // Start afresh from a valuable item the best tour leaves out, so the route can take another shape.
                let chosen = Set(best)
                let pool = (0..<n).filter { !chosen.contains($0) }.sorted { (score0[$0], -$0) > (score0[$1], -$1) }
                guard !pool.isEmpty else { continue }
                s = [pool[rng.nextInt(below: min(pool.count, 8))]]
                if !isFeasible(s) { continue }
            }
            greedyFill(&s, noise: 0.3)
            localSearch(&s)
            let sc = score(s)
            if sc > bestScore + 1e-9 {
                best = s
                bestScore = sc
            }
        }
        return best
    }
}

/// Owns a pointer-backed array of doubles for the lifetime of a search.
final class TourBuffer: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Double>
    init(_ array: [Double]) {
        values = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, array.count))
        _ = values.initialize(from: array)
    }
    deinit { values.baseAddress?.deallocate() }
}
