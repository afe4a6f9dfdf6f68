import CurioCore
import CurioMath
import CurioVisits
import Foundation

/// curio-bench-visits: the measurements reported in docs/visits.md.
///
///     curio-bench-visits [tours|next|all] [--quick] [--repo PATH]
///
/// `tours`: planner feasibility, utility against the exact optimum, planning time for 300 candidates.
/// `next`: next-exhibit NDCG@10 / HR@10 for SASRec, transitions and popularity on simulated room-walking sessions.
let arguments = Array(CommandLine.arguments.dropFirst())
let mode = ["tours", "next", "all"].first { arguments.contains($0) } ?? "all"
let quick = arguments.contains("--quick")
/// `--sasrec-dim N`, `--sasrec-blocks N`, `--sasrec-dropout X`, `--sasrec-epochs N`, `--visitors N` override defaults.
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let repository: URL = {
    if let i = arguments.firstIndex(of: "--repo"), i + 1 < arguments.count { return URL(fileURLWithPath: arguments[i + 1]) }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

do {
    let data = try BenchData.load(repository: repository)
    if mode == "tours" || mode == "all" { try TourBenchmark.run(data: data, quick: quick) }
    if mode == "next" || mode == "all" { try NextExhibitBenchmark.run(data: data, quick: quick) }
} catch {
    FileHandle.standardError.write(Data("curio-bench-visits: \(error)\n".utf8))
    exit(70)
}
