import CurioCore
import CurioMath
import CurioVisits
import Foundation

/// Tour planner: planning time for 300 candidates, feasibility over many random requests, and utility against the
/// exact optimum on instances small enough to solve exactly.
enum TourBenchmark {
    static let wednesday = ISO8601DateFormatter().date(from: "2025-06-04T10:00:00Z")!

    /// Interest of every placed item for a simulated visitor who liked two random works: the best metadata
    /// similarity to them plus a little noise, like a recommender's scores.
    static func interests(data: BenchData, rng: inout SeededRandom) -> [TourCandidate] {
        let placed = data.venue.placements.map(\.item)
        let liked = [placed[rng.nextInt(below: placed.count)], placed[rng.nextInt(below: placed.count)]]
        let sims = MetadataSimilarity(catalog: data.catalog).similarities(liked + placed)
        let n = liked.count + placed.count
        return placed.enumerated().map { k, id in
            let j = liked.count + k
            let s = max(Double(sims[0 * n + j]), Double(sims[1 * n + j]))
            return TourCandidate(item: id, interest: s + 0.1 * rng.nextDouble())
        }
    }

    static func run(data: BenchData, quick: Bool) throws {
        let venue = data.venue
        let planner = TourPlanner(venue: venue, catalog: data.catalog)
        let validator = TourValidator(venue: venue)
        var rng = SeededRandom(seed: 2025)

        // 1. Planning time, 300 candidates on the example venue.
        var wall: [Double] = [], cpu: [Double] = [], stops: [Int] = []
        let timed = quick ? 10 : 50
        for k in 0..<timed {
            let candidates = Array(interests(data: data, rng: &rng).sorted { $0.interest > $1.interest }.prefix(300))
            let request = TourRequest(candidates: candidates, startRoom: "entrance", endRoom: "entrance",
                                      startTime: wednesday.addingTimeInterval(3600), budgetSeconds: Double(60 + 15 * (k % 5)) * 60,
                                      weights: k % 2 == 0 ? TourWeights() : .chronological, seed: UInt64(k))
            var tour: Tour?
            let t = try measure { tour = try planner.plan(request) }
            wall.append(t.wall)
            cpu.append(t.cpu)
            stops.append(tour?.stops.count ?? 0)
        }
        print("tours/plan 300 candidates (example venue, 60–120 min): p50 \(fmt(percentile(wall, 50), 1)) ms  p99 \(fmt(percentile(wall, 99), 1)) ms wall; "
            + "cpu p50 \(fmt(percentile(cpu, 50), 1)) ms  p99 \(fmt(percentile(cpu, 99), 1)) ms; mean \(fmt(Double(stops.reduce(0, +)) / Double(stops.count), 1)) stops  (target ≤ 100 ms)")

        // Stress: 40 rooms, 300 of 600 items, 90 minutes (synthetic venues).
        wall = []
        cpu = []
        for seed in UInt64(1)...UInt64(quick ? 5 : 20) {
            let v = SyntheticVenues.venue(seed: seed, rooms: 40, items: 600)
            let p = TourPlanner(venue: v, catalog: SyntheticVenues.catalog(seed: seed, items: 600))
            let request = SyntheticVenues.request(seed: seed, items: 600, minutes: 90, candidates: 300)
            let t = try measure { _ = try p.plan(request) }
            wall.append(t.wall)
            cpu.append(t.cpu)
        }
        print("tours/plan 300 candidates (synthetic 40 rooms, 90 min): p50 \(fmt(percentile(wall, 50), 1)) ms  p99 \(fmt(percentile(wall, 99), 1)) ms wall; "
            + "cpu p50 \(fmt(percentile(cpu, 50), 1)) ms  p99 \(fmt(percentile(cpu, 99), 1)) ms")

        // 2. Feasibility over random requests.
        let requests = quick ? 80 : 400
        var planned = 0, feasible = 0, explained = 0
        var reasons: [String: Int] = [:]
        // Mon, Tue, Wed, Fri (open late), Sat (print room closed), Sun, and one closed date.
        let days = ["2025-06-02", "2025-06-03", "2025-06-04", "2025-06-06", "2025-06-07", "2025-06-08", "2025-06-09",
                    "2025-06-10", "2025-06-11", "2025-12-25"]
        let rooms = venue.rooms.map(\.id)
        for k in 0..<requests {
            let all = interests(data: data, rng: &rng)
            let count = 20 + rng.nextInt(below: 280)
            var candidates = all
            rng.shuffle(&candidates)
            let day = days[rng.nextInt(below: days.count)]
            let minute = 9 * 60 + 30 + rng.nextInt(below: 9 * 60)
            let start = ISO8601DateFormatter().date(from: "\(day)T\(String(format: "%02d:%02d", minute / 60, minute % 60)):00+01:00")!
            let request = TourRequest(candidates: Array(candidates.prefix(count)), startRoom: rooms[rng.nextInt(below: rooms.count)],
                                      endRoom: rng.bernoulli(0.7) ? "entrance" : nil, startTime: start,
                                      budgetSeconds: Double(5 + rng.nextInt(below: 175)) * 60,
                                      walkingSpeed: [0.6, 0.8, 1, 1.2][rng.nextInt(below: 4)], stepFree: rng.bernoulli(0.3),
                                      group: GroupType.allCases[rng.nextInt(below: 3)],
                                      weights: rng.bernoulli(0.5) ? .chronological : TourWeights(), seed: UInt64(k))
            do {
                let tour = try planner.plan(request)
                planned += 1
                if validator.isFeasible(tour) { feasible += 1 } else { print("  infeasible tour: \(validator.violations(tour))") }
            } catch let VisitError.infeasible(reason) {
                explained += 1
                let key = reason.hasPrefix("none of the") ? "no candidate fits" : String(reason.prefix(40))
                reasons[key, default: 0] += 1
            }
        }
        print("tours/feasibility: \(feasible)/\(planned) planned tours pass the validator (\(fmt(100 * Double(feasible) / Double(max(1, planned)), 1))%); "
            + "\(explained) of \(requests) requests explained as infeasible (\(reasons.sorted { $0.value > $1.value }.prefix(3).map { "\($0.key): \($0.value)" }.joined(separator: "; ")))")

        // 3. Utility against the exact optimum, 12 candidates.
        var ratios: [Double] = [], exactTimes: [Double] = [], heuristicTimes: [Double] = []
        let exact = ExactTourSolver(planner: planner)
        var attempts = 0
        while ratios.count < (quick ? 10 : 40), attempts < 400 {
            attempts += 1
            var all = interests(data: data, rng: &rng)
            rng.shuffle(&all)
            let request = TourRequest(candidates: Array(all.prefix(12)), startRoom: "entrance", endRoom: "entrance",
                                      startTime: wednesday.addingTimeInterval(3600), budgetSeconds: Double(8 + rng.nextInt(below: 20)) * 60,
                                      weights: rng.bernoulli(0.5) ? .chronological : TourWeights(), seed: UInt64(attempts))
            var best: Tour?, heuristic: Tour?
            do {
                let te = try measure { best = try exact.solve(request) }
                let th = try measure { heuristic = try planner.plan(request) }
                exactTimes.append(te.cpu)
                heuristicTimes.append(th.cpu)
            } catch {
                continue
            }
            guard let best, let heuristic, best.utility.total > 0 else { continue }
            if !validator.isFeasible(best) { print("  exact tour infeasible: \(validator.violations(best))") }
            ratios.append(heuristic.utility.total / best.utility.total)
            if heuristic.utility.total < 0.95 * best.utility.total {
                func describe(_ t: Tour) -> String {
                    t.stops.map { "\($0.item)@\($0.room)" }.joined(separator: " ") + " (utility \(fmt(t.utility.total)), \(fmt(t.totalSeconds / 60, 1)) of \(fmt(t.deadline.timeIntervalSince(t.startTime) / 60, 1)) min)"
                }
                print("  below 95%: heuristic \(describe(heuristic)) vs optimal \(describe(best))")
            }
        }
        let within = ratios.filter { $0 >= 0.95 - 1e-9 }.count, optimal = ratios.filter { $0 >= 1 - 1e-9 }.count
        print("tours/vs exact (12 candidates, 8–28 min, \(ratios.count) instances): mean utility \(fmt(100 * ratios.reduce(0, +) / Double(max(1, ratios.count)), 2))% of optimal, "
            + "worst \(fmt(100 * (ratios.min() ?? .nan), 2))%, within 5%: \(within)/\(ratios.count), optimal: \(optimal)/\(ratios.count); "
            + "exact p50 \(fmt(percentile(exactTimes, 50), 1)) ms vs heuristic p50 \(fmt(percentile(heuristicTimes, 50), 1)) ms cpu")
    }
}
