/// Flat, pointer-backed copies of a ``TourInstance``'s tables for the planner's inner loops, where Swift arrays
/// reached through structs cost a retain and release per access. Immutable after creation.
final class TourTables: @unchecked Sendable {
    let n: Int
    let rooms: Int
    let room: UnsafeMutableBufferPointer<Int>
    let view: UnsafeMutableBufferPointer<Double>
    let gain: UnsafeMutableBufferPointer<Double>
    /// n×n pairwise story terms.
    let pair: UnsafeMutableBufferPointer<Double>
    /// rooms×rooms walking seconds with the in-room time on the diagonal (infinity when unreachable).
    let walk: UnsafeMutableBufferPointer<Double>
    /// Open intervals of room r are `windowLo/Hi[windowOffset[r] ..< windowOffset[r + 1]]`.
    let windowOffset: UnsafeMutableBufferPointer<Int>
    let windowLo: UnsafeMutableBufferPointer<Double>
    let windowHi: UnsafeMutableBufferPointer<Double>
    /// Makers of candidate c are `makerList[makerOffset[c] ..< makerOffset[c + 1]]`.
    let makerOffset: UnsafeMutableBufferPointer<Int>
    let makerList: UnsafeMutableBufferPointer<Int>
    let startRoom: Int
    /// -1 when the tour ends at its last stop.
    let endRoom: Int
    let horizon: Double

    init(room: [Int], view: [Double], gain: [Double], pair: [Double], walk: [Double], rooms: Int,
         windows: [[(Double, Double)]], makers: [[Int]], startRoom: Int, endRoom: Int, horizon: Double) {
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, a.count))
            _ = p.initialize(from: a)
            return p
        }
        n = room.count
        self.rooms = rooms
        self.room = copy(room)
        self.view = copy(view)
        self.gain = copy(gain)
        self.pair = copy(pair)
        self.walk = copy(walk)
        var offsets = [0], lo: [Double] = [], hi: [Double] = []
        for w in windows {
            for (a, b) in w {
                lo.append(a)
                hi.append(b)
            }
            offsets.append(lo.count)
        }
        windowOffset = copy(offsets)
        windowLo = copy(lo)
        windowHi = copy(hi)
        var mo = [0], ml: [Int] = []
        for m in makers {
            ml.append(contentsOf: m)
            mo.append(ml.count)
        }
        makerOffset = copy(mo)
        makerList = copy(ml)
        self.startRoom = startRoom
        self.endRoom = endRoom
        self.horizon = horizon
    }

    deinit {
        for p in [room.baseAddress, windowOffset.baseAddress, makerOffset.baseAddress, makerList.baseAddress] { p?.deallocate() }
        for p in [view.baseAddress, gain.baseAddress, pair.baseAddress, walk.baseAddress, windowLo.baseAddress,
                  windowHi.baseAddress] { p?.deallocate() }
    }

    @inline(__always)
    func leg(_ a: Int, _ b: Int) -> Double { walk[a * rooms + b] }

    /// Earliest start ≥ `arrive` with `look` seconds inside one open interval of room `r`, or -1.
    @inline(__always)
    func earliestStart(room r: Int, arrive: Double, look: Double) -> Double {
        var k = windowOffset[r]
        let end = windowOffset[r + 1]
        while k < end {
            let t = max(arrive, windowLo[k])
            if t + look <= windowHi[k] { return t }
            k += 1
        }
        return -1
    }

    /// Whether room `r` is open at time `t`.
    @inline(__always)
    func isOpen(room r: Int, at t: Double) -> Bool {
        var k = windowOffset[r]
        let end = windowOffset[r + 1]
        while k < end {
            if windowLo[k] <= t + 1e-9, t <= windowHi[k] + 1e-9 { return true }
            k += 1
        }
        return false
    }

    /// Finish time of a sequence (arrival at the end room, or end of the last stop), or -1 when infeasible.
    func finish(_ seq: [Int]) -> Double {
        seq.withUnsafeBufferPointer { finish($0) }
    }

    func finish(_ seq: UnsafeBufferPointer<Int>) -> Double {
        var t = 0.0
        var at = startRoom
        for c in seq {
            let r = room[c]
            let s = earliestStart(room: r, arrive: t + leg(at, r), look: view[c])
            if s < 0 { return -1 }
            t = s + view[c]
            at = r
        }
        if endRoom >= 0, !seq.isEmpty || at != endRoom {
            t += leg(at, endRoom)
            if !isOpen(room: endRoom, at: t) { return -1 }
        }
        return t <= horizon + 1e-9 ? t : -1
    }

    /// Σ gain + Σ consecutive pair terms − variety × (repeated makers). `scratch` has one zeroed slot per maker and
    /// is left zeroed.
    func utility(_ seq: [Int], gain: UnsafeMutableBufferPointer<Double>, variety: Double, scratch: inout [Int]) -> Double {
        var u = 0.0
        var prev = -1
        for c in seq {
            u += gain[c]
            if prev >= 0 { u += pair[prev * n + c] }
            for k in makerOffset[c]..<makerOffset[c + 1] {
                let m = makerList[k]
                if scratch[m] > 0 { u -= variety }
                scratch[m] += 1
            }
            prev = c
        }
        for c in seq { for k in makerOffset[c]..<makerOffset[c + 1] { scratch[makerList[k]] = 0 } }
        return u
    }
}
