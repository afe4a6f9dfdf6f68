import CurioCore
import CurioMath
import Foundation

/// Content vectors of the catalogue items, one row per item in catalogue order, L2-normalised.
///
/// Either dense (embeddings from the text, image or graph encoders: `[ItemID: [Float]]` or a ``Matrix``) or sparse
/// (the hashed metadata features of ``MetadataFeatureEncoder``). Items without a vector have a zero row: content
/// models can still rank them (score 0) but never find them similar to anything.
public struct ItemFeatures: Sendable, Equatable {
    /// The two representations.
    public enum Storage: Sendable, Equatable {
        case dense(Matrix)
        case sparse(SparseMatrix)
    }

    public private(set) var storage: Storage

    /// For sparse features, candidate neighbours come only from features shared by at most this many items
    /// (common features such as `medium:paper` still count in the similarity, they just do not generate candidates).
    public static let candidateFeatureLimit = 3_000

    /// Wraps dense vectors (rows = items), normalising each row.
    public init(dense: Matrix) {
        var m = dense
        m.normalizeRows()
        storage = .dense(m)
    }

    /// Wraps sparse vectors (rows = items), normalising each row.
    public init(sparse: SparseMatrix) {
        let norms = (0..<sparse.rows).map { r in
            sparse.range(ofRow: r).reduce(Float(0)) { $0 + sparse.values[$1] * sparse.values[$1] }.squareRoot()
        }
        storage = .sparse(sparse.mapValues { r, _, v in norms[r] > 0 ? v / norms[r] : 0 })
    }

    /// Lays out externally produced vectors in catalogue order.
    ///
    /// - Returns: the features and the number of catalogue items that had no vector (zero rows).
    /// - Throws: ``RecommendError/invalidData(_:)`` when vectors differ in length or hold non-finite values.
    public static func from(vectors: [ItemID: [Float]], catalogue: [ItemID]) throws(RecommendError) -> (features: ItemFeatures, missing: Int) {
        guard let d = vectors.values.first?.count, d > 0 else {
            throw .invalidData("no content vectors were given")
        }
        var m = Matrix(rows: catalogue.count, columns: d)
        var missing = 0
        for (i, id) in catalogue.enumerated() {
            guard let v = vectors[id] else {
                missing += 1
                continue
            }
            guard v.count == d else { throw .invalidData("content vector of \(id) has \(v.count) values, expected \(d)") }
            guard v.allSatisfy(\.isFinite) else { throw .invalidData("content vector of \(id) holds a non-finite value") }
            for c in 0..<d { m[i, c] = v[c] }
        }
        return (ItemFeatures(dense: m), missing)
    }

    /// Number of items (rows).
    public var itemCount: Int {
        switch storage {
        case let .dense(m): m.rows
        case let .sparse(s): s.rows
        }
    }

    /// Length of a vector.
    public var dimension: Int {
        switch storage {
        case let .dense(m): m.columns
        case let .sparse(s): s.columns
        }
    }

    /// Adds `weight · row(item)` into the dense vector `u` (length ``dimension``).
    public func accumulate(item: Int, weight: Float, into u: inout [Float]) {
        guard item >= 0, item < itemCount else { return }
        switch storage {
        case let .dense(m):
            let d = m.columns
            m.storage.withUnsafeBufferPointer { f in
                u.withUnsafeMutableBufferPointer { o in
                    VectorKernels.axpy(weight, f.baseAddress! + item * d, o.baseAddress!, count: d)
                }
            }
        case let .sparse(s):
            u.withUnsafeMutableBufferPointer { o in s.accumulateRow(item, weight: weight, into: o.baseAddress!) }
        }
    }

    /// `row(i) · u` for every item.
    public func scores(for u: [Float]) -> [Float] {
        switch storage {
        case let .dense(m):
            return m.multiplied(byVector: u)
        case let .sparse(s):
            var out = [Float](repeating: 0, count: s.rows)
            s.columnIndices.withUnsafeBufferPointer { cols in
                s.values.withUnsafeBufferPointer { vals in
                    u.withUnsafeBufferPointer { x in
                        for r in 0..<s.rows {
                            var acc: Float = 0
                            for p in s.rowPointers[r]..<s.rowPointers[r + 1] { acc += vals[p] * x[Int(cols[p])] }
                            out[r] = acc
                        }
                    }
                }
            }
            return out
        }
    }

    /// Cosine similarity of two items (rows are normalised, so this is their dot product).
    public func cosine(_ a: Int, _ b: Int) -> Float {
        guard a >= 0, b >= 0, a < itemCount, b < itemCount else { return 0 }
        switch storage {
        case let .dense(m):
            return m.storage.withUnsafeBufferPointer { f in
                VectorKernels.dot(f.baseAddress! + a * m.columns, f.baseAddress! + b * m.columns, count: m.columns)
            }
        case let .sparse(s):
            return ItemGraph.sparseDot(s, a, b)
        }
    }

    /// Whether item `i` has a non-zero vector.
    public func hasVector(_ i: Int) -> Bool {
        guard i >= 0, i < itemCount else { return false }
        switch storage {
        case let .dense(m): return m.storage[(i * m.columns)..<((i + 1) * m.columns)].contains { $0 != 0 }
        case let .sparse(s): return s.rowCount(i) > 0
        }
    }

    /// The features with extra rows appended (new catalogue items), normalised like the rest.
    /// - Throws: ``RecommendError/invalidData(_:)`` when the new rows are of another kind or dimension.
    public func appending(_ other: ItemFeatures) throws(RecommendError) -> ItemFeatures {
        switch (storage, other.storage) {
        case let (.dense(a), .dense(b)):
            guard a.columns == b.columns else { throw .invalidData("new content vectors have \(b.columns) values, expected \(a.columns)") }
            var copy = self
            copy.storage = .dense(Matrix(rows: a.rows + b.rows, columns: a.columns, storage: a.storage + b.storage))
            return copy
        case let (.sparse(a), .sparse(b)):
            guard a.columns == b.columns else { throw .invalidData("new feature rows have dimension \(b.columns), expected \(a.columns)") }
            let entries = a.entries + b.entries.map { SparseMatrix.Entry(row: $0.row + a.rows, column: $0.column, value: $0.value) }
            do {
                var copy = self
                copy.storage = .sparse(try SparseMatrix(rows: a.rows + b.rows, columns: a.columns, entries: entries))
                return copy
            } catch {
                throw .invalidData(error.description)
            }
        default:
            throw .invalidData("cannot mix dense and sparse content vectors")
        }
    }

    /// A dense `dimensions`-wide sketch of the features by a seeded sparse random projection (Achlioptas), rows
    /// re-normalised; preserves cosines approximately. Used to hand metadata features to dense-only peers.
    public func projected(dimensions: Int, seed: UInt64) -> ItemFeatures {
        let n = itemCount
        var out = Matrix(rows: n, columns: dimensions)
        let scale = Float(1 / Double(dimensions).squareRoot())
        func projectionRow(_ feature: Int) -> [Float] {
            var rng = SeededRandom(seed: seed, stream: UInt64(feature))
            return (0..<dimensions).map { _ in
                let u = rng.nextInt(below: 6)
                return u == 0 ? scale * 1.732 : (u == 1 ? -scale * 1.732 : 0)
            }
        }
        switch storage {
        case let .dense(m):
            var cache: [Int: [Float]] = [:]
            for c in 0..<m.columns { cache[c] = projectionRow(c) }
            for r in 0..<n {
                for c in 0..<m.columns where m[r, c] != 0 {
                    let row = cache[c] ?? []
                    for k in 0..<dimensions { out[r, k] += m[r, c] * row[k] }
                }
            }
        case let .sparse(s):
            var cache: [Int32: [Float]] = [:]
            for r in 0..<n {
                for p in s.range(ofRow: r) {
                    let f = s.columnIndices[p]
                    let row: [Float]
                    if let cached = cache[f] { row = cached } else {
                        row = projectionRow(Int(f))
                        cache[f] = row
                    }
                    let v = s.values[p]
                    for k in 0..<dimensions { out[r, k] += v * row[k] }
                }
            }
        }
        return ItemFeatures(dense: out)
    }

    /// The dense matrix of vectors (for export); sparse features are expanded, so only for small dimensions.
    public var denseMatrix: Matrix? {
        if case let .dense(m) = storage { return m }
        return nil
    }

    // MARK: Artefact encoding

    func tensors(prefix: String) -> [String: ModelArtefact.Tensor] {
        switch storage {
        case let .dense(m):
            return ["\(prefix)dense": .float32(m.storage, shape: [m.rows, m.columns])]
        case let .sparse(s):
            return ["\(prefix)pointers": .int32(s.rowPointers.map { Int32(clamping: $0) }, shape: [s.rows + 1]),
                    "\(prefix)columns": .int32(s.columnIndices, shape: [s.nonZeroCount]),
                    "\(prefix)values": .float32(s.values, shape: [s.nonZeroCount]),
                    "\(prefix)dimension": .int32([Int32(clamping: s.columns)], shape: [1])]
        }
    }

    static func decode(from artefact: ModelArtefact, prefix: String, items: Int) throws(RecommendError) -> ItemFeatures {
        if case let .float32(values, shape)? = artefact.tensors["\(prefix)dense"] {
            guard shape.count == 2, shape[0] == items else {
                throw .badArtefact(path: artefact.source, reason: "content matrix has shape \(shape), expected \(items) rows")
            }
            var f = ItemFeatures(dense: Matrix(rows: 0, columns: 0))
            f.storage = .dense(Matrix(rows: shape[0], columns: shape[1], storage: values))
            return f
        }
        let pointers = try artefact.ints("\(prefix)pointers", count: items + 1).map(Int.init)
        let columns = try artefact.ints("\(prefix)columns")
        let values = try artefact.floats("\(prefix)values", count: columns.count)
        let dimension = try artefact.ints("\(prefix)dimension", count: 1)[0]
        do {
            let s = try SparseMatrix(rows: items, columns: Int(dimension), rowPointers: pointers, columnIndices: columns, values: values)
            var f = ItemFeatures(dense: Matrix(rows: 0, columns: 0))
            f.storage = .sparse(s)
            return f
        } catch {
            throw .badArtefact(path: artefact.source, reason: "content features: \(error.description)")
        }
    }
}
