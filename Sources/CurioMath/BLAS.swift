import CBLAS

/// Thin, typed entry points into OpenBLAS. All matrices are row-major `Float`.
///
/// This is the only module that imports the C BLAS shim; other modules call these functions.
public enum BLAS {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices.
    ///
    /// - Parameters:
    ///   - m, n, k: `op(A)` is m×k, `op(B)` is k×n, `C` is m×n.
    ///   - lda, ldb, ldc: row strides (defaults: the packed widths).
    public static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
                             b: UnsafePointer<Float>, ldb: Int? = nil,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    /// `y = alpha · op(A) · x + beta · y` for a row-major m×n matrix A.
    public static func sgemv(trans: Bool = false, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>,
                             lda: Int? = nil, x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), alpha, a,
                    blasint(lda ?? n), x, 1, beta, y, 1)
    }

    /// Dot product of two length-n vectors.
    public static func sdot(n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(blasint(n), x, 1, y, 1)
    }

    /// `y += alpha · x`.
    public static func saxpy(n: Int, alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(n), alpha, x, 1, y, 1)
    }

    /// Number of threads OpenBLAS uses for one call.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
    }

    /// Sets the number of threads OpenBLAS uses; call with 1 when parallelising above BLAS.
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }
}
