import Foundation

/// Makes OpenBLAS use the kernels this CPU deserves.
///
/// Debian 12's OpenBLAS 0.3.21 predates recent Xeon models: it does not recognise them and falls back to its
/// generic SSE3 ("Prescott") kernels, which are several times slower and, in its LAPACK Cholesky path, crash on some
/// matrix sizes (seen with `curio evaluate --models ease`). OpenBLAS reads `OPENBLAS_CORETYPE` only while the
/// library loads, before `main` runs, so when the variable is unset and the CPU has AVX-512 or AVX2, `curio`
/// sets it and executes itself again, once. `CURIO_OPENBLAS_AUTO=1` keeps OpenBLAS's own choice.
enum OpenBLASCoreSelection {
    static func ensure() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["CURIO_OPENBLAS_AUTO"] == nil,
              let core = coreType() else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        // Re-executing replaces this process; when it fails, carry on with the kernels already loaded.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }

    /// `SkylakeX` for AVX-512, `Haswell` for AVX2 with FMA, nil otherwise (OpenBLAS's choice is then right).
    static func coreType() -> String? {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        return nil
    }
}
