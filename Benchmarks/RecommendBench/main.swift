// curio-bench-recommend: Curio's recommenders against implicit (ALS) and cornac (BPR, VBPR) on the same simulated
// sessions over the full Tate collection, the same global temporal split and the same metric code (Swift scores the
// peers' exported top-k lists), plus in-process recommendation latency over 70,000 items.
//
// Usage: curio-bench-recommend [--visitors N] [--seed S] [--work DIR] [--python PATH] [--skip-peers] [--bpr-only]
import CurioCore
import CurioMath
import CurioRecommend
import Foundation

struct Options {
    var visitors = 30_000
    var seed: UInt64 = 7
    var work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("curio-bench-recommend")
    var python = ProcessInfo.processInfo.environment["CURIO_BENCH_PYTHON"]
        ?? (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/curio/bench-venv/bin/python"
    var skipPeers = false
    /// Only popularity and BPR on Curio's side and cornac BPR on the peers' (the quick BPR comparison).
    var bprOnly = false
    /// Reuse peer results already in the work folder (same data: same visitors and seed) instead of rerunning them.
    var reusePeers = false
    var tate = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/tate")
    var epochsBPR = 30
    /// Curio BPR's initial factor scale (nil: Curio's default).
    var initScaleBPR: Float?
    var epochsVBPR = 5
    var batchVBPR = 512
    var peerTimeout: Double = 3_600

    init(_ args: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            return i < args.count ? args[i] : ""
        }
        while i < args.count {
            switch args[i] {
            case "--visitors": visitors = Int(value()) ?? visitors
            case "--seed": seed = UInt64(value()) ?? seed
            case "--work": work = URL(fileURLWithPath: value())
            case "--python": python = value()
            case "--tate": tate = URL(fileURLWithPath: value())
            case "--skip-peers": skipPeers = true
            case "--bpr-only": bprOnly = true
            case "--reuse-peers": reusePeers = true
            case "--bpr-epochs": epochsBPR = Int(value()) ?? epochsBPR
            case "--bpr-init-scale": initScaleBPR = Float(value())
            case "--vbpr-epochs": epochsVBPR = Int(value()) ?? epochsVBPR
            case "--vbpr-batch": batchVBPR = Int(value()) ?? batchVBPR
            case "--peer-timeout": peerTimeout = Double(value()) ?? peerTimeout
            default:
                FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8))
                exit(64)
            }
            i += 1
        }
    }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// `--profile-bpr DIR [--bpr-only]`: times ALS (unless `--bpr-only`), and BPR with one and two workers, on a training
/// matrix exported by a previous run (quick re-measurement when the machine is quiet).
func profileBPR(_ directory: String, bprOnly: Bool) throws {
    let text = try String(contentsOfFile: directory + "/train.tsv", encoding: .utf8)
    var entries: [Interaction] = []
    var users = 0, items = 0
    for line in text.split(separator: "\n") {
        let p = line.split(separator: "\t")
        guard p.count == 3, let u = Int(p[0]), let i = Int(p[1]), let w = Float(p[2]) else { continue }
        entries.append(Interaction(user: u, item: i, weight: w, time: 0))
        users = max(users, u + 1)
        items = max(items, i + 1)
    }
    let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/meta.json"))) as? [String: Any]
    items = max(items, meta?["items"] as? Int ?? items)
    let m = try InteractionMatrix(userIDs: (0..<users).map { VisitorID("u\($0)") }, itemIDs: (0..<items).map { ItemID("i\($0)") },
                                  interactions: entries)
    if !bprOnly {
        let (_, alsSeconds) = try timed {
            try ALSRecommender.train(on: TrainingData(interactions: m), configuration: .init(factors: 64, regularization: 0.1, alpha: 2, iterations: 15, cgSteps: 3), seed: 1)
        }
        print("ALS k=64, 15 iterations: \(String(format: "%.2f", alsSeconds)) s")
    }
    for threads in [1, 2] {
        var c = BPRRecommender.Configuration(factors: 64, learningRate: 0.05, regularization: 0.002, epochs: 10)
        c.decay = 1
        c.threads = threads
        let (_, seconds) = try timed { try BPRRecommender.train(on: TrainingData(interactions: m), configuration: c, seed: 1) }
        print("BPR threads \(threads): \(String(format: "%.2f", seconds)) s for 10 epochs")
    }
}

func run() throws {
    if (3...4).contains(CommandLine.arguments.count), CommandLine.arguments[1] == "--profile-bpr" {
        try profileBPR(CommandLine.arguments[2], bprOnly: CommandLine.arguments.count == 4 && CommandLine.arguments[3] == "--bpr-only")
        return
    }
    let options = Options(Array(CommandLine.arguments.dropFirst()))
    try FileManager.default.createDirectory(at: options.work, withIntermediateDirectories: true)

    // 1. Data: the full Tate collection and simulated visitors.
    let (tate, loadSeconds) = try timed { try TateCollection.load(directory: options.tate) }
    log("Tate: \(tate.items.count) items, \(tate.concepts.count) concepts, \(tate.agents.count) agents (\(String(format: "%.1f", loadSeconds)) s)")
    var config = VisitorSimulator.Configuration()
    config.visitors = options.visitors
    config.seed = options.seed
    let (simulated, simSeconds) = try timed { try VisitorSimulator(items: tate.items, concepts: tate.concepts, agents: tate.agents, configuration: config).run() }
    log("simulated \(simulated.events.count) events from \(simulated.visitors.count) visitors (\(String(format: "%.1f", simSeconds)) s)")
    let catalogue = tate.items.map(\.id)
    let matrix = try InteractionBuilder(now: config.end.addingTimeInterval(86_400)).build(events: simulated.events, catalogue: catalogue)
    log("interactions: \(matrix.matrix.nonZeroCount) pairs, \(matrix.userCount) visitors; \(matrix.report.summary)")
    let split = try EvaluationSplit(matrix, strategy: .globalTemporal(cutoff: nil, testFraction: 0.2))
    var warm = split
    warm.cases = split.cases.filter { $0.trainUser != nil && !$0.hasRevealedHistory }
    log("global temporal split: \(split.train.matrix.nonZeroCount) training pairs, \(split.cases.count) test visitors (\(warm.cases.count) returning)")

    // 2. Content vectors: metadata TF-IDF, projected to 64 dense dimensions so that VBPR can use the same ones.
    let (sparseFeatures, featureSeconds) = timed { MetadataFeatureEncoder.features(for: tate.items, concepts: tate.concepts) }
    let dense = sparseFeatures.projected(dimensions: 64, seed: 1)
    log("content features in \(String(format: "%.1f", featureSeconds)) s")

    // 3. Export for the peers.
    let dir = options.work
    var trainText = ""
    for u in 0..<split.train.userCount {
        for p in split.train.matrix.range(ofRow: u) {
            trainText += "\(u)\t\(split.train.matrix.columnIndices[p])\t\(split.train.matrix.values[p])\n"
        }
    }
    try trainText.write(to: dir.appendingPathComponent("train.tsv"), atomically: true, encoding: .utf8)
    try warm.cases.enumerated().map { "\($0.offset)\t\($0.element.trainUser ?? -1)" }.joined(separator: "\n")
        .write(to: dir.appendingPathComponent("cases.tsv"), atomically: true, encoding: .utf8)
    if let m = dense.denseMatrix {
        try m.storage.withUnsafeBytes { Data($0) }.write(to: dir.appendingPathComponent("features.f32"))
    }
    let peerNames = options.bprOnly ? ["cornac_bpr"] : ["implicit_als", "cornac_bpr", "cornac_vbpr"]
    let meta: [String: Any] = ["peers": peerNames, "users": split.train.userCount, "items": split.train.itemCount, "feature_dimensions": 64,
                               "factors": 64, "als_regularization": 0.1, "als_alpha": 2.0, "als_iterations": 15,
                               "bpr_learning_rate": 0.05, "bpr_regularization": 0.002, "bpr_epochs": options.epochsBPR,
                               "vbpr_epochs": options.epochsVBPR, "vbpr_batch_size": options.batchVBPR, "list_length": 100, "seed": Int(options.seed)]
    try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys]).write(to: dir.appendingPathComponent("meta.json"))

    // 4. Curio models with the peers' hyper-parameters.
    let trainData = TrainingData(interactions: split.train, content: dense)
    let evaluator = Evaluator(cutoffs: [10, 20], content: sparseFeatures)
    var rows: [Row] = []
    func curio(_ label: String, _ body: () throws -> any Recommender) rethrows -> any Recommender {
        let (model, seconds) = try timed(body)
        log("\(label) trained in \(String(format: "%.2f", seconds)) s")
        rows.append((label, evaluator.evaluate(model, name: label, on: warm, trainingSeconds: seconds),
                     evaluator.evaluate(model, name: label, on: split, trainingSeconds: seconds), seconds))
        return model
    }
    _ = try curio("curio popularity") { try PopularityRecommender.train(on: trainData) }
    if options.bprOnly {
        _ = try curio("curio BPR") {
            var c = BPRRecommender.Configuration(factors: 64, learningRate: 0.05, regularization: 0.002, epochs: options.epochsBPR)
            c.decay = 1
            if let scale = options.initScaleBPR { c.initialScale = scale }
            return try BPRRecommender.train(on: trainData, configuration: c, seed: options.seed)
        }
        try comparePeers(options: options, rows: &rows, warm: warm, evaluator: evaluator, peerNames: peerNames)
        try printReport(rows: rows, latency: [], tate: tate, matrix: matrix, split: split, warm: warm, evaluator: evaluator, dir: dir)
        return
    }
    let als = try curio("curio ALS") {
        try ALSRecommender.train(on: trainData, configuration: .init(factors: 64, regularization: 0.1, alpha: 2, iterations: 15, cgSteps: 3), seed: options.seed)
    }
    _ = try curio("curio BPR") {
        var c = BPRRecommender.Configuration(factors: 64, learningRate: 0.05, regularization: 0.002, epochs: options.epochsBPR)
        c.decay = 1
        if let scale = options.initScaleBPR { c.initialScale = scale }
        return try BPRRecommender.train(on: trainData, configuration: c, seed: options.seed)
    }
    let hybrid = try curio("curio hybrid") { try HybridRecommender.train(on: trainData, seed: options.seed) }
    // Its parts reuse the frozen content graph (their training time excludes building it).
    let graph = (hybrid as? HybridRecommender)?.content ?? ItemGraph(weights: SparseMatrix(rows: 0, columns: 0))
    _ = try curio("curio hybrid (cf part)") {
        try HybridRecommender.train(on: split.train, contentGraph: graph, configuration: HybridRecommender.Configuration().collaborativeOnly)
    }
    _ = try curio("curio hybrid (content part)") {
        try HybridRecommender.train(on: split.train, contentGraph: graph, configuration: HybridRecommender.Configuration().contentOnly)
    }
    let content = try curio("curio content") { try ContentRecommender.train(on: TrainingData(interactions: split.train, content: sparseFeatures)) }
    let itemknn = try curio("curio ItemKNN") { try ItemKNNRecommender.train(on: trainData) }
    _ = try curio("curio EASE") { try EASERecommender.train(on: trainData, configuration: .init(lambda: 100, maxItems: 8_000)) }

    // 5. Peers.
    try comparePeers(options: options, rows: &rows, warm: warm, evaluator: evaluator, peerNames: peerNames)

    // 6. Latency: one visitor's full recommendation (fold-in + scoring 70k items + top-10), in-process.
    var latency: [(String, Double, Double)] = []
    let histories = split.cases.prefix(1000).map(\.history)
    for (name, model) in [("ALS", als as any Recommender), ("hybrid", hybrid), ("content", content), ("ItemKNN", itemknn)] {
        var samples: [Double] = []
        for history in histories {
            let excluded = Set(history.map(\.item))
            let (_, seconds) = timed { model.recommend(history: history, k: 10, excluding: excluded) }
            samples.append(seconds * 1000)
        }
        samples.sort()
        latency.append((name, samples[samples.count / 2], samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]))
    }

    // 7. Report.
    try printReport(rows: rows, latency: latency, tate: tate, matrix: matrix, split: split, warm: warm, evaluator: evaluator, dir: dir)
}

typealias Row = (name: String, warm: ModelEvaluation, all: ModelEvaluation?, seconds: Double)

/// Runs (or reuses) the Python peers named in `peerNames` and appends their rows, scored by the same Swift code.
func comparePeers(options: Options, rows: inout [Row], warm: EvaluationSplit, evaluator: Evaluator, peerNames: [String]) throws {
    let dir = options.work
    var peers: [String: Double] = [:]
    if !options.skipPeers {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("recommend_peers.py")
        let timesFile = dir.appendingPathComponent("times.tsv")
        let previous = (try? String(contentsOf: timesFile, encoding: .utf8)) ?? ""
        let reuse = options.reusePeers && peerNames.allSatisfy { previous.contains($0) }
        if reuse {
            log("reusing peer results in \(dir.path)")
        } else {
        try? FileManager.default.removeItem(at: timesFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.python)
        process.arguments = [script.path, dir.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(options.peerTimeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 1) }
        if process.isRunning {
            log("peers still running after \(Int(options.peerTimeout)) s: stopping them and reporting those that finished")
            process.terminate()
            process.waitUntilExit()
        } else if process.terminationStatus != 0 {
            log("peer script failed with status \(process.terminationStatus); reporting those that finished")
        }
        }
        let times = (try? String(contentsOf: dir.appendingPathComponent("times.tsv"), encoding: .utf8)) ?? ""
        for line in times.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            guard parts.count == 2, let seconds = Double(parts[1]) else { continue }
            peers[String(parts[0])] = seconds
        }
        for name in peers.keys.sorted() {
            let text = try String(contentsOf: dir.appendingPathComponent("rankings_\(name).tsv"), encoding: .utf8)
            var lists = [[Int]](repeating: [], count: warm.cases.count)
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t")
                guard parts.count == 2, let c = Int(parts[0]), c < lists.count else { continue }
                lists[c] = parts[1].split(separator: " ").compactMap { Int($0) }
            }
            rows.append((name, evaluator.evaluate(rankings: lists, name: name, on: warm, trainingSeconds: peers[name]), nil, peers[name] ?? 0))
        }
    }
}

/// Writes the JSON and HTML reports and prints the table, the latencies and the ratios (last).
func printReport(rows: [Row], latency: [(String, Double, Double)], tate: TateCollection, matrix: InteractionMatrix,
                 split: EvaluationSplit, warm: EvaluationSplit, evaluator: Evaluator, dir: URL) throws {
    let report = evaluator.report(rows.map(\.warm), split: warm, baseline: "curio popularity")
    try report.json().write(to: dir.appendingPathComponent("report.json"))
    try HTMLReport.write(report, to: dir.appendingPathComponent("report.html"))
    print("")
    print("Curio recommenders vs peers — \(tate.items.count) Tate items, \(matrix.userCount) simulated visitors, global temporal split")
    print("Returning visitors (\(warm.cases.count)), full ranking over all items, metrics computed by the same Swift code:")
    print(pad("model", 30) + pad("ndcg@10", 10) + pad("recall@20", 11) + pad("train s", 10) + "cold-item recall@20 (all \(split.cases.count) test visitors)")
    for row in rows {
        let m = row.warm.result.metrics
        let cold = row.all.map { String(format: "%.4f", $0.result.coldItems["recall@20"] ?? 0) } ?? "–"
        let allNDCG = row.all.map { String(format: " ndcg@10 all %.4f", $0.result.metrics["ndcg@10"] ?? 0) } ?? ""
        print(pad(row.name, 30) + pad(String(format: "%.4f", m["ndcg@10"] ?? 0), 10) + pad(String(format: "%.4f", m["recall@20"] ?? 0), 11)
              + pad(String(format: "%.2f", row.seconds), 10) + cold + allNDCG)
    }
    if !latency.isEmpty {
        print("")
        print("Latency of one recommendation (fold-in + score \(tate.items.count) items + top-10), 1,000 visitors:")
        for (name, p50, p99) in latency { print(pad(name, 12) + String(format: "p50 %.2f ms   p99 %.2f ms", p50, p99)) }
    }
    print("")
    print("HTML report: \(dir.appendingPathComponent("report.html").path)")
    func metric(_ name: String, _ key: String) -> Double? { rows.first { $0.name == name }?.warm.result.metrics[key] }
    func seconds(_ name: String) -> Double? { rows.first { $0.name == name }?.seconds }
    print("")
    // Training times on a shared machine depend on what else runs: say how loaded it was.
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
        print("Load average at the end (1, 5, 15 min): \(load.split(separator: " ").prefix(3).joined(separator: " ")) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    }
    print("Ratios (peer / Curio for time: > 1 means Curio is faster; Curio / peer for accuracy: ≥ 1 means Curio is as accurate or better):")
    for (curioName, peerName) in [("curio ALS", "implicit_als"), ("curio BPR", "cornac_bpr"), ("curio hybrid", "cornac_vbpr")] {
        guard let ct = seconds(curioName), let pt = seconds(peerName), let cn = metric(curioName, "ndcg@10"),
              let pn = metric(peerName, "ndcg@10"), let cr = metric(curioName, "recall@20"), let pr = metric(peerName, "recall@20") else { continue }
        print(pad("\(curioName) vs \(peerName)", 36) + String(format: "training time ×%.2f   ndcg@10 ×%.2f   recall@20 ×%.2f", pt / ct,
                                                               pn > 0 ? cn / pn : .infinity, pr > 0 ? cr / pr : .infinity))
    }
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("curio-bench-recommend: \(error)\n".utf8))
    exit(70)
}
