/// Selects the `k` largest scores without sorting everything.
///
/// Complexity: O(n log k) with a bounded min-heap. Ties are broken by the lower index first,
/// so results are deterministic.
public enum TopK {
    /// Indices and scores of the `k` largest entries of `scores`, best first.
    /// - Parameter isExcluded: indices to skip (already seen items, bans).
    public static func select(_ scores: UnsafeBufferPointer<Float>, k: Int,
                              isExcluded: (Int) -> Bool = { _ in false }) -> [(index: Int, score: Float)] {
        guard k > 0 else { return [] }
        var heap: [(index: Int, score: Float)] = []
        heap.reserveCapacity(k + 1)
        // Min-heap ordered so that the worst kept entry sits at the root.
        func worse(_ a: (index: Int, score: Float), _ b: (index: Int, score: Float)) -> Bool {
            a.score < b.score || (a.score == b.score && a.index > b.index)
        }
        func siftUp(_ i: Int) {
            var i = i
            while i > 0 {
                let p = (i - 1) / 2
                if worse(heap[i], heap[p]) { heap.swapAt(i, p); i = p } else { break }
            }
        }
        func siftDown(_ i: Int) {
            var i = i
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, worse(heap[l], heap[m]) { m = l }
                if r < heap.count, worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in 0..<scores.count {
            let s = scores[i]
            if s.isNaN || isExcluded(i) { continue }
            if heap.count < k {
                heap.append((i, s))
                siftUp(heap.count - 1)
            } else if worse(heap[0], (i, s)) {
                heap[0] = (i, s)
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }
    }

    /// Convenience over an array.
    public static func select(_ scores: [Float], k: Int, isExcluded: (Int) -> Bool = { _ in false }) -> [(index: Int, score: Float)] {
        scores.withUnsafeBufferPointer { select($0, k: k, isExcluded: isExcluded) }
    }
}
