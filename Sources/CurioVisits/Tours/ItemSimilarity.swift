import CurioCore
import CurioMath
import Foundation

/// Thematic similarity between items, in 0…1, used for the coherence term of tours.
///
/// Plug in whatever knows the collection best: text or image embeddings (``EmbeddingSimilarity``), the knowledge
/// graph, or catalogue metadata (``MetadataSimilarity``, the default).
public protocol ItemSimilarity: Sendable {
    /// Row-major n×n similarities between `items` (entry `i*n+j` is the similarity of `items[i]` and `items[j]`),
    /// each in 0…1. Values outside are clamped by the planner.
    func similarities(_ items: [ItemID]) -> [Float]
}

/// Similarity from a pairwise function (e.g. a knowledge-graph score).
public struct PairwiseSimilarity: ItemSimilarity {
    public let score: @Sendable (ItemID, ItemID) -> Double
    public init(_ score: @escaping @Sendable (ItemID, ItemID) -> Double) { self.score = score }

    public func similarities(_ items: [ItemID]) -> [Float] {
        let n = items.count
        var out = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let s = Float(score(items[i], items[j]))
                out[i * n + j] = s
                out[j * n + i] = s
            }
            out[i * n + i] = 1
        }
        return out
    }
}

/// Cosine similarity of item vectors (text or image embeddings), negative values cut to 0. Computed with one
/// sgemm; items without a vector have similarity 0 to everything else.
public struct EmbeddingSimilarity: ItemSimilarity {
    public let vectors: [ItemID: [Float]]
    public let dimension: Int

    /// - Throws: ``VisitError/badParameter(name:reason:)`` when vectors have different lengths.
    public init(vectors: [ItemID: [Float]]) throws {
        let dims = Set(vectors.values.map(\.count))
        guard dims.count <= 1 else {
            throw VisitError.badParameter(name: "vectors", reason: "have different lengths: \(dims.sorted())")
        }
        self.vectors = vectors
        self.dimension = dims.first ?? 0
    }

    public func similarities(_ items: [ItemID]) -> [Float] {
        let n = items.count, d = dimension
        guard n > 0, d > 0 else { return [Float](repeating: 0, count: n * n) }
        var m = [Float](repeating: 0, count: n * d)
        for (i, id) in items.enumerated() {
            guard let v = vectors[id] else { continue }
            var norm: Float = 0
            for x in v { norm += x * x }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            for k in 0..<d { m[i * d + k] = v[k] / norm }
        }
        var out = [Float](repeating: 0, count: n * n)
        m.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { c in
                BLAS.sgemm(transB: true, m: n, n: n, k: d, a: a.baseAddress!, b: a.baseAddress!, c: c.baseAddress!)
            }
        }
        for i in 0..<(n * n) { out[i] = min(max(out[i], 0), 1) }
        return out
    }
}

/// Similarity from catalogue facts: same maker (0.35), shared movements (0.25 × Jaccard), shared subjects
/// including their broader terms (0.25 × Jaccard), and closeness in date (0.15 × e^(−|Δyears|/30)).
public struct MetadataSimilarity: ItemSimilarity {
    public let catalog: VisitCatalog
    public init(catalog: VisitCatalog) { self.catalog = catalog }

    public func similarities(_ items: [ItemID]) -> [Float] {
        let n = items.count
        // Code every id as a small integer once; compare sorted integer lists (no hashing in the n² loop).
        var codes: [String: Int32] = [:]
        func code(_ key: String) -> Int32 {
            if let c = codes[key] { return c }
            let c = Int32(codes.count)
            codes[key] = c
            return c
        }
        var makers: [[Int32]] = [], movements: [[Int32]] = [], subjects: [[Int32]] = [], years: [Int?] = []
        for id in items {
            guard let item = catalog.item(id) else {
                makers.append([]); movements.append([]); subjects.append([]); years.append(nil)
                continue
            }
            var s: Set<Int32> = []
            for subject in item.subjects {
                s.insert(code("s:" + subject.rawValue))
                for c in catalog.lineage(subject).dropFirst() where c.level > 0 { s.insert(code("s:" + c.id.rawValue)) }
            }
            makers.append(Set(item.makers.map { code("a:" + $0.agent.rawValue) }).sorted())
            movements.append(Set(item.movements.map { code("m:" + $0.rawValue) }).sorted())
            subjects.append(s.sorted())
            years.append(item.date?.midYear)
        }
        func shared(_ a: [Int32], _ b: [Int32]) -> Int {
            var i = 0, j = 0, k = 0
            while i < a.count, j < b.count {
                if a[i] == b[j] { k += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
            }
            return k
        }
        func jaccard(_ a: [Int32], _ b: [Int32]) -> Double {
            if a.isEmpty || b.isEmpty { return 0 }
            let k = shared(a, b)
            return Double(k) / Double(a.count + b.count - k)
        }
        var out = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            out[i * n + i] = 1
            for j in (i + 1)..<max(i + 1, n) {
                var s = 0.0
                if shared(makers[i], makers[j]) > 0 { s += 0.35 }
                s += 0.25 * jaccard(movements[i], movements[j])
                s += 0.25 * jaccard(subjects[i], subjects[j])
                if let ya = years[i], let yb = years[j] { s += 0.15 * exp(-Double(abs(ya - yb)) / 30) }
                out[i * n + j] = Float(s)
                out[j * n + i] = Float(s)
            }
        }
        return out
    }
}
