// curio-bench-serving: in-process serving numbers on a prepared database (see Benchmarks/policy.sh).
//
//   curio-bench-serving --db PATH [--requests N] [--seed S] [--cache SECONDS]
//
// The per-visitor list cache is off unless `--cache SECONDS` is given (every request computes its list).
//
// 1. Loads the collection and the serving model (timed).
// 2. N requests (k = 10) over visitors with at least two objects, in a seeded order, with the model's own order
//    (policy `none`); exposure per maker and per maker gender is tallied with the same position weights as the ledger.
// 3. The same N requests under the default policy (the service's ledger amortises exposure over them).
// 4. The re-ranking step alone (PolicyEngine.apply on 200 candidates, k = 10) for 1,000 requests.
// Prints one table per part and a JSON line per figure (prefix RESULT) for the script.
import CurioCore
import CurioKit
import CurioPolicy
import Foundation

struct Options {
    var db = ""
    var requests = 10_000
    var seed: UInt64 = 7
    var cache: Double = 0
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let a = args.next() {
        switch a {
        case "--db": o.db = args.next() ?? ""
        case "--requests": o.requests = Int(args.next() ?? "") ?? o.requests
        case "--seed": o.seed = UInt64(args.next() ?? "") ?? o.seed
        case "--cache": o.cache = Double(args.next() ?? "") ?? o.cache
        default:
            FileHandle.standardError.write(Data("curio-bench-serving: unknown argument \(a)\n".utf8))
            exit(64)
        }
    }
    if o.db.isEmpty {
        FileHandle.standardError.write(Data("usage: curio-bench-serving --db PATH [--requests N] [--seed S] [--cache SECONDS]\n".utf8))
        exit(64)
    }
    return o
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let s = values.sorted()
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}

/// CPU time of the calling thread in milliseconds: unlike wall time, it leaves out the time the thread waited for a
/// core, so on a loaded machine it shows what a request costs (wall-clock percentiles are printed beside it).
func threadCPUms() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
}

func result(_ name: String, _ value: Double) {
    print("RESULT \(name)=\(String(format: "%.6f", value))")
}

/// Exposure tallies by maker and maker gender, weighted like the policy ledger (rank r: 1/log2(r+1)).
struct Tally {
    var makers: [String: Double] = [:]
    var genders: [String: Double] = [:]
    var total = 0.0

    mutating func add(_ items: [RecommendedItem], _ snapshot: CollectionSnapshot) {
        for (r, item) in items.enumerated() {
            let w = ExposureLedger.weight(rank: r + 1)
            total += w
            guard let i = snapshot.index[ItemID(item.id)] else { continue }
            let credits = snapshot.items[i].makers
            if credits.isEmpty {
                makers["unknown", default: 0] += w
                genders["unknown", default: 0] += w
            }
            for c in credits {
                makers[c.agent.rawValue, default: 0] += w / Double(credits.count)
                genders[snapshot.agents[c.agent]?.gender ?? "unknown", default: 0] += w / Double(credits.count)
            }
        }
    }

    /// Share of women among exposure to works whose makers' gender is known (the policy's denominator).
    var femaleShare: Double {
        let known = genders.filter { $0.key != "unknown" }.values.reduce(0, +)
        return known > 0 ? (genders["Female"] ?? 0) / known : 0
    }

    var dominant: (maker: String, share: Double) {
        let top = makers.filter { $0.key != "unknown" }.max { $0.value < $1.value } ?? (key: "", value: 0)
        return (top.key, total > 0 ? top.value / total : 0)
    }
}

let options = parseOptions()
do {
    let curio = try Curio.open(at: options.db, readers: 4)
    let service = try curio.recommendations()
    service.refreshInterval = .infinity
    service.cacheLifetime = options.cache
    var start = Date()
    try service.warmUp()
    let loadSeconds = Date().timeIntervalSince(start)
    let snapshot = try service.snapshot()
    result("load_seconds", loadSeconds)
    result("catalogue_items", Double(snapshot.items.count))

    // Visitors with at least two objects, in a seeded order.
    let summaries = try curio.visitors(limit: 1_000_000, offset: 0).filter { $0.events >= 4 }
    var order = summaries.map(\.visitor).sorted()
    var state = options.seed
    for i in stride(from: order.count - 1, to: 0, by: -1) {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
    }
    guard !order.isEmpty else { throw RecommendationSetupError.noEvents }
    let visitors = (0..<options.requests).map { order[$0 % order.count] }
    print("serving: \(snapshot.items.count) objects, \(order.count) visitors with ≥ 4 events, \(options.requests) requests, list cache \(options.cache > 0 ? "\(Int(options.cache)) s" : "off"), load \(String(format: "%.1f", loadSeconds)) s")

    func run(policy: String?) throws -> (tally: Tally, latencies: [Double], cpu: [Double], strategies: [String: Int]) {
        var tally = Tally()
        var latencies: [Double] = []
        var cpu: [Double] = []
        latencies.reserveCapacity(visitors.count)
        cpu.reserveCapacity(visitors.count)
        var strategies: [String: Int] = [:]
        for v in visitors {
            let t = Date()
            let c = threadCPUms()
            let list = try curio.recommend(RecommendationRequest(visitor: v, k: 10, policy: policy))
            cpu.append(threadCPUms() - c)
            latencies.append(Date().timeIntervalSince(t) * 1000)
            tally.add(list.items, snapshot)
            strategies[list.strategy.rawValue, default: 0] += 1
        }
        return (tally, latencies, cpu, strategies)
    }

    // Warm caches (the first requests page the model in).
    for v in visitors.prefix(50) { _ = try curio.recommend(RecommendationRequest(visitor: v, k: 10, policy: "none")) }
    let loadBefore = loadAverage()
    let before = try run(policy: "none")
    let after = try run(policy: nil)
    let loadAfter = loadAverage()
    let target = try service.policies.resolve(nil)?.exposure?.targets["Female"]?.min ?? 0
    let name = { (id: String) in snapshot.agents[AgentID(id)]?.name ?? id }
    print("")
    print("exposure over \(options.requests) requests (k = 10, position-weighted):")
    print("  policy   dominant maker                              share   women (known gender)   p50 ms   p99 ms")
    for (label, r) in [("none", before), ("default", after)] {
        let d = r.tally.dominant
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        print("  " + pad(label, 9) + pad(name(d.maker), 43) + String(format: "%5.1f%%   %5.1f%%                 %6.2f   %6.2f",
                                                                     d.share * 100, r.tally.femaleShare * 100,
                                                                     percentile(r.latencies, 0.5), percentile(r.latencies, 0.99)))
    }
    for (label, r) in [("none", before), ("default", after)] {
        print(String(format: "  %@ CPU time per request: p50 %.2f ms, p99 %.2f ms (thread CPU clock; wall-clock above)", label,
                     percentile(r.cpu, 0.5), percentile(r.cpu, 0.99)))
    }
    print("  load average (1, 5, 15 min): \(loadBefore) before, \(loadAfter) after")
    print("  strategies: \(after.strategies.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    let ledger = try service.exposure(policy: nil)
    let female = ledger.groups.first { $0.attribute == "maker_gender" && $0.value == "Female" }
    print(String(format: "  service ledger: women %.1f%% against a target of %.0f%% (within 5 points: %@)", (female?.share ?? 0) * 100,
                 target * 100, abs((female?.share ?? 0) - target) <= 0.05 || (female?.share ?? 0) >= target ? "yes" : "no"))
    result("dominant_share_none", before.tally.dominant.share)
    result("dominant_share_default", after.tally.dominant.share)
    result("female_share_none", before.tally.femaleShare)
    result("female_share_default", after.tally.femaleShare)
    result("female_target", target)
    result("maker_ceiling", try service.policies.resolve(nil)?.makerShare?.max ?? 1)
    result("latency_p50_none_ms", percentile(before.latencies, 0.5))
    result("latency_p99_none_ms", percentile(before.latencies, 0.99))
    result("latency_p50_default_ms", percentile(after.latencies, 0.5))
    result("latency_p99_default_ms", percentile(after.latencies, 0.99))
    result("cpu_p50_none_ms", percentile(before.cpu, 0.5))
    result("cpu_p99_none_ms", percentile(before.cpu, 0.99))
    result("cpu_p50_default_ms", percentile(after.cpu, 0.5))
    result("cpu_p99_default_ms", percentile(after.cpu, 0.99))

    // The re-ranking step alone: 200 candidates with model scores, default policy, k = 10, own ledger.
    guard let policy = try service.policies.resolve(nil) else { throw RecommendationSetupError.noEvents }
    let engine = PolicyEngine(catalogue: snapshot.policyCatalogue)
    // The same lists through a second engine by catalogue index, as the service calls it (no item ids to hash).
    let indexedEngine = PolicyEngine(catalogue: snapshot.policyCatalogue)
    let catalogueIndex = snapshot.policyCatalogue.index
    var rerank: [Double] = []
    var rerankCPU: [Double] = []
    var rerankIndexedCPU: [Double] = []
    for v in visitors.prefix(1_000) {
        let wide = try curio.recommend(RecommendationRequest(visitor: v, k: 200, policy: "none"))
        let request = RerankRequest(candidates: wide.items.map { (ItemID($0.id), $0.modelScore) }, k: 10,
                                    history: try curio.store.events(visitor: v).map(\.item))
        let indexed = IndexedRerankRequest(candidates: request.candidates.compactMap { c in catalogueIndex[c.id].map { ($0, c.score) } },
                                           k: 10, history: request.history.compactMap { catalogueIndex[$0] })
        start = Date()
        let c = threadCPUms()
        _ = engine.apply(policy, to: request)
        rerankCPU.append(threadCPUms() - c)
        rerank.append(Date().timeIntervalSince(start) * 1000)
        let ci = threadCPUms()
        _ = indexedEngine.apply(policy, to: indexed)
        rerankIndexedCPU.append(threadCPUms() - ci)
    }
    print(String(format: "\nre-ranking alone (200 candidates → 10, default policy): p50 %.3f ms, p99 %.3f ms over %d requests (CPU time p50 %.3f ms, p99 %.3f ms; load %@)",
                 percentile(rerank, 0.5), percentile(rerank, 0.99), rerank.count, percentile(rerankCPU, 0.5),
                 percentile(rerankCPU, 0.99), loadAverage()))
    print(String(format: "re-ranking alone by catalogue index (as the service calls it): CPU time p50 %.3f ms, p99 %.3f ms",
                 percentile(rerankIndexedCPU, 0.5), percentile(rerankIndexedCPU, 0.99)))
    result("rerank_p50_ms", percentile(rerank, 0.5))
    result("rerank_indexed_cpu_p50_ms", percentile(rerankIndexedCPU, 0.5))
    result("rerank_p99_ms", percentile(rerank, 0.99))
    result("rerank_cpu_p99_ms", percentile(rerankCPU, 0.99))
} catch {
    FileHandle.standardError.write(Data("curio-bench-serving: \(error)\n".utf8))
    exit(70)
}
