import CurioCore
import CurioIngest
import CurioVisits
import Foundation

/// The bundled sample collection and its example venue.
struct BenchData {
    let venue: Venue
    let items: [Item]
    let concepts: [Concept]
    let agents: [Agent]
    let catalog: VisitCatalog

    static func load(repository: URL) throws -> BenchData {
        let venue = try VenueFile.load(contentsOf: repository.appendingPathComponent("data/venue/tate-sample-venue.json")).venue
        var items: [Item] = [], concepts: [Concept] = [], agents: [Agent] = []
        try TateImporter().read(repository.appendingPathComponent("data/sample/tate")) { chunk in
            items += chunk.records.items
            concepts += chunk.records.concepts
            agents += chunk.records.agents
        }
        return BenchData(venue: venue, items: items, concepts: concepts, agents: agents,
                         catalog: VisitCatalog(items: items, concepts: concepts))
    }
}

/// Wall-clock and CPU milliseconds of a block (CPU time of the calling thread, so other processes on a busy
/// machine do not inflate it).
func measure(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    func cpuNow() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) / 1e6
    }
    let wall0 = DispatchTime.now().uptimeNanoseconds, cpu0 = cpuNow()
    try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - wall0) / 1e6, cpuNow() - cpu0)
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count - 1)).rounded()))]
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
