import CurioMath
/// Greedy insertion plus local search (2-opt, relocate, swap with unvisited items, removal) and perturbation
/// restarts over a ``TourInstance``. Every sequence it keeps is feasible.
struct TourSearch {
    let inst: TourInstance
    var rng: SeededRandom
    /// Per-candidate bonus for staying in the tour (replanning stability), added to the gain.
    var keepBonus: [Double]
    private var scratch: [Int]
    private let n: Int
    private let maxStops: Int

    init(instance: TourInstance, seed: UInt64, keep: Set<Int> = [], keepBonus: Double = 0) {
        inst = instance
        rng = SeededRandom(seed: seed)
        n = instance.count
        scratch = [Int](repeating: 0, count: instance.makerCount)
        self.keepBonus = (0..<instance.count).map { keep.contains($0) ? keepBonus : 0 }
        maxStops = instance.request.maxStops ?? Int.max
    }

    /// Objective used by the search: utility plus stability bonuses.
    mutating func score(_ seq: [Int]) -> Double {
        var u = inst.utility(seq, scratch: &scratch)
        for c in seq { u += keepBonus[c] }
        return u
    }

    // MARK: Construction

    /// Inserts candidates one at a time by best (utility gain / added time), checking full feasibility, until
    /// nothing more fits. `noise` randomises the ratios (0 = deterministic greedy).
    mutating func greedyFill(_ seq: inout [Int], noise: Double = 0) {
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        var makerUse = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { for m in inst.makers[c] { makerUse[m] += 1 } }
        guard var total = inst.finish(seq) else { return }
        var options: [(ratio: Double, c: Int, p: Int)] = []
        options.reserveCapacity(n)
        let variety = inst.request.weights.variety
        while seq.count < maxStops {
            options.removeAll(keepingCapacity: true)
            let len = seq.count
            for c in 0..<n where !inTour[c] {
                var dv = inst.gain[c] + keepBonus[c]
                for m in inst.makers[c] where makerUse[m] > 0 { dv -= variety }
                let rc = inst.room[c]
                var best = -Double.infinity, bestP = -1
                for p in 0...len {
                    let prevRoom = p == 0 ? inst.startRoom : inst.room[seq[p - 1]]
                    var dt = inst.leg(prevRoom, rc) + inst.view[c]
                    var du = dv
                    if p > 0 { du += inst.pair[seq[p - 1] * n + c] }
                    if p < len {
                        let next = seq[p]
                        let nr = inst.room[next]
                        dt += inst.leg(rc, nr) - inst.leg(prevRoom, nr)
                        du += inst.pair[c * n + next]
                        if p > 0 { du -= inst.pair[seq[p - 1] * n + next] }
                    } else if let e = inst.endRoom {
                        dt += inst.leg(rc, e) - (len == 0 && prevRoom == e ? 0 : inst.leg(prevRoom, e))
                    }
                    guard du > 1e-12, total + dt <= inst.horizon + 1e-9 else { continue }
                    var ratio = du / max(dt, 1)
                    if noise > 0 { ratio *= 1 + noise * (2 * rng.nextDouble() - 1) }
                    if ratio > best { best = ratio; bestP = p }
                }
                if bestP >= 0 { options.append((best, c, bestP)) }
            }
            if options.isEmpty { return }
            options.sort { $0.ratio > $1.ratio || ($0.ratio == $1.ratio && $0.c < $1.c) }
            var inserted = false
            for o in options {
                seq.insert(o.c, at: o.p)
                if let f = inst.finish(seq) {
                    total = f
                    inTour[o.c] = true
                    for m in inst.makers[o.c] { makerUse[m] += 1 }
                    inserted = true
                    break
                }
                seq.remove(at: o.p)
            }
            if !inserted { return }
        }
    }

    /// Removes stops until the sequence is feasible, each time dropping the stop whose removal loses the least
    /// utility per second saved. `protected` is never removed (unless it is all that is left).
    mutating func repair(_ seq: inout [Int], protecting protected: Int = -1) {
        while !seq.isEmpty, inst.finish(seq) == nil {
            let base = score(seq)
            var bestIndex = -1, bestLoss = Double.infinity
            for i in seq.indices where seq[i] != protected || seq.count == 1 {
                var shorter = seq
                shorter.remove(at: i)
                let prevRoom = i == 0 ? inst.startRoom : inst.room[seq[i - 1]]
                let nextRoom = i + 1 < seq.count ? inst.room[seq[i + 1]] : (inst.endRoom ?? prevRoom)
                let saved = inst.leg(prevRoom, inst.room[seq[i]]) + inst.view[seq[i]]
                    + inst.leg(inst.room[seq[i]], nextRoom) - inst.leg(prevRoom, nextRoom)
                let loss = (base - score(shorter)) / max(saved, 1)
                if loss < bestLoss { bestLoss = loss; bestIndex = i }
            }
            seq.remove(at: max(bestIndex, 0))
        }
    }

    /// Ejection move: force a valuable item that is not in the tour in at its cheapest position, then drop the
    /// stops that make room for it most cheaply; keep the result when it beats the current tour. Escapes the
    /// classic greedy trap of many small nearby stops crowding out one far, important one.
    mutating func ejectionMove(_ seq: inout [Int], current: inout Double, candidates limit: Int = 20) -> Bool {
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        let minGain = seq.map { inst.gain[$0] + keepBonus[$0] }.min() ?? 0
        var pool = (0..<n).filter { !inTour[$0] && inst.gain[$0] + keepBonus[$0] > minGain }
        pool.sort { (inst.gain[$0] + keepBonus[$0], -$0) > (inst.gain[$1] + keepBonus[$1], -$1) }
        var improved = false
        var tried = 0
        for c in pool.prefix(limit) where !inTour[c] {
            let rc = inst.room[c]
            var bestP = 0, bestDt = Double.infinity
            for p in 0...seq.count {
                let prevRoom = p == 0 ? inst.startRoom : inst.room[seq[p - 1]]
                let nextRoom = p < seq.count ? inst.room[seq[p]] : (inst.endRoom ?? rc)
                let dt = inst.leg(prevRoom, rc) + inst.leg(rc, nextRoom) - (p < seq.count || inst.endRoom != nil ? inst.leg(prevRoom, nextRoom) : 0)
                if dt < bestDt { bestDt = dt; bestP = p }
            }
            var candidate = seq
            candidate.insert(c, at: bestP)
            repair(&candidate, protecting: c)
            guard candidate.contains(c) else { continue }
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

    // MARK: Local search

    /// Applies improving moves until none is left (or a pass limit is hit). Keeps feasibility.
    ///
    /// Moves are scored incrementally (O(1) for 2-opt and swaps); full feasibility (O(length)) is checked only for
    /// moves that improve utility, or keep it and shorten the walk.
    mutating func localSearch(_ seq: inout [Int], maxPasses: Int = 30) {
        var current = score(seq)
        for _ in 0..<maxPasses {
            var improved = false
            if inst.request.weights.variety > 0, removeWorthless(&seq, current: &current) { improved = true }
            if twoOpt(&seq, current: &current) { improved = true }
            if relocate(&seq, current: &current) { improved = true }
            if swapOut(&seq, current: &current) { improved = true }
            // Make room for a valuable item that does not fit yet (only once the cheaper moves are exhausted).
            if !improved, ejectionMove(&seq, current: &current) { improved = true }
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
        var i = 0
        while i < seq.count {
            var shorter = seq
            shorter.remove(at: i)
            let s = score(shorter)
            if s > current + 1e-9, inst.isFeasible(shorter) {
                seq = shorter
                current = s
                improved = true
            } else {
                i += 1
            }
        }
        return improved
    }

    /// 2-opt: reverse a segment. Utility and walking-time changes are accumulated in O(1) per segment end.
    private mutating func twoOpt(_ seq: inout [Int], current: inout Double) -> Bool {
        guard seq.count >= 2 else { return false }
        var improved = false
        var i = 0
        while i < seq.count - 1 {
            var inner = 0.0, innerTime = 0.0
            let prevRoom = i > 0 ? inst.room[seq[i - 1]] : inst.startRoom
            var accepted = false
            for j in (i + 1)..<seq.count {
                let a = seq[j - 1], b = seq[j]
                inner += inst.pair[b * n + a] - inst.pair[a * n + b]
                innerTime += inst.leg(inst.room[b], inst.room[a]) - inst.leg(inst.room[a], inst.room[b])
                var du = inner, dt = innerTime
                let first = seq[i], last = seq[j]
                if i > 0 { du += inst.pair[seq[i - 1] * n + last] - inst.pair[seq[i - 1] * n + first] }
                dt += inst.leg(prevRoom, inst.room[last]) - inst.leg(prevRoom, inst.room[first])
                if j + 1 < seq.count {
                    let next = seq[j + 1]
                    du += inst.pair[first * n + next] - inst.pair[last * n + next]
                    dt += inst.leg(inst.room[first], inst.room[next]) - inst.leg(inst.room[last], inst.room[next])
                } else if let e = inst.endRoom {
                    dt += inst.leg(inst.room[first], e) - inst.leg(inst.room[last], e)
                }
                // Better utility, or equal utility and a shorter walk (frees time for more stops).
                guard du > 1e-9 || (du > -1e-12 && dt < -1e-6) else { continue }
                var candidate = seq
                candidate[i...j].reverse()
                guard inst.isFeasible(candidate) else { continue }
                seq = candidate
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

    /// Relocate one stop to another position.
    private mutating func relocate(_ seq: inout [Int], current: inout Double) -> Bool {
        guard seq.count >= 2 else { return false }
        var improved = false
        outer: for i in 0..<seq.count {
            for j in 0..<seq.count where j != i {
                var candidate = seq
                let c = candidate.remove(at: i)
                candidate.insert(c, at: j)
                let s = score(candidate)
                if s > current + 1e-9, inst.isFeasible(candidate) {
                    seq = candidate
                    current = s
                    improved = true
                    continue outer
                }
            }
        }
        return improved
    }

    /// Swap a stop for an item not in the tour, at the same position; the best feasible swap per position.
    private mutating func swapOut(_ seq: inout [Int], current: inout Double) -> Bool {
        var improved = false
        var inTour = [Bool](repeating: false, count: n)
        for c in seq { inTour[c] = true }
        var makerUse = [Int](repeating: 0, count: inst.makerCount)
        for c in seq { for m in inst.makers[c] { makerUse[m] += 1 } }
        let variety = inst.request.weights.variety
        var options: [(gain: Double, c: Int)] = []
        for i in 0..<seq.count {
            let old = seq[i]
            let prev = i > 0 ? seq[i - 1] : -1, next = i + 1 < seq.count ? seq[i + 1] : -1
            var base = -(inst.gain[old] + keepBonus[old])
            if prev >= 0 { base -= inst.pair[prev * n + old] }
            if next >= 0 { base -= inst.pair[old * n + next] }
            for m in inst.makers[old] where makerUse[m] >= 2 { base += variety }
            for m in inst.makers[old] { makerUse[m] -= 1 }
            options.removeAll(keepingCapacity: true)
            for c in 0..<n where !inTour[c] {
                var d = base + inst.gain[c] + keepBonus[c]
                if prev >= 0 { d += inst.pair[prev * n + c] }
                if next >= 0 { d += inst.pair[c * n + next] }
                for m in inst.makers[c] where makerUse[m] >= 1 { d -= variety }
                if d > 1e-9 { options.append((d, c)) }
            }
            options.sort { $0.gain > $1.gain || ($0.gain == $1.gain && $0.c < $1.c) }
            var chosen = old
            for o in options {
                seq[i] = o.c
                if inst.isFeasible(seq) {
                    chosen = o.c
                    current += o.gain
                    improved = true
                    break
                }
            }
            seq[i] = chosen
            inTour[old] = chosen == old
            inTour[chosen] = true
            for m in inst.makers[chosen] { makerUse[m] += 1 }
        }
        current = score(seq)
        return improved
    }

    /// Whether `a` is feasible and finishes earlier than `b`; used to prefer shorter walks on ties.
    private func shorterTime(_ a: [Int], than b: [Int]) -> Bool {
        guard let fa = inst.finish(a), let fb = inst.finish(b) else { return false }
        return fa < fb - 1e-6
    }

    // MARK: Driver

    /// Plans from `initial` (repaired if infeasible): greedy fill, local search, then `restarts` perturbations
    /// (remove a random stretch, refill with noisy greedy, local search), keeping the best.
    mutating func run(initial: [Int] = [], restarts: Int = 6) -> [Int] {
        var seq = initial
        repair(&seq)
        greedyFill(&seq)
        if seq.isEmpty, n > 0 {
            // Nothing adds utility (e.g. all interests are zero): still return the most interesting single stop,
            // every compiled candidate being feasible on its own.
            let c = (0..<n).max { (inst.gain[$0], -$0) < (inst.gain[$1], -$1) } ?? 0
            if inst.isFeasible([c]) { seq = [c] }
        }
        localSearch(&seq)
        var best = seq
        var bestScore = score(best)
        guard !best.isEmpty else { return best }
        for _ in 0..<restarts {
            var s = best
            let len = s.count
            let cut = max(1, len / 3)
            let from = rng.nextInt(below: max(1, len - cut + 1))
            s.removeSubrange(from..<min(len, from + cut))
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
