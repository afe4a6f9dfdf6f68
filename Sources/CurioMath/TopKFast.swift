extension TopK {
    /// The `k` largest finite entries (NaN and −∞ skipped), best first, ties broken by the lower index.
    ///
    /// Same result as ``select(_:k:isExcluded:)`` without an exclusion closure, but built for serving (mark excluded
    /// items −∞ first) over a whole catalogue, whatever the order of the scores:
    /// 1. the maximum of every block of 64 scores (one vector pass);
    /// 2. the k-th largest block maximum `T` (a selection over n/64 values): at least `k` blocks reach `T`, so at least
    ///    `k` entries are ≥ `T` and every entry of the answer is;
    /// 3. the entries above `T` of the blocks that exceed it (fewer than `k` blocks), selected and sorted; when they
    ///    are fewer than `k`, the lowest-indexed entries equal to `T` complete the answer.
    ///
    /// A bounded heap over every entry costs O(log k) per entry that beats the running k-th best, and when the best
    /// scores sit late in the array (a catalogue ordered by accession number, recent works most visited) that is
    /// most of them.
    public static func largest(_ scores: UnsafeBufferPointer<Float>, k: Int) -> [(index: Int, score: Float)] {
        guard k > 0, let base = scores.baseAddress else { return [] }
        let n = scores.count
        let width = blockWidth
        let blocks = n / width
        // Small inputs, or too few blocks to bound anything: the heap over every entry.
        guard blocks > k else { return heapLargest(scores, k: k) }
        let raw = UnsafeRawPointer(base)
        let stride = MemoryLayout<Float>.stride
        var maxima = [Float](repeating: -.infinity, count: blocks)
        maxima.withUnsafeMutableBufferPointer { m in
            for b in 0..<blocks {
                // Four vectors folded lane-wise, then the lanes halved four times (the standard library's `max()`
                // walks the lanes one by one through memory). Compare-and-replace ignores NaN: every comparison
                // with it is false.
                var top = SIMD16<Float>(repeating: -.infinity)
                for q in 0..<(width / 16) {
                    let v = raw.loadUnaligned(fromByteOffset: (b * width + q * 16) * stride, as: SIMD16<Float>.self)
                    top.replace(with: v, where: v .> top)
                }
                var h8 = top.lowHalf
                h8.replace(with: top.highHalf, where: top.highHalf .> h8)
                var h4 = h8.lowHalf
                h4.replace(with: h8.highHalf, where: h8.highHalf .> h4)
                var h2 = h4.lowHalf
                h2.replace(with: h4.highHalf, where: h4.highHalf .> h2)
                m[b] = Swift.max(h2[0], h2[1])
            }
        }
        // The k-th largest block maximum (the tail of fewer than `width` entries is scanned whole below).
        var sample = maxima
        let threshold = sample.withUnsafeMutableBufferPointer { kthLargest($0, k) }
        guard threshold > -Float.infinity else { return heapLargest(scores, k: k) }
        // Entries above `T` lie in fewer than k blocks; when they are fewer than k, the rest of the answer is the
        // entries equal to `T` with the lowest indices (often most of the catalogue shares one score, e.g. zero).
        var kept: [(index: Int, score: Float)] = []
        kept.reserveCapacity(2 * k)
        for b in 0..<blocks where maxima[b] > threshold {
            for i in (b * width)..<(b * width + width) where base[i] > threshold { kept.append((i, base[i])) }
        }
        for i in (blocks * width)..<n where base[i] > threshold { kept.append((i, base[i])) }
        if kept.count < k {
            var need = k - kept.count
            var i = 0
            let tie = SIMD16<Float>(repeating: threshold)
            while need > 0 && i + 16 <= blocks * width {
                if maxima[i / width] >= threshold, any(raw.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self) .== tie) {
                    for j in i..<(i + 16) where need > 0 && base[j] == threshold {
                        kept.append((j, threshold))
                        need -= 1
                    }
                }
                i += 16
            }
            for i in (blocks * width)..<n where need > 0 && base[i] == threshold {
                kept.append((i, threshold))
                need -= 1
            }
        } else {
            // The k best to the front (score descending, ties by the lower index).
            kept.withUnsafeMutableBufferPointer { partition(best: $0, k) }
            kept.removeLast(kept.count - k)
        }
        kept.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
        return kept
    }

    /// Entries per block of ``largest(_:k:)``'s first pass (a multiple of 16).
    static let blockWidth = 64

    /// Convenience over an array.
    public static func largest(_ scores: [Float], k: Int) -> [(index: Int, score: Float)] {
        scores.withUnsafeBufferPointer { largest($0, k: k) }
    }

    /// The bounded-heap selection over every entry (same contract as ``largest(_:k:)``): ``select(_:k:isExcluded:)``
    /// with −∞ excluded (it already skips NaN).
    static func heapLargest(_ scores: UnsafeBufferPointer<Float>, k: Int) -> [(index: Int, score: Float)] {
        select(scores, k: k) { scores[$0] == -.infinity }
    }

    /// The k-th largest value of `v` (1-based; NaN-free input assumed, −∞ allowed); reorders `v`.
    static func kthLargest(_ v: UnsafeMutableBufferPointer<Float>, _ k: Int) -> Float {
        var lo = 0, hi = v.count - 1
        let target = k - 1
        while lo < hi {
            // Median of three as the pivot, then a three-way partition (equal values are common: many −∞).
            let mid = lo + (hi - lo) / 2
            let a = v[lo], b = v[mid], c = v[hi]
            let pivot = max(min(a, b), min(max(a, b), c))
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                if v[i] > pivot { v.swapAt(lt, i); lt += 1; i += 1 } else if v[i] < pivot { v.swapAt(i, gt); gt -= 1 } else { i += 1 }
            }
            if target < lt { hi = lt - 1 } else if target > gt { lo = gt + 1 } else { return pivot }
        }
        return v[target]
    }

    /// Moves the `k` best entries (score descending, ties by lower index) of `v` to its front, in no order.
    static func partition(best v: UnsafeMutableBufferPointer<(index: Int, score: Float)>, _ k: Int) {
        guard k < v.count else { return }
        func better(_ a: (index: Int, score: Float), _ b: (index: Int, score: Float)) -> Bool {
            a.score > b.score || (a.score == b.score && a.index < b.index)
        }
        var lo = 0, hi = v.count - 1
        let target = k - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three by the total order (indices are distinct, so no two entries are equal).
            if better(v[mid], v[lo]) { v.swapAt(mid, lo) }
            if better(v[hi], v[lo]) { v.swapAt(hi, lo) }
            if better(v[hi], v[mid]) { v.swapAt(hi, mid) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while better(v[i], pivot) { i += 1 }
                while better(pivot, v[j]) { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if target <= j { hi = j } else if target >= i { lo = i } else { return }
        }
    }
}
