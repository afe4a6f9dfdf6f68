/// Nearest-neighbour search over a fixed set of vectors by inner product (cosine for unit-length vectors).
///
/// The seam between callers (semantic search, "similar items") and the index: ``ExactVectorIndex`` scores every
/// vector; an approximate index (HNSW, IVF) can implement the same protocol for larger collections.
public protocol VectorIndex: Sendable {
    /// Length of every vector.
    var dimension: Int { get }
    /// Number of indexed vectors.
    var count: Int { get }
    /// The `k` vectors with the largest inner product with each query, best first; indices are rows of the
    /// indexed set. `queries` holds one query per row (`rows × dimension`).
    /// - Parameter isExcluded: rows to skip (e.g. the query item itself).
    func search(_ queries: Matrix, k: Int, isExcluded: (Int) -> Bool) -> [[(index: Int, score: Float)]]
}

extension VectorIndex {
    /// The `k` best rows for one query vector.
    public func search(_ query: [Float], k: Int, isExcluded: (Int) -> Bool = { _ in false }) -> [(index: Int, score: Float)] {
        precondition(query.count == dimension, "query has \(query.count) values, the index \(dimension)")
        return search(Matrix(rows: 1, columns: dimension, storage: query), k: k, isExcluded: isExcluded)[0]
    }
}

/// Exact search: one sgemm scores all vectors against a block of queries, then a bounded heap keeps the top `k`.
///
/// Complexity: O(n·d) multiply-adds per query (BLAS speed) plus O(n log k) selection. Queries are scored in
/// blocks of at most 256 so the score matrix stays small.
public struct ExactVectorIndex: VectorIndex {
    /// The indexed vectors, one per row.
    public let vectors: Matrix

    /// Indexes the rows of `vectors`.
    public init(vectors: Matrix) {
        self.vectors = vectors
    }

    public var dimension: Int { vectors.columns }
    public var count: Int { vectors.rows }

    public func search(_ queries: Matrix, k: Int, isExcluded: (Int) -> Bool) -> [[(index: Int, score: Float)]] {
        precondition(queries.columns == dimension, "queries have \(queries.columns) columns, the index \(dimension)")
        guard count > 0, k > 0 else { return Array(repeating: [], count: queries.rows) }
        var results: [[(index: Int, score: Float)]] = []
        results.reserveCapacity(queries.rows)
        let block = 256
        var scores = [Float](repeating: 0, count: min(block, queries.rows) * count)
        var start = 0
        while start < queries.rows {
            let rows = min(block, queries.rows - start)
            queries.storage.withUnsafeBufferPointer { q in
                vectors.storage.withUnsafeBufferPointer { v in
                    scores.withUnsafeMutableBufferPointer { s in
                        BLAS.sgemm(transB: true, m: rows, n: count, k: dimension, a: q.baseAddress! + start * dimension,
                                   b: v.baseAddress!, c: s.baseAddress!)
                    }
                }
            }
            scores.withUnsafeBufferPointer { s in
                for r in 0..<rows {
                    let row = UnsafeBufferPointer(rebasing: s[(r * count)..<((r + 1) * count)])
                    results.append(TopK.select(row, k: k, isExcluded: isExcluded))
                }
            }
            start += rows
        }
        return results
    }
}
