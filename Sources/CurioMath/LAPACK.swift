import CBLAS

/// Typed wrappers over the LAPACK routines OpenBLAS exports (Cholesky factorisation, inverse and solve).
///
/// Matrices are symmetric, so row- versus column-major order does not matter for the input; results are
/// returned with both triangles filled.
public enum LAPACK {
    /// Replaces a symmetric positive definite matrix with its inverse (`spotrf` then `spotri`).
    ///
    /// Complexity: O(n³). Memory: in place.
    /// - Throws: ``MathError/notPositiveDefinite(routine:info:)`` when the matrix is not positive definite.
    public static func invertSymmetricPositiveDefinite(_ matrix: inout Matrix) throws(MathError) {
        guard matrix.rows == matrix.columns else {
            throw .shapeMismatch(operation: "Cholesky inverse", left: "\(matrix.rows)×\(matrix.columns)", right: "square")
        }
        let n = matrix.rows
        if n == 0 { return }
        var info: Int32 = 0
        var size = Int32(n)
        var lda = Int32(n)
        var uplo = CChar(UInt8(ascii: "L"))
        matrix.storage.withUnsafeMutableBufferPointer { a in
            spotrf_(&uplo, &size, a.baseAddress!, &lda, &info)
        }
        if info > 0 { throw .notPositiveDefinite(routine: "spotrf", info: Int(info)) }
        if info < 0 { throw .lapackArgument(routine: "spotrf", info: Int(info)) }
        matrix.storage.withUnsafeMutableBufferPointer { a in
            spotri_(&uplo, &size, a.baseAddress!, &lda, &info)
        }
        if info > 0 { throw .notPositiveDefinite(routine: "spotri", info: Int(info)) }
        if info < 0 { throw .lapackArgument(routine: "spotri", info: Int(info)) }
        // Column-major lower triangle = row-major upper triangle: mirror it into the lower one.
        matrix.storage.withUnsafeMutableBufferPointer { a in
            for r in 0..<n {
                for c in 0..<r { a[r * n + c] = a[c * n + r] }
            }
        }
    }

    /// Solves `A · x = b` in place for a symmetric positive definite `n×n` matrix `a` (row-major or column-major,
    /// it is symmetric) and one right-hand side; `a` is overwritten by its Cholesky factor.
    ///
    /// Complexity: O(n³/3 + n²).
    /// - Throws: ``MathError/notPositiveDefinite(routine:info:)``.
    public static func solveSymmetricPositiveDefinite(n: Int, a: UnsafeMutablePointer<Float>,
                                                      b: UnsafeMutablePointer<Float>) throws(MathError) {
        if n == 0 { return }
        var info: Int32 = 0
        var size = Int32(n)
        var lda = Int32(n)
        var one: Int32 = 1
        var uplo = CChar(UInt8(ascii: "L"))
        spotrf_(&uplo, &size, a, &lda, &info)
        if info > 0 { throw .notPositiveDefinite(routine: "spotrf", info: Int(info)) }
        if info < 0 { throw .lapackArgument(routine: "spotrf", info: Int(info)) }
        spotrs_(&uplo, &size, &one, a, &lda, b, &lda, &info)
        if info != 0 { throw .lapackArgument(routine: "spotrs", info: Int(info)) }
    }
}
