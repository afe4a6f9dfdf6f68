import CurioCore
import CurioMath
import Foundation

/// The hybrid model's score for one history, with its three unscaled parts kept: `t = h·P`, `u = t·S` and
/// `d = h·S` (see ``HybridRecommender``), so that explanations can leave one object out without scoring the
/// catalogue again.
///
/// Leaving object `i` (log weight `l_i`) out changes `t` by `l_i·P[i,:]` (at most `collaborativeNeighbours`
/// entries), `u` by that row propagated over the content graph (a few thousand entries) and `d` by `l_i·S[i,:]`.
/// The deltas are applied in place, each part's new maximum is taken with one vectorised pass, the listed items are
/// read off, and the parts are restored: a few microseconds instead of a full re-scoring. When leaving the object
/// out collapses a part's maximum (below 1% of what it was — the object carried almost all of it) the shorter
/// history is scored exactly instead, so that rounding left by the subtraction cannot be magnified by the rescaling.
///
/// Belongs to one request (it modifies its parts in place while answering); not for sharing between threads.
public final class HybridHistoryScoring: LeaveOneOutScoring {
    let model: HybridRecommender
    let history: [HistoryEntry]
    /// Positive entries with their log weights `log(1 + weight)`.
    let positive: [HistoryEntry]
    private var t: [Float]
    private var u: [Float]
    private var d: [Float]
    let tMax: Float, uMax: Float, dMax: Float
    /// Each part's largest entries.
    let tTop: [Entry], uTop: [Entry], dTop: [Entry]
    public let scores: [Float]
    /// Scratch for the propagated delta (allocated on the first leave-one-out).
    private var delta: [Float] = []
    private var touched: [Int] = []
    private var saved: [(index: Int, value: Float)] = []

    /// Below this fraction of its former maximum a part is recomputed exactly instead of by subtraction.
    static let collapse: Float = 0.01

    init(model: HybridRecommender, history: [HistoryEntry]) {
        self.model = model
        self.history = history
        let c = model.configuration
        let n = model.itemIDs.count
        positive = history.filter { $0.weight > 0 && $0.item >= 0 && $0.item < n }
            .map { HistoryEntry(item: $0.item, weight: log1p($0.weight), time: $0.time) }
        var result = [Float](repeating: 0, count: n)
        var t: [Float] = [], u: [Float] = [], d: [Float] = []
        var tMax: Float = 0, uMax: Float = 0, dMax: Float = 0
        var tTop: [Entry] = [], uTop: [Entry] = [], dTop: [Entry] = []
        if c.collaborativeWeight > 0 || c.propagationWeight > 0 {
            t = [Float](repeating: 0, count: n)
            model.collaborative.accumulate(positive, into: &t)
            tTop = Self.topList(t, support: positive, of: model.collaborative.weights)
            tMax = tTop.first?.value ?? 0
        }
        if c.collaborativeWeight > 0 {
            HybridRecommender.addScaled(t, weight: c.collaborativeWeight, top: tMax, into: &result)
            let p = c.collaborativeWeight * c.popularityWeight
            if p > 0 {
                model.popularity.withUnsafeBufferPointer { pop in
                    result.withUnsafeMutableBufferPointer { r in
                        if let x = pop.baseAddress, let y = r.baseAddress { VectorKernels.axpy(p, x, y, count: min(n, pop.count)) }
                    }
                }
            }
        }
        if c.propagationWeight > 0 {
            u = model.content.propagate(t)
            uTop = Self.topList(u)
            uMax = uTop.first?.value ?? 0
            HybridRecommender.addScaled(u, weight: c.propagationWeight, top: uMax, into: &result)
        }
        if c.contentWeight > 0 {
            d = [Float](repeating: 0, count: n)
            model.content.accumulate(positive, into: &d)
            dTop = Self.topList(d, support: positive, of: model.content.weights)
            dMax = dTop.first?.value ?? 0
            HybridRecommender.addScaled(d, weight: c.contentWeight, top: dMax, into: &result)
        }
        self.t = t
        self.u = u
        self.d = d
        self.tMax = tMax
        self.uMax = uMax
        self.dMax = dMax
        self.tTop = tTop
        self.uTop = uTop
        self.dTop = dTop
        scores = result
    }

    /// A part's entry.
    typealias Entry = (index: Int, value: Float)

    /// How many of each part's largest entries are kept: the part's maximum without an object is the first of them
    /// the object's row does not reach (a full pass only when it reaches them all).
    static let topCount = 8

    /// The `topCount` largest entries of `v` (largest first, ties by lower index), in one vectorised pass: blocks of
    /// eight with no value above the current `topCount`-th are skipped with one comparison.
    static func topList(_ v: [Float]) -> [Entry] {
        let k = topCount
        var list: [Entry] = []
        list.reserveCapacity(k + 1)
        var threshold = -Float.infinity
        func insert(_ i: Int, _ x: Float) {
            var p = list.count
            while p > 0 && list[p - 1].value < x { p -= 1 }
            list.insert((i, x), at: p)
            if list.count > k { list.removeLast() }
            if list.count == k { threshold = list[k - 1].value }
        }
        v.withUnsafeBufferPointer { b in
            guard let x = b.baseAddress else { return }
            let raw = UnsafeRawPointer(x)
            let n = b.count
            var i = 0
            while i + 8 <= n {
                let block = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                if list.count < k || any(block .> SIMD8<Float>(repeating: threshold)) {
                    for lane in 0..<8 where list.count < k || block[lane] > threshold { insert(i + lane, block[lane]) }
                }
                i += 8
            }
            while i < n {
                if list.count < k || x[i] > threshold { insert(i, x[i]) }
                i += 1
            }
        }
        return list
    }

    /// ``topList(_:)`` for a part that is `Σ l_i · m[i, :]` over the history: only the columns of the history's rows
    /// can be non-zero, so those are the candidates (a few hundred reads instead of the catalogue). Exact when
    /// `topCount` of them are positive (every other entry is zero); otherwise the full pass decides.
    static func topList(_ v: [Float], support history: [HistoryEntry], of m: SparseMatrix) -> [Entry] {
        let k = topCount
        var list: [Entry] = []
        list.reserveCapacity(k + 1)
        var threshold = -Float.infinity
        v.withUnsafeBufferPointer { x in
            for e in history where e.item >= 0 && e.item < m.rows {
                for q in m.range(ofRow: e.item) {
                    let i = Int(m.columnIndices[q])
                    guard i < x.count else { continue }
                    let value = x[i]
                    // Ties by the lower index, as the full pass orders them; a column met twice enters once.
                    guard list.count < k || value > threshold || (value == threshold && i < list[k - 1].index) else { continue }
                    if list.contains(where: { $0.index == i }) { continue }
                    var p = list.count
                    while p > 0 && (list[p - 1].value < value || (list[p - 1].value == value && list[p - 1].index > i)) { p -= 1 }
                    list.insert((i, value), at: p)
                    if list.count > k { list.removeLast() }
                    if list.count == k { threshold = list[k - 1].value }
                }
            }
        }
        guard list.count == k, threshold > 0 else { return topList(v) }
        return list
    }

    /// `v −= l · m[row, :]`, appending each changed entry's old value to `saved`; returns the largest changed value
    /// (−∞ when the row is empty).
    private static func subtract(row: Int, of m: SparseMatrix, times l: Float, from v: inout [Float],
                                 saving saved: inout [(index: Int, value: Float)]) -> Float {
        var changedMax = -Float.infinity
        v.withUnsafeMutableBufferPointer { vb in
            for q in m.range(ofRow: row) {
                let k = Int(m.columnIndices[q])
                saved.append((k, vb[k]))
                vb[k] -= l * m.values[q]
                changedMax = max(changedMax, vb[k])
            }
        }
        return changedMax
    }

    /// A part's maximum after changing the entries `changed` says: the larger of the changed entries' new values
    /// (`changedMax`) and the first listed entry not changed; a full pass when every listed entry changed.
    private static func newMaximum(_ v: [Float], top: [Entry], changedMax: Float, changed: (Int) -> Bool) -> Float {
        for e in top where !changed(e.index) { return max(e.value, changedMax) }
        // Every listed entry changed: the list held the whole part, or a full pass finds the maximum.
        return top.count < topCount ? changedMax : maximum(v)
    }

    static func maximum(_ v: [Float]) -> Float {
        v.withUnsafeBufferPointer { b in b.baseAddress.map { HybridRecommender.maximum($0, count: b.count) } ?? 0 }
    }

    /// The score of item `j` from part values and maxima (the same terms, in the same order, as the full scoring).
    @inline(__always)
    private func combine(_ j: Int, t tj: Float, u uj: Float, d dj: Float, tMax: Float, uMax: Float, dMax: Float) -> Float {
        let c = model.configuration
        var r: Float = 0
        if c.collaborativeWeight > 0 {
            if tMax > 0 { r += (c.collaborativeWeight / tMax) * tj }
            let p = c.collaborativeWeight * c.popularityWeight
            if p > 0, j < model.popularity.count { r += p * model.popularity[j] }
        }
        if c.propagationWeight > 0, uMax > 0 { r += (c.propagationWeight / uMax) * uj }
        if c.contentWeight > 0, dMax > 0 { r += (c.contentWeight / dMax) * dj }
        return r
    }

    public func scores(of items: [Int]) -> [Float] {
        let n = model.itemIDs.count
        return items.map { j in
            guard j >= 0, j < n else { return -.infinity }
            return combine(j, t: t.isEmpty ? 0 : t[j], u: u.isEmpty ? 0 : u[j], d: d.isEmpty ? 0 : d[j],
                           tMax: tMax, uMax: uMax, dMax: dMax)
        }
    }

    public func scoresWithout(object i: Int, items: [Int]) -> [Float] {
        let n = model.itemIDs.count
        var l: Float = 0
        for e in positive where e.item == i { l += e.weight }
        // Leaving out an object the history does not (positively) hold changes nothing.
        guard l > 0 else { return scores(of: items) }
        guard positive.contains(where: { $0.item != i }) else { return exact(without: i, items: items) }
        let p = model.collaborative.weights, s = model.content.weights
        saved.removeAll(keepingCapacity: true)
        var newT = tMax, newU = uMax, newD = dMax
        var collapsed = false
        // t − l·P[i,:]
        if !t.isEmpty, i < p.rows {
            let start = saved.count
            let changedMax = Self.subtract(row: i, of: p, times: l, from: &t, saving: &saved)
            if saved.count > start {
                newT = Self.newMaximum(t, top: tTop, changedMax: changedMax) { p.position(row: i, column: $0) != nil }
            }
            if tMax > 0 && !(newT >= Self.collapse * tMax) { collapsed = true }
        }
        let tSaved = saved.count
        // u − (l·P[i,:])·S
        if !collapsed, !u.isEmpty, i < p.rows {
            if delta.count != n { delta = [Float](repeating: 0, count: n) }
            touched.removeAll(keepingCapacity: true)
            delta.withUnsafeMutableBufferPointer { db in
                for q in p.range(ofRow: i) {
                    let m = Int(p.columnIndices[q])
                    guard m < s.rows else { continue }
                    let w = l * p.values[q]
                    for r in s.range(ofRow: m) {
                        let k = Int(s.columnIndices[r])
                        if db[k] == 0 { touched.append(k) }
                        db[k] += w * s.values[r]
                    }
                }
                var changedMax = -Float.infinity
                u.withUnsafeMutableBufferPointer { ub in
                    for k in touched where db[k] != 0 {
                        saved.append((k, ub[k]))
                        ub[k] -= db[k]
                        changedMax = max(changedMax, ub[k])
                    }
                }
                if saved.count > tSaved {
                    newU = Self.newMaximum(u, top: uTop, changedMax: changedMax) { db[$0] != 0 }
                }
                for k in touched { db[k] = 0 }
            }
            if uMax > 0 && !(newU >= Self.collapse * uMax) { collapsed = true }
        }
        let uSaved = saved.count
        // d − l·S[i,:]
        if !collapsed, !d.isEmpty, i < s.rows {
            let changedMax = Self.subtract(row: i, of: s, times: l, from: &d, saving: &saved)
            if saved.count > uSaved {
                newD = Self.newMaximum(d, top: dTop, changedMax: changedMax) { s.position(row: i, column: $0) != nil }
            }
            if dMax > 0 && !(newD >= Self.collapse * dMax) { collapsed = true }
        }
        var out: [Float] = []
        if !collapsed {
            out = items.map { j in
                guard j >= 0, j < n else { return -.infinity }
                return combine(j, t: t.isEmpty ? 0 : t[j], u: u.isEmpty ? 0 : u[j], d: d.isEmpty ? 0 : d[j],
                               tMax: newT, uMax: newU, dMax: newD)
            }
        }
        // Restore the parts (last change first, so an index changed twice gets its original value back).
        for (position, e) in saved.enumerated().reversed() {
            if position >= uSaved { d[e.index] = e.value } else if position >= tSaved { u[e.index] = e.value } else { t[e.index] = e.value }
        }
        return collapsed ? exact(without: i, items: items) : out
    }

    /// The shorter history scored over the whole catalogue.
    private func exact(without object: Int, items: [Int]) -> [Float] {
        HybridHistoryScoring(model: model, history: history.filter { $0.item != object }).scores(of: items)
    }

    /// The hybrid's ``HistoryAdditive`` terms from the parts' maxima already known:
    /// `w_cf · l_i·P[i,j] / max t + β · l_i·(P·S)[i,j] / max u + γ · l_i·S[i,j] / max d`, where `(P·S)[i,j]` is the
    /// sparse dot product of row `i` of P with column `j` of S.
    public func historyTerms(items: [Int]) -> [[HistoryTerm]]? {
        let c = model.configuration
        let n = model.itemIDs.count
        var objects: [(item: Int, weight: Float)] = []
        var slot: [Int: Int] = [:]
        for e in positive {
            if let k = slot[e.item] { objects[k].weight += e.weight } else {
                slot[e.item] = objects.count
                objects.append((e.item, e.weight))
            }
        }
        guard !objects.isEmpty else { return items.map { _ in [] } }
        func scale(_ weight: Float, _ top: Float) -> Float { weight > 0 && top > 0 ? weight / top : 0 }
        let cf = scale(c.collaborativeWeight, tMax)
        let prop = scale(c.propagationWeight, uMax)
        let cont = scale(c.contentWeight, dMax)
        let p = model.collaborative.weights, s = model.content.weights, columns = model.contentColumns
        return items.map { j -> [HistoryTerm] in
            guard j >= 0, j < n else { return [] }
            var terms: [HistoryTerm] = []
            for (i, l) in objects {
                var v: Float = 0
                if i < p.rows {
                    if cf > 0, let q = p.position(row: i, column: j) { v += cf * (l * p.values[q]) }
                    if prop > 0, j < columns.rows {
                        for r in columns.range(ofRow: j) {
                            let k = Int(columns.columnIndices[r])
                            if let q = p.position(row: i, column: k) { v += prop * (l * p.values[q]) * columns.values[r] }
                        }
                    }
                }
                if cont > 0, i < s.rows, let r = s.position(row: i, column: j) { v += cont * l * s.values[r] }
                if v > 0, v.isFinite { terms.append(HistoryTerm(object: i, value: v)) }
            }
            return terms.sorted { $0.value > $1.value || ($0.value == $1.value && $0.object < $1.object) }
        }
    }
}
