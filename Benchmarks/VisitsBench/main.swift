import CurioCore
import CurioMath
import CurioVisits
import Foundation

/// curio-bench-visits: measurements for docs/visits.md. Usage: curio-bench-visits [tours|next|all] [--quick]
let arguments = CommandLine.arguments.dropFirst()
let mode = arguments.first { !$0.hasPrefix("--") } ?? "all"
let quick = arguments.contains("--quick")

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count - 1)).rounded()))]
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

if mode == "tours" || mode == "all" {
    try TourBenchmark.run(quick: quick)
}
