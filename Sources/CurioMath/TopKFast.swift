extension TopK {
    /// The `k` largest finite entries (NaN and −∞ skipped), best first, ties broken by the lower index.
    ///
    /// Same result as ``select(_:k:isExcluded:)`` without an exclusion closure, but built for serving (mark excluded
    /// items −∞ first): once `k` entries are held, blocks of sixteen scores none of which beats the current k-th best
    /// are passed over with one vector comparison, and an entry that does beat it replaces the worst in a bounded
    /// min-heap (O(log k)), so the scan runs at memory speed even for k in the hundreds.
    public static func largest(_ scores: UnsafeBufferPointer<Float>, k: Int) -> [(index: Int, score: Float)] {
        guard k > 0, let base = scores.baseAddress else { return [] }
        let n = scores.count
        // Min-heap of the best entries so far, the worst at the root. Entries arrive in index order, so a later entry
        // with an equal score is worse than every kept one: only strictly greater scores enter.
        var heap: [(index: Int, score: Float)] = []
        heap.reserveCapacity(min(k, n))
        func worse(_ a: (index: Int, score: Float), _ b: (index: Int, score: Float)) -> Bool {
            a.score < b.score || (a.score == b.score && a.index > b.index)
        }
        func siftDown(_ start: Int) {
            var i = start
            let count = heap.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < count, worse(heap[l], heap[m]) { m = l }
                if r < count, worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        func push(_ i: Int, _ s: Float) {
            heap.append((i, s))
            var c = heap.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                guard worse(heap[c], heap[p]) else { break }
                heap.swapAt(c, p)
                c = p
            }
        }
        var i = 0
        // Fill phase: the first k entries that are neither NaN nor −∞.
        while i < n && heap.count < k {
            let s = base[i]
            if s > -Float.infinity { push(i, s) }
            i += 1
        }
        if heap.count == k {
            var threshold = heap[0].score
            func offer(_ j: Int, _ s: Float) {
                guard s > threshold else { return }
                heap[0] = (j, s)
                siftDown(0)
                threshold = heap[0].score
            }
            let raw = UnsafeRawPointer(base)
            while i + 16 <= n {
                let block = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<Float>.stride, as: SIMD16<Float>.self)
                if any(block .> SIMD16<Float>(repeating: threshold)) {
                    for lane in 0..<16 { offer(i + lane, block[lane]) }
                }
                i += 16
            }
            while i < n {
                offer(i, base[i])
                i += 1
            }
        }
        return heap.sorted { worse($1, $0) }
    }

    /// Convenience over an array.
    public static func largest(_ scores: [Float], k: Int) -> [(index: Int, score: Float)] {
        scores.withUnsafeBufferPointer { largest($0, k: k) }
    }
}
