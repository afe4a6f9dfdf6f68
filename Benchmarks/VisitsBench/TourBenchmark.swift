import CurioCore
import CurioMath
import CurioVisits
import Foundation

/// Tour planner: feasibility rate, utility against the exact optimum on small instances, planning time for 300
/// candidates.
enum TourBenchmark {
    static func run(quick: Bool) throws {
        // 1. Planning time and feasibility at scale: 300 candidates, 40 rooms, 90 minutes.
        var times: [Double] = []
        var feasible = 0, planned = 0, infeasible = 0
        let runs = quick ? 10 : 40
        var stops: [Int] = []
        for seed in UInt64(1)...UInt64(runs) {
            let venue = SyntheticVenues.venue(seed: seed, rooms: 40, items: 600)
            let planner = TourPlanner(venue: venue, catalog: SyntheticVenues.catalog(seed: seed, items: 600))
            let request = SyntheticVenues.request(seed: seed, items: 600, minutes: 90, candidates: 300)
            var tour: Tour?
            do {
                let ms = try milliseconds { tour = try planner.plan(request) }
                times.append(ms)
            } catch VisitError.infeasible {
                infeasible += 1
                continue
            }
            planned += 1
            if let tour, TourValidator(venue: venue).isFeasible(tour) { feasible += 1 }
            stops.append(tour?.stops.count ?? 0)
        }
        print(String(format: "tours/300 candidates, 40 rooms, 90 min: p50 %.1f ms  p99 %.1f ms  (target ≤ 100 ms)  mean stops %.1f",
                     percentile(times, 50), percentile(times, 99), Double(stops.reduce(0, +)) / Double(max(1, stops.count))))
        print("tours/feasible: \(feasible)/\(planned) planned tours pass the validator (\(infeasible) requests explained as infeasible)")
    }
}
