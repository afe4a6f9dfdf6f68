import CurioMath
import CurioNeural
import Foundation

/// `curio-bench text --short FILE --long FILE [--repeat R] [--latency-runs N] [--mode batches|blas|single|all]
/// [--embeddings-out DIR] [--latency-only] [--max-batch-tokens N]`
///
/// Throughput (texts/s, best of R after a warm-up) of `TextEncoder.encodeMatrix` on each corpus — tokenisation
/// included, as for the peer — the encoder's achieved GFLOP/s (exact FLOP count of the forward passes) against the
/// machine's sgemm GFLOP/s, and single-query latency (batch of 1) median, p95 and p99.
enum TextBenchmark {
    static let query = "stormy seascape at night"

    static func run(_ arguments: [String]) throws {
        let options = try BenchSupport.Options(arguments)
        guard let shortPath = options.string("short"), let longPath = options.string("long") else {
            throw BenchSupport.UsageError(description: "usage: curio-bench text --short FILE --long FILE [--repeat R] [--mode M]")
        }
        let repeats = try options.int("repeat", default: 3)
        let latencyRuns = try options.int("latency-runs", default: 500)
        let mode = options.string("mode") ?? "batches"
        let corpora = try [("short", shortPath), ("long", longPath)].map { name, path in
            (name, try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init))
        }
        let loadStart = BenchSupport.now()
        var encoder = try TextEncoder.installed()
        encoder.maxBatchTokens = try options.int("max-batch-tokens", default: encoder.maxBatchTokens)
        let loadSeconds = BenchSupport.now() - loadStart
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let peak = SGEMMBenchmark.gflops(n: 1024, threads: cores, repeats: 5)
        let peakSingle = SGEMMBenchmark.gflops(n: 1024, threads: 1, repeats: 5)
        BenchSupport.emit(["benchmark": "text-setup", "model": encoder.modelID, "load_seconds": loadSeconds,
                           "sgemm_gflops": peak, "sgemm_gflops_1thread": peakSingle, "cores": cores])
        let modes = options.flag("latency-only") ? [] : mode == "all" ? ["batches", "blas", "single"] : [mode]
        for m in modes {
            switch m {
            case "batches": encoder.parallelism = cores; BLAS.setThreadCount(cores)
            case "blas": encoder.parallelism = 1; BLAS.setThreadCount(cores)
            case "single": encoder.parallelism = 1; BLAS.setThreadCount(1)
            default: throw BenchSupport.UsageError(description: "--mode is batches, blas, single or all")
            }
            for (name, texts) in corpora {
                let tokens = encoder.tokenize(texts)
                let flops = forwardFLOPs(tokens.map(\.count), encoder.model.configuration)
                _ = try encoder.encodeMatrix(Array(texts.prefix(64)))  // warm-up
                var best = Double.infinity
                var embeddings = Matrix(rows: 0, columns: 0)
                for _ in 0..<repeats {
                    let t = try BenchSupport.time { embeddings = try encoder.encodeMatrix(texts) }
                    best = min(best, t)
                }
                if let dir = options.string("embeddings-out"), m == modes[0] {
                    let url = URL(fileURLWithPath: dir).appendingPathComponent("\(name).f32")
                    try embeddings.storage.withUnsafeBytes { try Data($0).write(to: url) }
                }
                let gflops = flops / best / 1e9
                BenchSupport.emit(["benchmark": "text-throughput", "corpus": name, "mode": m, "texts": texts.count,
                                   "tokens": tokens.reduce(0) { $0 + $1.count }, "seconds": best,
                                   "texts_per_second": Double(texts.count) / best, "gflops": gflops,
                                   "fraction_of_sgemm": gflops / peak,
                                   "max_batch_tokens": encoder.maxBatchTokens, "parallelism": encoder.parallelism,
                                   "blas_threads": BLAS.threadCount])
            }
        }
        // Single-query latency, with one and with all BLAS threads.
        for threads in Set([1, cores]).sorted() {
            BLAS.setThreadCount(threads)
            for _ in 0..<20 { _ = try encoder.encode(query) }
            var samples: [Double] = []
            samples.reserveCapacity(latencyRuns)
            for _ in 0..<latencyRuns {
                samples.append(try BenchSupport.time { _ = try encoder.encode(query) } * 1000)
            }
            BenchSupport.emit(["benchmark": "text-latency", "query": query, "blas_threads": threads,
                               "tokens": encoder.tokenizer.encode(query).count, "runs": latencyRuns,
                               "median_ms": BenchSupport.quantile(samples, 0.5),
                               "p95_ms": BenchSupport.quantile(samples, 0.95),
                               "p99_ms": BenchSupport.quantile(samples, 0.99)])
        }
        BenchSupport.emit(["benchmark": "text-memory", "peak_rss_mib": BenchSupport.peakRSSMiB() ?? -1])
    }

    /// Floating-point operations of one forward pass over sequences of these lengths: the dense layers
    /// (2·t·(4h² + 2hi) per layer) plus attention scores and mixing (4·L²·h per sequence and layer).
    static func forwardFLOPs(_ lengths: [Int], _ c: BertConfiguration) -> Double {
        let h = Double(c.hiddenSize), i = Double(c.intermediateSize), layers = Double(c.layerCount)
        var total = 0.0
        for l in lengths {
            let t = Double(l)
            total += layers * (2 * t * (4 * h * h + 2 * h * i) + 4 * t * t * h)
        }
        return total
    }
}
