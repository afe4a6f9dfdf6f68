// curio-bench — the Swift side of `make bench`.
//
// Usage: curio-bench <benchmark> [options]
// Each area registers its benchmarks in `benchmarks` below (one line each) and keeps its code in its own file.
// Results are printed as one JSON object per line on stdout so that Benchmarks/<area>.sh can set them beside the
// peer library's numbers; progress goes to stderr.
import Foundation

let benchmarks: [(name: String, summary: String, run: ([String]) throws -> Void)] = [
    ("sgemm", "sgemm GFLOP/s on n×n×n (the machine's BLAS reference)", SGEMMBenchmark.run),
    ("text", "MiniLM text encoding: throughput on corpora, single-query latency", TextBenchmark.run),
    ("image", "EfficientNet-Lite0 image encoding: decode + network throughput, peak RSS", ImageBenchmark.run),
    ("fusion", "Paintings retrieval: image/text/fused neighbour precision, text→image with learned vs untrained projection", FusionBenchmark.run),
]

@MainActor func printUsage() {
    var text = "usage: curio-bench <benchmark> [options]\n\nbenchmarks:\n"
    for b in benchmarks { text += "  \(b.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(b.summary)\n" }
    FileHandle.standardError.write(Data(text.utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let benchmark = benchmarks.first(where: { $0.name == name }) else {
    printUsage()
    exit(64)
}
do {
    try benchmark.run(Array(arguments.dropFirst()))
} catch let error as CustomStringConvertible {
    FileHandle.standardError.write(Data("curio-bench \(name): \(error.description)\n".utf8))
    exit(70)
} catch {
    FileHandle.standardError.write(Data("curio-bench \(name): \(error)\n".utf8))
    exit(70)
}
