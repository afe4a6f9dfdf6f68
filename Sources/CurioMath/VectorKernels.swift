import CBLAS
import Foundation

/// Small dense-vector kernels over raw pointers for hot loops (written so the compiler vectorises them).
public enum VectorKernels {
    /// Σ x[i]·y[i], with 8-wide SIMD accumulators.
    @inlinable @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count n: Int) -> Float {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
        while i + 16 <= n {
            a0 += rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            a1 += rx.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
                * ry.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= n {
            a0 += rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var s = (a0 + a1).sum()
        while i < n {
            s += x[i] * y[i]
            i += 1
        }
        return s
    }

    /// y += a·x, with 8-wide SIMD.
    @inlinable @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let va = SIMD8<Float>(repeating: a)
        while i + 8 <= n {
            let v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                + va * rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] += a * x[i]
            i += 1
        }
    }

    /// Euclidean norm.
    @inlinable @inline(__always)
    public static func norm(_ x: UnsafePointer<Float>, count n: Int) -> Float { dot(x, x, count: n).squareRoot() }

    /// Scales `x` to unit Euclidean norm; leaves a zero vector unchanged. Returns the original norm.
    @inlinable @discardableResult
    public static func normalize(_ x: UnsafeMutablePointer<Float>, count n: Int) -> Float {
        let length = norm(x, count: n)
        if length > 0 {
            let inv = 1 / length
            for i in 0..<n { x[i] *= inv }
        }
        return length
    }

    /// Asks the CPU to start loading the cache lines covering `byteCount` bytes from `address` (for writing), so
    /// that a loop over randomly placed rows can overlap the memory latency of the next rows with work on the
    /// current one. A hint only: it never faults and never changes results.
    @inlinable @inline(__always)
    public static func prefetch(_ address: UnsafeRawPointer, byteCount: Int = 64) {
        var offset = 0
        repeat {
            curio_prefetch(address + offset)
            offset += 64
        } while offset < byteCount
    }

    /// The logistic function 1 / (1 + e^(−x)).
    @inlinable @inline(__always)
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
