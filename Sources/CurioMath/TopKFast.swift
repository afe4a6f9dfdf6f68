extension TopK {
    /// The `k` largest finite entries (NaN and −∞ skipped), best first, ties broken by the lower index.
    ///
    /// Same result as ``select(_:k:isExcluded:)`` without an exclusion closure, but with a tight first pass: once `k`
    /// candidates are held, an entry is only considered when it beats the current k-th best, which is rare, so the
    /// scan runs at memory speed. Use it for serving (mark excluded items −∞ first).
    public static func largest(_ scores: UnsafeBufferPointer<Float>, k: Int) -> [(index: Int, score: Float)] {
        guard k > 0, !scores.isEmpty else { return [] }
        var kept: [(index: Int, score: Float)] = []
        kept.reserveCapacity(k + 1)
        var threshold = -Float.infinity
        var i = 0
        let n = scores.count
        // Fill phase.
        while i < n && kept.count < k {
            let s = scores[i]
            if s > -Float.infinity { kept.append((i, s)) }
            i += 1
        }
        func better(_ a: (index: Int, score: Float), _ b: (index: Int, score: Float)) -> Bool {
            a.score > b.score || (a.score == b.score && a.index < b.index)
        }
        kept.sort(by: better)
        if kept.count == k { threshold = kept[k - 1].score }
        while i < n {
            let s = scores[i]
            if s > threshold {
                // Insert in order and drop the worst (k is small).
                var position = kept.count - 1
                while position > 0 && kept[position - 1].score < s { position -= 1 }
                kept.insert((i, s), at: position)
                kept.removeLast()
                threshold = kept[k - 1].score
            }
            i += 1
        }
        return kept
    }

    /// Convenience over an array.
    public static func largest(_ scores: [Float], k: Int) -> [(index: Int, score: Float)] {
        scores.withUnsafeBufferPointer { largest($0, k: k) }
    }
}
