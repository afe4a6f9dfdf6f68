import CBLAS
import Foundation

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

    /// The kernel family OpenBLAS selected for this CPU (e.g. `SkylakeX`, `Haswell`). `Prescott` means generic
    /// SSE3 kernels — several times slower on modern CPUs; see ``suggestedCoreType(cpuFlags:)``.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The `OPENBLAS_CORETYPE` value that restores fast kernels when OpenBLAS fell back to generic ones (older
    /// releases, such as Debian 12's 0.3.21, do not recognise newer CPUs like Sapphire/Emerald Rapids and pick
    /// `Prescott`), or nil when its own choice is fine. OpenBLAS reads the variable when it is loaded, so it must be
    /// set in the environment before the process starts (the Makefile does this).
    /// - Parameter cpuFlags: the CPU feature flags; by default read from `/proc/cpuinfo`.
    public static func suggestedCoreType(cpuFlags: Set<String>? = nil) -> String? {
        guard coreName == "Prescott" || cpuFlags != nil else { return nil }
        var flags = cpuFlags ?? []
        if cpuFlags == nil, let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) {
            flags = Set(line.split(separator: " ").map(String.init))
        }
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// Sets the number of threads OpenBLAS uses; call with 1 when parallelising above BLAS.
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }
}
