/// A sparse matrix of `Float` in compressed sparse row (CSR) form.
///
/// Row `r` holds the entries `columnIndices[rowPointers[r]..<rowPointers[r+1]]` with their `values`, columns sorted
/// ascending and unique. The compressed sparse column (CSC) form of a matrix is the CSR form of its
/// ``transposed()``, so one type serves both.
///
/// Column indices are `Int32` to halve memory: a matrix may have at most `Int32.max` columns.
public struct SparseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows + 1` offsets into ``columnIndices`` and ``values``.
    public private(set) var rowPointers: [Int]
    /// Column of each stored entry, ascending within a row.
    public private(set) var columnIndices: [Int32]
    /// Value of each stored entry.
    public var values: [Float]

    /// One entry given as coordinates.
    public struct Entry: Sendable, Hashable {
        public var row: Int
        public var column: Int
        public var value: Float
        public init(row: Int, column: Int, value: Float) {
            self.row = row
            self.column = column
            self.value = value
        }
    }

    /// An empty rows×columns matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        rowPointers = [Int](repeating: 0, count: rows + 1)
        columnIndices = []
        values = []
    }

    /// Wraps CSR arrays after checking them.
    ///
    /// - Throws: ``MathError/malformedSparseMatrix(reason:)`` when the pointers are not monotone, an index is out of
    ///   range, or columns within a row are not strictly ascending.
    public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) throws(MathError) {
        guard rows >= 0, columns >= 0, columns <= Int(Int32.max) else {
            throw .malformedSparseMatrix(reason: "shape \(rows)×\(columns) is invalid")
        }
        guard rowPointers.count == rows + 1 else {
            throw .malformedSparseMatrix(reason: "\(rowPointers.count) row pointers for \(rows) rows (expected \(rows + 1))")
        }
        guard columnIndices.count == values.count else {
            throw .malformedSparseMatrix(reason: "\(columnIndices.count) column indices but \(values.count) values")
        }
        guard rowPointers.first == 0, rowPointers.last == values.count else {
            throw .malformedSparseMatrix(reason: "row pointers must run from 0 to \(values.count)")
        }
        for r in 0..<rows {
            let start = rowPointers[r], end = rowPointers[r + 1]
            guard start <= end else { throw .malformedSparseMatrix(reason: "row pointers decrease at row \(r)") }
            var previous: Int32 = -1
            for p in start..<end {
                let c = columnIndices[p]
                guard c >= 0, Int(c) < columns else {
                    throw .malformedSparseMatrix(reason: "column \(c) in row \(r) is outside 0..<\(columns)")
                }
                guard c > previous else {
                    throw .malformedSparseMatrix(reason: "columns of row \(r) are not strictly ascending at \(c)")
                }
                previous = c
            }
        }
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Builds a matrix from coordinate entries; entries with the same coordinates are combined with `combine`
    /// (summed by default). Entries outside the shape are an error.
    ///
    /// Complexity: O(nnz + rows) with a counting sort, then O(nnz log d) to sort each row.
    public init(rows: Int, columns: Int, entries: [Entry],
                combine: (Float, Float) -> Float = { $0 + $1 }) throws(MathError) {
        guard rows >= 0, columns >= 0, columns <= Int(Int32.max) else {
            throw .malformedSparseMatrix(reason: "shape \(rows)×\(columns) is invalid")
        }
        var counts = [Int](repeating: 0, count: rows + 1)
        for e in entries {
            guard e.row >= 0, e.row < rows, e.column >= 0, e.column < columns else {
                throw .malformedSparseMatrix(reason: "entry (\(e.row), \(e.column)) is outside \(rows)×\(columns)")
            }
            counts[e.row + 1] += 1
        }
        for r in 0..<rows { counts[r + 1] += counts[r] }
        var cursor = counts
        var cols = [Int32](repeating: 0, count: entries.count)
        var vals = [Float](repeating: 0, count: entries.count)
        for e in entries {
            let p = cursor[e.row]
            cols[p] = Int32(e.column)
            vals[p] = e.value
            cursor[e.row] = p + 1
        }
        // Sort each row by column and merge duplicates.
        var outPointers = [Int](repeating: 0, count: rows + 1)
        var outCols: [Int32] = []
        var outVals: [Float] = []
        outCols.reserveCapacity(entries.count)
        outVals.reserveCapacity(entries.count)
        var order: [Int] = []
        for r in 0..<rows {
            let start = counts[r], end = counts[r + 1]
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: start..<end)
            // Stable sort keeps the given order of duplicates for `combine`.
            order.sort { cols[$0] < cols[$1] || (cols[$0] == cols[$1] && $0 < $1) }
            var last: Int32 = -1
            for p in order {
                if cols[p] == last {
                    outVals[outVals.count - 1] = combine(outVals[outVals.count - 1], vals[p])
                } else {
                    outCols.append(cols[p])
                    outVals.append(vals[p])
                    last = cols[p]
                }
            }
            outPointers[r + 1] = outCols.count
        }
        self.rows = rows
        self.columns = columns
        rowPointers = outPointers
        columnIndices = outCols
        values = outVals
    }

    /// Number of stored entries.
    public var nonZeroCount: Int { values.count }

    /// Number of stored entries in row `r`.
    @inlinable public func rowCount(_ r: Int) -> Int { rowPointers[r + 1] - rowPointers[r] }

    /// The storage range of row `r`, to index ``columnIndices`` and ``values``.
    @inlinable public func range(ofRow r: Int) -> Range<Int> { rowPointers[r]..<rowPointers[r + 1] }

    /// The value at (`row`, `column`), zero when not stored. Complexity: O(log d) by binary search.
    public subscript(row: Int, column: Int) -> Float {
        guard let p = position(row: row, column: column) else { return 0 }
        return values[p]
    }

    /// The storage position of (`row`, `column`), or nil when it is not stored.
    public func position(row: Int, column: Int) -> Int? {
        var lo = rowPointers[row], hi = rowPointers[row + 1]
        let target = Int32(column)
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = columnIndices[mid]
            if c == target { return mid }
            if c < target { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Whether (`row`, `column`) is stored.
    public func contains(row: Int, column: Int) -> Bool { position(row: row, column: column) != nil }

    /// The transpose, in CSR form (equivalently this matrix in CSC form). Complexity: O(nnz + rows + columns).
    public func transposed() -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: columns + 1)
        for c in columnIndices { pointers[Int(c) + 1] += 1 }
        for c in 0..<columns { pointers[c + 1] += pointers[c] }
        var cursor = pointers
        var cols = [Int32](repeating: 0, count: nonZeroCount)
        var vals = [Float](repeating: 0, count: nonZeroCount)
        for r in 0..<rows {
            for p in rowPointers[r]..<rowPointers[r + 1] {
                let c = Int(columnIndices[p])
                let q = cursor[c]
                cols[q] = Int32(r)
                vals[q] = values[p]
                cursor[c] = q + 1
            }
        }
        var t = SparseMatrix(rows: columns, columns: rows)
        t.rowPointers = pointers
        t.columnIndices = cols
        t.values = vals
        return t
    }

    /// Sum of each row.
    public func rowSums() -> [Float] {
        (0..<rows).map { r in
            var s: Float = 0
            for p in range(ofRow: r) { s += values[p] }
            return s
        }
    }

    /// Sum of each column.
    public func columnSums() -> [Float] {
        var sums = [Float](repeating: 0, count: columns)
        for p in 0..<nonZeroCount { sums[Int(columnIndices[p])] += values[p] }
        return sums
    }

    /// Number of stored entries per column.
    public func columnCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: columns)
        for c in columnIndices { counts[Int(c)] += 1 }
        return counts
    }

    /// A copy whose values are transformed by `transform(row, column, value)`; entries keep their positions.
    public func mapValues(_ transform: (Int, Int, Float) -> Float) -> SparseMatrix {
        var copy = self
        for r in 0..<rows {
            for p in range(ofRow: r) { copy.values[p] = transform(r, Int(columnIndices[p]), values[p]) }
        }
        return copy
    }

    /// The rows listed, in order, as a new matrix with the same columns.
    public func selectingRows(_ selected: [Int]) -> SparseMatrix {
        var pointers = [Int](repeating: 0, count: selected.count + 1)
        var cols: [Int32] = []
        var vals: [Float] = []
        for (k, r) in selected.enumerated() {
            cols.append(contentsOf: columnIndices[range(ofRow: r)])
            vals.append(contentsOf: values[range(ofRow: r)])
            pointers[k + 1] = cols.count
        }
        var m = SparseMatrix(rows: selected.count, columns: columns)
        m.rowPointers = pointers
        m.columnIndices = cols
        m.values = vals
        return m
    }

    /// All stored entries as coordinates, row by row.
    public var entries: [Entry] {
        var out: [Entry] = []
        out.reserveCapacity(nonZeroCount)
        for r in 0..<rows {
            for p in range(ofRow: r) { out.append(Entry(row: r, column: Int(columnIndices[p]), value: values[p])) }
        }
        return out
    }

    /// `self · dense` for a dense matrix with `columns` rows. Complexity: O(nnz · dense.columns).
    public func multiplied(by dense: Matrix) throws(MathError) -> Matrix {
        guard dense.rows == columns else {
            throw .shapeMismatch(operation: "sparse × dense", left: "\(rows)×\(columns)", right: "\(dense.rows)×\(dense.columns)")
        }
        let n = dense.columns
        var out = Matrix(rows: rows, columns: n)
        dense.storage.withUnsafeBufferPointer { b in
            out.storage.withUnsafeMutableBufferPointer { c in
                for r in 0..<rows {
                    let target = c.baseAddress! + r * n
                    for p in rowPointers[r]..<rowPointers[r + 1] {
                        let v = values[p]
                        let source = b.baseAddress! + Int(columnIndices[p]) * n
                        for j in 0..<n { target[j] += v * source[j] }
                    }
                }
            }
        }
        return out
    }

    /// `self · x` for a dense vector of length `columns`.
    public func multiplied(byVector x: [Float]) throws(MathError) -> [Float] {
        guard x.count == columns else {
            throw .shapeMismatch(operation: "sparse × vector", left: "\(rows)×\(columns)", right: "\(x.count)")
        }
        var y = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            var s: Float = 0
            for p in rowPointers[r]..<rowPointers[r + 1] { s += values[p] * x[Int(columnIndices[p])] }
            y[r] = s
        }
        return y
    }

    /// Adds `weight · row(r)` into a dense accumulator of length `columns`.
    @inlinable
    public func accumulateRow(_ r: Int, weight: Float, into accumulator: UnsafeMutablePointer<Float>) {
        let start = rowPointers[r], end = rowPointers[r + 1]
        columnIndices.withUnsafeBufferPointer { cols in
            values.withUnsafeBufferPointer { vals in
                for p in start..<end { accumulator[Int(cols[p])] += weight * vals[p] }
            }
        }
    }

    /// The dense Gram matrix `selfᵀ · self` restricted to the given columns (in that order), computed row by row.
    ///
    /// Used by EASE. Memory: `selected.count²` floats. Complexity: O(Σ_r d_r²) over the rows' selected entries.
    public func gram(columns selected: [Int]) -> Matrix {
        let m = selected.count
        var position = [Int32](repeating: -1, count: columns)
        for (k, c) in selected.enumerated() { position[c] = Int32(k) }
        var g = Matrix(rows: m, columns: m)
        var local: [(Int, Float)] = []
        g.storage.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                local.removeAll(keepingCapacity: true)
                for p in range(ofRow: r) {
                    let k = position[Int(columnIndices[p])]
                    if k >= 0 { local.append((Int(k), values[p])) }
                }
                for (a, va) in local {
                    let rowBase = out.baseAddress! + a * m
                    for (b, vb) in local { rowBase[b] += va * vb }
                }
            }
        }
        return g
    }
}
