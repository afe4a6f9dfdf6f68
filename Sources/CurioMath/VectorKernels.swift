import Foundation

/// Small dense-vector kernels over raw pointers for hot loops (written so the compiler vectorises them).
public enum VectorKernels {
    /// Σ x[i]·y[i].
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i + 4 <= n {
            s0 += x[i] * y[i]
            s1 += x[i + 1] * y[i + 1]
            s2 += x[i + 2] * y[i + 2]
            s3 += x[i + 3] * y[i + 3]
            i += 4
        }
        while i < n {
            s0 += x[i] * y[i]
            i += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// y += a·x.
    @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { y[i] += a * x[i] }
    }

    /// Euclidean norm.
    @inline(__always)
    public static func norm(_ x: UnsafePointer<Float>, count n: Int) -> Float { dot(x, x, count: n).squareRoot() }

    /// Scales `x` to unit Euclidean norm; leaves a zero vector unchanged. Returns the original norm.
    @discardableResult
    public static func normalize(_ x: UnsafeMutablePointer<Float>, count n: Int) -> Float {
        let length = norm(x, count: n)
        if length > 0 {
            let inv = 1 / length
            for i in 0..<n { x[i] *= inv }
        }
        return length
    }

    /// The logistic function 1 / (1 + e^(−x)).
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }
}

extension Matrix {
    /// Scales every row to unit Euclidean norm (zero rows stay zero).
    public mutating func normalizeRows() {
        let n = columns
        storage.withUnsafeMutableBufferPointer { s in
            for r in 0..<rows { VectorKernels.normalize(s.baseAddress! + r * n, count: n) }
        }
    }

    /// `self · x` for a vector of length `columns`, with sgemv.
    public func multiplied(byVector x: [Float]) -> [Float] {
        precondition(x.count == columns, "vector has \(x.count) values, expected \(columns)")
        var y = [Float](repeating: 0, count: rows)
        if rows == 0 || columns == 0 { return y }
        storage.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { yb in
                    BLAS.sgemv(m: rows, n: columns, a: a.baseAddress!, x: xb.baseAddress!, y: yb.baseAddress!)
                }
            }
        }
        return y
    }

    /// `selfᵀ · self` (columns × columns) with sgemm.
    public func gram() -> Matrix {
        var out = Matrix(rows: columns, columns: columns)
        if rows == 0 || columns == 0 { return out }
        storage.withUnsafeBufferPointer { a in
            out.storage.withUnsafeMutableBufferPointer { c in
                BLAS.sgemm(transA: true, m: columns, n: columns, k: rows, a: a.baseAddress!, lda: columns,
                           b: a.baseAddress!, ldb: columns, c: c.baseAddress!)
            }
        }
        return out
    }
}
