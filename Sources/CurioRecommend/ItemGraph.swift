import CurioCore
import CurioMath
import Foundation

/// A sparse item–item graph: each row holds an item's strongest neighbours and their weights.
///
/// Built by ``ItemGraph/cooccurrence(_:neighbours:normalise:)`` (co-occurrence in visitor histories) or
/// ``ItemGraph/contentNeighbours(_:neighbours:)`` (content similarity), and used by ItemKNN and the hybrid model.
/// Scoring a history is a sparse accumulation: O(Σ over history of row length).
public struct ItemGraph: Sendable, Equatable {
    /// Items × items weights (CSR); row i lists i's neighbours.
    public var weights: SparseMatrix

    public init(weights: SparseMatrix) {
        self.weights = weights
    }

    /// Number of items.
    public var itemCount: Int { weights.rows }

    /// `Σ_h weight_h · row(item_h)` into `scores` (added to what is there).
    public func accumulate(_ history: [HistoryEntry], into scores: inout [Float]) {
        scores.withUnsafeMutableBufferPointer { out in
            for entry in history where entry.item >= 0 && entry.item < weights.rows {
                weights.accumulateRow(entry.item, weight: entry.weight, into: out.baseAddress!)
            }
        }
    }

    /// `Σ_j v_j · row(j)` for a dense vector `v` of item scores (one propagation step over the graph).
    public func propagate(_ v: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: weights.columns)
        let n = min(v.count, weights.rows)
        out.withUnsafeMutableBufferPointer { o in
            v.withUnsafeBufferPointer { vb in
                guard let x = vb.baseAddress, let y = o.baseAddress else { return }
                // `v` is mostly zeros (a history's neighbours): blocks of eight zeros are passed over at once.
                let raw = UnsafeRawPointer(x)
                var j = 0
                while j + 8 <= n {
                    if any(raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) .!= SIMD8<Float>()) {
                        for q in j..<(j + 8) where x[q] != 0 { weights.accumulateRow(q, weight: x[q], into: y) }
                    }
                    j += 8
                }
                for q in j..<n where x[q] != 0 { weights.accumulateRow(q, weight: x[q], into: y) }
            }
        }
        return out
    }

    /// The neighbours of `item`, strongest first.
    public func neighbours(of item: Int, k: Int) -> [(index: Int, score: Float)] {
        guard item >= 0, item < weights.rows else { return [] }
        let range = weights.range(ofRow: item)
        let pairs = range.map { (Int(weights.columnIndices[$0]), weights.values[$0]) }
        return Array(pairs.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(k)).map { (index: $0.0, score: $0.1) }
    }

    /// Builds a graph from co-occurrence in visitor histories.
    ///
    /// `raw(i, j) = Σ_u x[u, i] · x[u, j]` over the rows of `x` (users × items); each pair is then transformed by
    /// `normalise(i, j, raw)`, and each item keeps its `neighbours` largest positive values (itself excluded).
    /// Complexity: O(Σ_u d_u²) time, O(items) scratch per thread; parallel over items, deterministic.
    public static func cooccurrence(_ x: SparseMatrix, neighbours: Int,
                                    normalise: @Sendable (Int, Int, Float) -> Float) -> ItemGraph {
        let xt = x.transposed()
        let n = x.columns
        let chunkCount = min(max(1, n), Parallel.processorCount * 8)
        var rows = [[(Int32, Float)]](repeating: [], count: n)
        rows.withUnsafeMutableBufferPointer { rowsBuffer in
            let out = rowsBuffer.baseAddress!
            Parallel.forEachChunkIndexed(count: n, chunks: chunkCount) { _, range in
                var accumulator = [Float](repeating: 0, count: n)
                var touched: [Int32] = []
                var candidates: [Float] = []
                for i in range {
                    touched.removeAll(keepingCapacity: true)
                    for p in xt.range(ofRow: i) {
                        let u = Int(xt.columnIndices[p])
                        let wi = xt.values[p]
                        for q in x.range(ofRow: u) {
                            let j = Int(x.columnIndices[q])
                            if j == i { continue }
                            if accumulator[j] == 0 { touched.append(Int32(j)) }
                            accumulator[j] += wi * x.values[q]
                        }
                    }
                    candidates.removeAll(keepingCapacity: true)
                    for j in touched {
                        candidates.append(normalise(i, Int(j), accumulator[Int(j)]))
                        accumulator[Int(j)] = 0
                    }
                    let best = TopK.select(candidates, k: neighbours) { candidates[$0] <= 0 || !candidates[$0].isFinite }
                    out[i] = best.map { (touched[$0.index], $0.score) }
                }
            }
        }
        return ItemGraph(weights: assemble(rows: rows, columns: n))
    }

    /// Builds a graph whose row i holds i's `neighbours` most similar items by cosine over content features.
    ///
    /// Sparse features use an inverted index; to stay tractable on large catalogues, candidates come only from
    /// features shared by at most ``ItemFeatures/candidateFeatureLimit`` items (scores still use all features).
    /// Dense features use blocked matrix products (sgemm). Rows of zero vectors stay empty.
    public static func contentNeighbours(_ features: ItemFeatures, neighbours: Int) -> ItemGraph {
        let n = features.itemCount
        var rows = [[(Int32, Float)]](repeating: [], count: n)
        switch features.storage {
        case let .sparse(m):
            let byFeature = m.transposed()
            let limit = max(ItemFeatures.candidateFeatureLimit, 1)
            rows.withUnsafeMutableBufferPointer { rowsBuffer in
                let out = rowsBuffer.baseAddress!
                Parallel.forEachChunkIndexed(count: n, chunks: min(n, Parallel.processorCount * 8)) { _, range in
                    var accumulator = [Float](repeating: 0, count: n)
                    var touched: [Int32] = []
                    var candidates: [Float] = []
                    for i in range {
                        touched.removeAll(keepingCapacity: true)
                        for p in m.range(ofRow: i) {
                            let f = Int(m.columnIndices[p])
                            if byFeature.rowCount(f) > limit { continue }
                            for q in byFeature.range(ofRow: f) {
                                let j = Int(byFeature.columnIndices[q])
                                if j == i || accumulator[j] != 0 { continue }
                                accumulator[j] = 1
                                touched.append(Int32(j))
                            }
                        }
                        candidates.removeAll(keepingCapacity: true)
                        for j in touched {
                            accumulator[Int(j)] = 0
                            candidates.append(sparseDot(m, i, Int(j)))
                        }
                        let best = TopK.select(candidates, k: neighbours) { candidates[$0] <= 0 }
                        out[i] = best.map { (touched[$0.index], $0.score) }
                    }
                }
            }
        case let .dense(matrix):
            let d = matrix.columns
            let block = 512
            let blocks = (n + block - 1) / block
            BLAS.withThreadCount(1) {
            rows.withUnsafeMutableBufferPointer { rowsBuffer in
                let out = rowsBuffer.baseAddress!
                matrix.storage.withUnsafeBufferPointer { f in
                    let base = f.baseAddress!
                    Parallel.forEachChunkIndexed(count: blocks, chunks: min(blocks, Parallel.processorCount * 2)) { _, range in
                        var products = [Float](repeating: 0, count: block * n)
                        for b in range {
                            let start = b * block
                            let m = min(block, n - start)
                            products.withUnsafeMutableBufferPointer { c in
                                BLAS.sgemm(transB: true, m: m, n: n, k: d, a: base + start * d, b: base,
                                           c: c.baseAddress!)
                            }
                            for r in 0..<m {
                                let i = start + r
                                // Itself and non-positive similarities never become neighbours.
                                products[r * n + i] = -.infinity
                                let best = products.withUnsafeBufferPointer { p in
                                    TopK.largest(UnsafeBufferPointer(rebasing: p[(r * n)..<((r + 1) * n)]), k: neighbours)
                                }
                                out[i] = best.filter { $0.score > 0 }.map { (Int32($0.index), $0.score) }
                            }
                        }
                    }
                }
            }
            }
        }
        return ItemGraph(weights: assemble(rows: rows, columns: n))
    }

    /// A copy whose rows are scaled so that the graph is symmetric-normalised: `w_ij / sqrt(d_i · d_j)` with
    /// `d` the row sums (as LightGCN and FREEDOM normalise their graphs).
    public func symmetricNormalised() -> ItemGraph {
        let sums = weights.rowSums()
        let scaled = weights.mapValues { i, j, v in
            let d = sums[i] * sums[j]
            return d > 0 ? v / d.squareRoot() : 0
        }
        return ItemGraph(weights: scaled)
    }

    /// A copy made symmetric by keeping, for each pair, the larger of the two directed weights.
    public func symmetrised() -> ItemGraph {
        let t = weights.transposed()
        var rows = [[(Int32, Float)]](repeating: [], count: weights.rows)
        for i in 0..<weights.rows {
            var merged: [Int32: Float] = [:]
            for p in weights.range(ofRow: i) { merged[weights.columnIndices[p]] = weights.values[p] }
            for p in t.range(ofRow: i) { merged[t.columnIndices[p]] = max(merged[t.columnIndices[p]] ?? 0, t.values[p]) }
            rows[i] = merged.map { ($0.key, $0.value) }
        }
        return ItemGraph(weights: ItemGraph.assemble(rows: rows, columns: weights.columns))
    }

    static func sparseDot(_ m: SparseMatrix, _ a: Int, _ b: Int) -> Float {
        var p = m.rowPointers[a], q = m.rowPointers[b]
        let pe = m.rowPointers[a + 1], qe = m.rowPointers[b + 1]
        var s: Float = 0
        while p < pe && q < qe {
            let ca = m.columnIndices[p], cb = m.columnIndices[q]
            if ca == cb {
                s += m.values[p] * m.values[q]
                p += 1
                q += 1
            } else if ca < cb {
                p += 1
            } else {
                q += 1
            }
        }
        return s
    }

    static func assemble(rows: [[(Int32, Float)]], columns: Int) -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: rows.count + 1)
        var cols: [Int32] = []
        var vals: [Float] = []
        cols.reserveCapacity(rows.reduce(0) { $0 + $1.count })
        vals.reserveCapacity(cols.capacity)
        for (i, row) in rows.enumerated() {
            for (c, v) in row.sorted(by: { $0.0 < $1.0 }) {
                cols.append(c)
                vals.append(v)
            }
            pointers[i + 1] = cols.count
        }
        // Rows are sorted and in range by construction.
        return (try? SparseMatrix(rows: rows.count, columns: columns, rowPointers: pointers, columnIndices: cols, values: vals))
            ?? SparseMatrix(rows: rows.count, columns: columns)
    }
}
