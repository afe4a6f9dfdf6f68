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
        let facts = items.map { id -> (makers: Set<AgentID>, movements: Set<ConceptID>, subjects: Set<ConceptID>, year: Int?) in
            guard let item = catalog.item(id) else { return ([], [], [], nil) }
            var subjects: Set<ConceptID> = []
            for s in item.subjects {
                subjects.insert(s)
                for c in catalog.lineage(s).dropFirst() where c.level > 0 { subjects.insert(c.id) }
            }
            return (Set(item.makers.map(\.agent)), Set(item.movements), subjects, item.date?.midYear)
        }
        func jaccard<T>(_ a: Set<T>, _ b: Set<T>) -> Double {
            if a.isEmpty || b.isEmpty { return 0 }
            let shared = a.intersection(b).count
            return Double(shared) / Double(a.count + b.count - shared)
        }
        var out = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            out[i * n + i] = 1
            for j in (i + 1)..<max(i + 1, n) {
                let a = facts[i], b = facts[j]
                var s = 0.0
                if !a.makers.isDisjoint(with: b.makers) { s += 0.35 }
                s += 0.25 * jaccard(a.movements, b.movements)
                s += 0.25 * jaccard(a.subjects, b.subjects)
                if let ya = a.year, let yb = b.year { s += 0.15 * exp(-Double(abs(ya - yb)) / 30) }
                out[i * n + j] = Float(s)
                out[j * n + i] = Float(s)
            }
        }
        return out
    }
}
