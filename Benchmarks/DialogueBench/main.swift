import CurioCore
import CurioDialogue
import CurioKit
import CurioStore
import Foundation

/// curio-bench-dialogue: the conversational guide's numbers reported in docs/dialogue.md.
///
///     curio-bench-dialogue [--conversations N] [--db PATH] [--tate DIR] [--seed S] [--tools engine|catalogue]
///                          [--in-memory] [--check-search N]
///
/// Builds the guide's catalogue from the whole Tate collection in a Curio database (ingesting
/// `../shared/data/tate` into `--db` first when the database has no items), then plays N simulated visitors
/// (`DialogueEvaluation.run`): success within 5 and 10 turns, mean turns, the one-search-then-paging baseline,
/// reply latency and the automatic hallucination audit. `--tools engine` (default) answers with the engine's own
/// tools (store search, content recommender, graph explanations), `catalogue` with the guide's built-in tools.
/// Each conversation is kept in the database's `conversations` table as the server keeps it — loaded before and
/// saved after every reply, inside the measured time (rows `sim-0` … replaced by every run) — unless `--in-memory`.
/// `--check-search N` first compares the guide's in-memory search index with the store's SQL search on the first N
/// openings and on N/2 two-word queries built from them (hits and scores must be identical).
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let count = Int(option("--conversations") ?? "") ?? 1_000
let seed = UInt64(option("--seed") ?? "") ?? 1
let toolsKind = option("--tools") ?? "engine"
let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let tate = URL(fileURLWithPath: option("--tate") ?? repository.deletingLastPathComponent().appendingPathComponent("shared/data/tate").path)
let dbPath = option("--db") ?? repository.appendingPathComponent(".build/bench-dialogue-tate.db").path

func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

do {
    let curio = try Curio.create(at: dbPath)
    if try curio.stats().items == 0 {
        log("ingesting \(tate.path) into \(dbPath) (once; reused by later runs)…")
        let started = Date()
        let report = try curio.ingest(format: .tate, paths: [tate])
        log("ingested \(report.records.total.inserted) records in \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
    }
    var started = Date()
    let visits = VisitService(curio: curio)
    let guide = GuideService(curio: curio, visits: visits, environment: [:])
    let catalogue = try guide.catalogue()
    let buildSeconds = Date().timeIntervalSince(started)
    let engine = toolsKind == "catalogue" ? DialogueEngine(catalogue: catalogue) : try guide.engine()
    log("catalogue: \(catalogue.items.count) items in \(String(format: "%.1f", buildSeconds)) s; tools: \(toolsKind)")
    if let n = Int(option("--check-search") ?? ""), n > 0, let index = (engine.tools as? EngineDialogueTools)?.textIndex {
        // The same openings the simulation uses, and pairs of their words.
        var queries: [String] = []
        let eligible = catalogue.items.filter { $0.subjects.count >= 2 }
        for i in 0..<n where !eligible.isEmpty {
            var visitor = SimulatedVisitor(target: eligible[(i &* 7_919) % eligible.count], seed: UInt64(i))
            queries.append(visitor.opening())
        }
        let words = queries.flatMap { $0.split(separator: " ").dropFirst(5).map(String.init) }
        for i in 0..<(n / 2) where !words.isEmpty {
            queries.append("\(words[(i &* 31) % words.count]) \(words[(i &* 17 &+ 5) % words.count])")
        }
        var same = 0, fallbacks = 0, indexSeconds = 0.0, storeSeconds = 0.0
        for q in queries {
            var t = Date()
            let fast = index.ranking(q, limit: 1_000)
            indexSeconds += Date().timeIntervalSince(t)
            t = Date()
            let slow = try curio.store.searchRanking(q, limit: 1_000)
            storeSeconds += Date().timeIntervalSince(t)
            if fast == nil { fallbacks += 1 } else if fast == slow { same += 1 } else { print("search differs for \"\(q)\"") }
        }
        print(String(format: "search check: %d of %d queries identical (%d left to the store); index %.2f ms, store %.1f ms per query",
                     same, queries.count - fallbacks, fallbacks, 1000 * indexSeconds / Double(queries.count), 1000 * storeSeconds / Double(queries.count)))
    }
    let inMemory = arguments.contains("--in-memory")
    // Warm-up (first search, first recommendation) outside the measurement.
    _ = DialogueEvaluation.run(engine: engine, count: 3, seed: seed &+ 1_000_000)
    started = Date()
    let result = inMemory ? DialogueEvaluation.run(engine: engine, count: count, seed: seed)
        : try DialogueEvaluation.run(engine: engine, count: count, seed: seed, conversations: guide.conversations)
    let seconds = Date().timeIntervalSince(started)
    func pct(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }
    print("""
        Conversational guide on the Tate collection (\(catalogue.items.count) works), \(result.conversations) simulated visitors, seed \(seed), tools: \(toolsKind)

                                  guide     baseline (one search, then pages of 3)
        success within 5 turns    \(pct(result.successWithin5).padding(toLength: 9, withPad: " ", startingAt: 0)) \(pct(result.baselineSuccessWithin5))
        success within 10 turns   \(pct(result.successWithin10).padding(toLength: 9, withPad: " ", startingAt: 0)) \(pct(result.baselineSuccessWithin10))
        mean turns to success     \(String(format: "%.2f", result.meanTurnsToSuccess).padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(format: "%.2f", result.baselineMeanTurnsToSuccess))

        replies                   \(result.replies)
        reply latency p50 / p95   \(String(format: "%.1f", result.latencyP50ms)) ms / \(String(format: "%.1f", result.latencyP95ms)) ms (goal p95 ≤ 50 ms)\(inMemory ? ", conversations in memory" : ", conversations loaded and saved in the store")
          without load/save       \(String(format: "%.1f", result.engineLatencyP50ms)) ms / \(String(format: "%.1f", result.engineLatencyP95ms)) ms
          CPU time per reply      \(String(format: "%.1f", result.cpuP50ms)) ms / \(String(format: "%.1f", result.cpuP95ms)) ms (the work, without waiting for a core)
        hallucinations            \(result.hallucinations) (goal 0)
        wall time                 \(String(format: "%.0f", seconds)) s
        ratio (success within 10, guide / baseline): \(String(format: "%.2f", result.successWithin10 / max(1e-9, result.baselineSuccessWithin10)))×
        """)
    for example in result.hallucinationExamples { print("  audit: \(example)") }
    print("\nwhere a reply's time goes (ms)    p50      p95      mean of the slowest 5 %")
    for s in result.stages {
        print("  " + s.stage.padding(toLength: 30, withPad: " ", startingAt: 0)
              + String(format: "%7.2f  %7.2f  %7.2f", s.p50ms, s.p95ms, s.tailMeanMs))
    }
    print("slowest replies:")
    for line in result.slowestReplies { print("  " + line) }
} catch {
    log("curio-bench-dialogue: \(error)")
    exit(70)
}
