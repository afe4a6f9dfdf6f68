/// A dense row-major matrix of `Float`, stored contiguously.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var storage: [Float]

    /// A rows×columns matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    /// Wraps existing row-major storage; `storage.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Float]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) values, expected \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ r: Int) -> [Float] { Array(storage[(r * columns)..<((r + 1) * columns)]) }

    /// `self · other` computed with sgemm.
    public func multiplied(by other: Matrix, transposingOther: Bool = false) -> Matrix {
        let n = transposingOther ? other.rows : other.columns
        let k = transposingOther ? other.columns : other.rows
        precondition(columns == k, "inner dimensions differ: \(columns) vs \(k)")
        var out = Matrix(rows: rows, columns: n)
        storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                out.storage.withUnsafeMutableBufferPointer { c in
                    BLAS.sgemm(transB: transposingOther, m: rows, n: n, k: k,
                               a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
                }
            }
        }
        return out
    }
}
