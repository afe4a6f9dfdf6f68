import CurioMath
import Foundation

/// `curio-bench sgemm [--n 1024] [--threads T] [--repeat R]`: best-of-R GFLOP/s of an n×n×n sgemm.
enum SGEMMBenchmark {
    static func run(_ arguments: [String]) throws {
        let options = try BenchSupport.Options(arguments)
        if let shape = options.string("shape") {
            // --shape M,N,K: microseconds per call of C[M×N] = X[M×K]·W, with W stored [N×K] (transposed, as in
            // PyTorch checkpoints) and [K×N] (plain), single-threaded BLAS.
            let dims = shape.split(separator: ",").compactMap { Int($0) }
            guard dims.count == 3 else { throw BenchSupport.UsageError(description: "--shape M,N,K") }
            let (m, n, k) = (dims[0], dims[1], dims[2])
            BLAS.setThreadCount(try options.int("threads", default: 1))
            let x = [Float](repeating: 0.01, count: m * k), w = [Float](repeating: 0.02, count: n * k)
            var c = [Float](repeating: 0, count: m * n)
            var result: [String: Any] = ["benchmark": "sgemm-shape", "m": m, "n": n, "k": k]
            for transposed in [true, false] {
                var samples: [Double] = []
                for _ in 0..<200 {
                    samples.append(BenchSupport.time {
                        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in c.withUnsafeMutableBufferPointer { cp in
                            BLAS.sgemm(transB: transposed, m: m, n: n, k: k, a: xp.baseAddress!, b: wp.baseAddress!, c: cp.baseAddress!)
                        } } }
                    } * 1e6)
                }
                result[transposed ? "us_weights_nk" : "us_weights_kn"] = BenchSupport.quantile(samples, 0.5)
            }
            BenchSupport.emit(result)
            return
        }
        let n = try options.int("n", default: 1024)
        let repeats = try options.int("repeat", default: 10)
        let threads = try options.int("threads", default: ProcessInfo.processInfo.activeProcessorCount)
        BenchSupport.emit(["benchmark": "sgemm", "n": n, "threads": threads,
                           "gflops": gflops(n: n, threads: threads, repeats: repeats)])
    }

    /// Best GFLOP/s over `repeats` runs of an n×n×n sgemm with `threads` BLAS threads.
    static func gflops(n: Int, threads: Int, repeats: Int) -> Double {
        let previous = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previous) }
        var a = [Float](repeating: 0, count: n * n), b = a
        let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
        defer { c.deallocate() }
        var state: UInt32 = 12345
        for i in 0..<(n * n) {
            state = state &* 1_664_525 &+ 1_013_904_223
            a[i] = Float(state >> 8) / Float(1 << 24) - 0.5
            b[(i * 7) % (n * n)] = a[i]
        }
        var best = Double.infinity
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for r in 0..<(repeats + 1) {
                    let t = BenchSupport.time {
                        BLAS.sgemm(m: n, n: n, k: n, a: pa.baseAddress!, b: pb.baseAddress!, c: c)
                    }
                    if r > 0 { best = min(best, t) }  // the first run warms up caches and threads
                }
            }
        }
        return 2 * Double(n) * Double(n) * Double(n) / best / 1e9
    }
}
