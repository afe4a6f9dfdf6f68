import CurioMath
import Foundation

/// Makes OpenBLAS use the kernels this CPU deserves.
///
/// Debian 12's OpenBLAS 0.3.21 predates recent Xeon models: it does not recognise them and falls back to its
/// generic SSE3 ("Prescott") kernels, which are several times slower and, in its LAPACK Cholesky path, crash on some
/// matrix sizes (seen with `curio evaluate --models ease`). OpenBLAS reads `OPENBLAS_CORETYPE` only while the
/// library loads, before `main` runs, so when the variable is unset and ``CurioMath/BLAS/suggestedCoreType(cpuFlags:)``
/// names better kernels, `curio` sets it and executes itself again, once. `CURIO_OPENBLAS_AUTO=1` keeps OpenBLAS's
/// own choice.
enum OpenBLASCoreSelection {
    static func ensure() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["CURIO_OPENBLAS_AUTO"] == nil,
              let core = BLAS.suggestedCoreType() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        // Re-executing replaces this process; when it fails, carry on with the kernels already loaded.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
