/// Draws indices with probability proportional to given weights in O(1) per draw (Walker's alias method).
///
/// Building the table is O(n). Weights must be finite and non-negative with a positive sum.
public struct AliasTable: Sendable {
    private var probability: [Double]
    private var alias: [Int32]

    /// Number of outcomes.
    public var count: Int { probability.count }

    /// Builds the table.
    /// - Throws: ``MathError/invalidParameter(name:value:reason:)`` for empty, negative, non-finite or all-zero weights.
    public init(weights: [Double]) throws(MathError) {
        let n = weights.count
        guard n > 0 else { throw .invalidParameter(name: "weights", value: 0, reason: "needs at least one weight") }
        var total = 0.0
        for (i, w) in weights.enumerated() {
            guard w.isFinite, w >= 0 else {
                throw .invalidParameter(name: "weights[\(i)]", value: w, reason: "must be finite and non-negative")
            }
            total += w
        }
        guard total > 0 else { throw .invalidParameter(name: "weights", value: 0, reason: "sum to zero") }
        var scaled = weights.map { $0 * Double(n) / total }
        probability = [Double](repeating: 1, count: n)
        alias = [Int32](repeating: 0, count: n)
        var small: [Int] = []
        var large: [Int] = []
        for i in 0..<n {
            alias[i] = Int32(i)
            if scaled[i] < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.popLast() {
            guard let l = large.last else {
                probability[s] = 1
                continue
            }
            probability[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for l in large { probability[l] = 1 }
    }

    /// One draw.
    @inline(__always)
    public func sample(using random: inout SeededRandom) -> Int {
        let i = random.nextInt(below: probability.count)
        return random.nextDouble() < probability[i] ? i : Int(alias[i])
    }
}
