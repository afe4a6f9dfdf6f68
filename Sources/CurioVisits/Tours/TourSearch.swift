/// Greedy insertion plus local search (2-opt, relocate, swap with unvisited items, removal) and perturbation
/// restarts over a ``TourInstance``. Every sequence it keeps is feasible.
struct TourSearch {
    let inst: TourInstance
    var rng: SeededGenerator
    /// Per-candidate bonus for staying in the tour (replanning stability), added to the gain.
    var keepBonus: [Double]
    private var scratch: [Int]
    private let n: Int
    private let maxStops: Int

    init(instance: TourInstance, seed: UInt64, keep: Set<Int> = [], keepBonus: Double = 0) {
        inst = instance
        rng = SeededGenerator(seed: seed)
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
    /// utility per second saved.
    mutating func repair(_ seq: inout [Int]) {
        while !seq.isEmpty, inst.finish(seq) == nil {
            let base = score(seq)
            var bestIndex = 0, bestLoss = Double.infinity
            for i in seq.indices {
                var shorter = seq
                shorter.remove(at: i)
                let prevRoom = i == 0 ? inst.startRoom : inst.room[seq[i - 1]]
                let nextRoom = i + 1 < seq.count ? inst.room[seq[i + 1]] : (inst.endRoom ?? prevRoom)
                let saved = inst.leg(prevRoom, inst.room[seq[i]]) + inst.view[seq[i]]
                    + inst.leg(inst.room[seq[i]], nextRoom) - inst.leg(prevRoom, nextRoom)
                let loss = (base - score(shorter)) / max(saved, 1)
                if loss < bestLoss { bestLoss = loss; bestIndex = i }
            }
            seq.remove(at: bestIndex)
        }
    }

    // MARK: Local search

    /// Applies improving moves until none is left (or a pass limit is hit). Keeps feasibility.
    mutating func localSearch(_ seq: inout [Int], maxPasses: Int = 30) {
        var current = score(seq)
        for _ in 0..<maxPasses {
            var improved = false
            // Removal: only the variety penalty can make a stop worth less than nothing.
            if inst.request.weights.variety > 0 {
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
            }
            // 2-opt: reverse a segment.
            if seq.count >= 2 {
                for i in 0..<(seq.count - 1) {
                    for j in (i + 1)..<seq.count {
                        var candidate = seq
                        candidate[i...j].reverse()
                        let s = score(candidate)
                        let better = s > current + 1e-9
                        // Equal utility but an earlier finish frees time for more stops.
                        if better ? inst.isFeasible(candidate) : (s >= current - 1e-12 && shorterTime(candidate, than: seq)) {
                            if better { improved = true }
                            seq = candidate
                            current = s
                        }
                    }
                }
            }
            // Relocate one stop.
            if seq.count >= 2 {
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
            }
            // Swap a stop for an item not in the tour, at the same position.
            var inTour = [Bool](repeating: false, count: n)
            for c in seq { inTour[c] = true }
            for i in 0..<seq.count {
                var bestGain = 1e-9, bestC = -1
                for c in 0..<n where !inTour[c] {
                    var candidate = seq
                    candidate[i] = c
                    let gain = score(candidate) - current
                    if gain > bestGain, inst.isFeasible(candidate) { bestGain = gain; bestC = c }
                }
                if bestC >= 0 {
                    inTour[seq[i]] = false
                    inTour[bestC] = true
                    seq[i] = bestC
                    current += bestGain
                    improved = true
                }
            }
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
            let from = rng.nextInt(max(1, len - cut + 1))
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
