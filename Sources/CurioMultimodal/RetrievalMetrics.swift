import CurioMath
import Foundation

/// How well one set of vectors finds its partners in another (query `i`'s only relevant candidate is candidate `i`).
public struct RetrievalScores: Codable, Sendable, Hashable {
    /// Queries evaluated.
    public var queries: Int
    /// Share of queries whose partner is ranked first.
    public var recallAt1: Double
    /// Share of queries whose partner is among the first ten.
    public var recallAt10: Double
    /// Mean reciprocal rank of the partner.
    public var mrr: Double

    public init(queries: Int, recallAt1: Double, recallAt10: Double, mrr: Double) {
        self.queries = queries
        self.recallAt1 = recallAt1
        self.recallAt10 = recallAt10
        self.mrr = mrr
    }

    enum CodingKeys: String, CodingKey {
        case queries, mrr
        case recallAt1 = "recall@1", recallAt10 = "recall@10"
    }
}

/// Precision of nearest neighbours sharing a label (same artist, same century), against chance.
public struct NeighbourPrecision: Codable, Sendable, Hashable {
    /// Items used as queries (those whose label at least one other item shares).
    public var queries: Int
    /// Mean share of each query's `k` nearest neighbours with the query's label.
    public var precision: Double
    /// The same share for neighbours drawn at random: mean of (items with the label − 1) / (items − 1).
    public var chance: Double
    public var k: Int
}

/// Retrieval metrics over unit-length vectors (scores are inner products, computed with sgemm in blocks).
public enum RetrievalMetrics {
    /// The rank (from 1) of candidate `i` for query `i`, for every query; ties count against the partner.
    public static func partnerRanks(queries: Matrix, candidates: Matrix) -> [Int] {
        precondition(queries.rows == candidates.rows && queries.columns == candidates.columns, "queries and candidates must pair up")
        let n = queries.rows, d = queries.columns
        guard n > 0 else { return [] }
        var ranks = [Int](repeating: 1, count: n)
        let block = 256
        var scores = [Float](repeating: 0, count: min(block, n) * n)
        var start = 0
        while start < n {
            let rows = min(block, n - start)
            queries.storage.withUnsafeBufferPointer { q in
                candidates.storage.withUnsafeBufferPointer { c in
                    scores.withUnsafeMutableBufferPointer { s in
                        BLAS.sgemm(transB: true, m: rows, n: n, k: d, a: q.baseAddress! + start * d, b: c.baseAddress!,
                                   c: s.baseAddress!)
                    }
                }
            }
            for r in 0..<rows {
                let i = start + r
                let own = scores[r * n + i]
                var better = 0
                for j in 0..<n where j != i && scores[r * n + j] >= own { better += 1 }
                ranks[i] = better + 1
            }
            start += rows
        }
        return ranks
    }

    /// Recall@1, recall@10 and MRR of partner retrieval (query `i` should find candidate `i`).
    public static func paired(queries: Matrix, candidates: Matrix) -> RetrievalScores {
        let ranks = partnerRanks(queries: queries, candidates: candidates)
        guard !ranks.isEmpty else { return RetrievalScores(queries: 0, recallAt1: 0, recallAt10: 0, mrr: 0) }
        let n = Double(ranks.count)
        return RetrievalScores(queries: ranks.count,
                               recallAt1: Double(ranks.filter { $0 == 1 }.count) / n,
                               recallAt10: Double(ranks.filter { $0 <= 10 }.count) / n,
                               mrr: ranks.reduce(0) { $0 + 1 / Double($1) } / n)
    }

    /// Precision@k of same-label nearest neighbours among the labelled rows of `vectors` (unit rows), and chance.
    ///
    /// Rows with a nil label are left out entirely; rows whose label no other row shares are not used as queries.
    public static func neighbourPrecision(vectors: Matrix, labels: [String?], k: Int) -> NeighbourPrecision {
        precondition(labels.count == vectors.rows, "one label per row")
        let kept = labels.indices.filter { labels[$0] != nil }
        var storage: [Float] = []
        storage.reserveCapacity(kept.count * vectors.columns)
        for i in kept { storage += vectors.row(i) }
        let m = Matrix(rows: kept.count, columns: vectors.columns, storage: storage)
        let keptLabels = kept.map { labels[$0]! }
        var sizes: [String: Int] = [:]
        for l in keptLabels { sizes[l, default: 0] += 1 }
        let queryRows = keptLabels.indices.filter { sizes[keptLabels[$0]]! >= 2 }
        guard !queryRows.isEmpty, kept.count > 1 else { return NeighbourPrecision(queries: 0, precision: 0, chance: 0, k: k) }
        var qStorage: [Float] = []
        qStorage.reserveCapacity(queryRows.count * m.columns)
        for i in queryRows { qStorage += m.row(i) }
        let index = ExactVectorIndex(vectors: m)
        var precision = 0.0, chance = 0.0
        let results = index.search(Matrix(rows: queryRows.count, columns: m.columns, storage: qStorage), k: k + 1,
                                   isExcluded: { _ in false })
        for (q, row) in queryRows.enumerated() {
            let hits = results[q].filter { $0.index != row }.prefix(k)
            precision += Double(hits.filter { keptLabels[$0.index] == keptLabels[row] }.count) / Double(k)
            chance += Double(sizes[keptLabels[row]]! - 1) / Double(kept.count - 1)
        }
        let n = Double(queryRows.count)
        return NeighbourPrecision(queries: queryRows.count, precision: precision / n, chance: chance / n, k: k)
    }
}
