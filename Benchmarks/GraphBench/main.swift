// Benchmark driver for CurioGraph: graph build, N-Triples round trip, embeddings, and the graph recommender on the
// evaluation harness. Used by Benchmarks/graph.sh; prints `key: value` lines.
import CurioCore
import CurioGraph
import CurioMath
import CurioRecommend
import Foundation

struct Arguments {
    var command = ""
    var directory = ""
    var options: [String: String] = [:]

    init(_ argv: [String]) throws {
        var rest = argv.dropFirst()
        guard let c = rest.popFirst(), let d = rest.popFirst() else { throw usage }
        command = c
        directory = d
        while let a = rest.popFirst() {
            guard a.hasPrefix("--"), let v = rest.popFirst() else { throw usage }
            options[String(a.dropFirst(2))] = v
        }
    }

    func int(_ name: String, _ fallback: Int) -> Int { options[name].flatMap(Int.init) ?? fallback }
    func string(_ name: String, _ fallback: String) -> String { options[name] ?? fallback }
}

struct UsageError: Error, CustomStringConvertible {
    var description: String
}

let usage = UsageError(description: """
usage: curio-graph-bench build TATE_DIR [--repeat N] [--export DIR]
       curio-graph-bench embed TATE_DIR [--model rotate|transe] [--dim N] [--epochs N] [--threads N]
       curio-graph-bench evaluate TATE_DIR [--visitors N] [--models a,b,…] [--embedding-epochs N] [--embedding-model M]
                                           [--embedding-relations r1,r2,…] [--fidelity-cases N]
""")

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU seconds used by this process so far (user + system), to read timings on a shared machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

func load(_ args: Arguments) throws -> TateCollection {
    var tate = TateCollection()
    let t = try seconds { tate = try TateCollection.load(directory: URL(fileURLWithPath: args.directory)) }
    print("load_seconds: \(fmt(t))  (JSONSerialization over gzip JSON Lines, \(tate.items.count) items, \(tate.agents.count) artists)")
    return tate
}

func runBuild(_ args: Arguments) throws {
    let tate = try load(args)
    var times: [Double] = []
    var graph: KnowledgeGraph?
    var cpu: [Double] = []
    for _ in 0..<max(1, args.int("repeat", 5)) {
        let c0 = cpuSeconds()
        times.append(seconds { graph = KnowledgeGraph.build(items: tate.items, agents: tate.agents, concepts: tate.concepts) })
        cpu.append(cpuSeconds() - c0)
    }
    guard let g = graph else { return }
    let s = g.stats()
    print("nodes: \(s.nodes)")
    print("edges: \(s.edges)")
    for k in NodeKind.allCases { print("nodes.\(k.name): \(s.nodesByKind[k] ?? 0)") }
    for r in Relation.allCases { print("edges.\(r.name): \(s.edgesByRelation[r] ?? 0)") }
    times.sort()
    print("build_seconds_min: \(fmt(times[0], 4))")
    print("build_seconds_median: \(fmt(times[times.count / 2], 4))")
    print("build_cpu_seconds_min: \(fmt(cpu.min() ?? 0, 4))")
    if let path = args.options["dump-keys"] {
        var lines = ""
        for n in 0..<g.nodeCount { lines += "\(g.kinds[n].name)\t\(g.keys[n])\n" }
        try lines.write(toFile: path, atomically: true, encoding: .utf8)
    }
    if let dir = args.options["export"] {
        let nt = dir + "/tate.nt", jsonld = dir + "/tate.jsonld"
        var triples = 0
        let te = try seconds { triples = try g.writeNTriples(to: nt) }
        print("ntriples_triples: \(triples)")
        print("ntriples_write_seconds: \(fmt(te))")
        var back: KnowledgeGraph?
        let c0 = cpuSeconds()
        let ti = try seconds { back = try KnowledgeGraph.readNTriples(path: nt) }
        print("ntriples_read_seconds: \(fmt(ti))  (cpu \(fmt(cpuSeconds() - c0)))")
        print("ntriples_round_trip_equal: \(back == g)")
        let tj = try seconds { try g.writeJSONLD(to: jsonld) }
        print("jsonld_write_seconds: \(fmt(tj))")
    }
}

func runEmbed(_ args: Arguments) throws {
    let tate = try load(args)
    // Hold out 1,000 item → maker edges (every 60th item) for link prediction.
    var training = tate.items
    var heldOut: [(ItemID, AgentID)] = []
    for i in stride(from: 0, to: training.count, by: 60) where training[i].makers.count == 1 && heldOut.count < 1_000 {
        heldOut.append((training[i].id, training[i].makers[0].agent))
        training[i].makers = []
    }
    let graph = KnowledgeGraph.build(items: training, agents: tate.agents, concepts: tate.concepts)
    guard let model = KGEmbeddingModel(rawValue: args.string("model", "rotate")) else { throw usage }
    let options = KGEmbeddingOptions(model: model, dimension: args.int("dim", 64), epochs: args.int("epochs", 10),
                                     negatives: args.int("negatives", 8), seed: 42, threads: args.int("threads", 2))
    print("embedding_model: \(model.rawValue)  dim \(options.dimension), \(options.epochs) epochs, \(options.negatives) negatives, \(options.threads) threads")
    let cpu0 = cpuSeconds()
    let (embeddings, report) = try KGEmbeddingTrainer.train(graph: graph, options: options) { epoch, loss in
        print("epoch \(epoch): loss \(fmt(loss, 4))")
    }
    print("embedding_triples: \(report.triples)")
    print("embedding_train_cpu_seconds: \(fmt(cpuSeconds() - cpu0, 2))")
    print("embedding_train_seconds: \(fmt(report.seconds, 2))")
    let tests = heldOut.compactMap { (item, agent) -> (NodeIndex, Relation, NodeIndex)? in
        guard let h = graph.node(item: item), let t = graph.node(agent: agent) else { return nil }
        return (h, .maker, t)
    }
    let lp = embeddings.tailPrediction(tests, candidates: graph.nodesByKind[Int(NodeKind.agent.rawValue)], known: graph)
    print("link_prediction_maker_mrr: \(fmt(lp.mrr, 4))  (\(tests.count) held-out item→maker edges, \(graph.count(of: .agent)) candidate makers)")
    print("link_prediction_maker_hits@10: \(fmt(lp.hitsAt10, 4))")
}

func runEvaluate(_ args: Arguments) throws {
    let tate = try load(args)
    let graph = KnowledgeGraph.build(items: tate.items, agents: tate.agents, concepts: tate.concepts)
    var config = VisitorSimulator.Configuration()
    config.visitors = args.int("visitors", 3_000)
    config.seed = 7
    let simulator = try VisitorSimulator(items: tate.items, concepts: tate.concepts, agents: tate.agents, configuration: config)
    let events = simulator.run().events
    let data = try InteractionBuilder(now: Date(timeIntervalSince1970: 1_800_000_000)).build(events: events, catalogue: tate.items.map(\.id))
    let split = try EvaluationSplit(data, strategy: .leaveLastOut)
    print("simulated_visitors: \(config.visitors)  events \(events.count), train interactions \(split.train.matrix.nonZeroCount), test visitors \(split.cases.count)")
    let metadata = MetadataFeatureEncoder.features(for: tate.items, concepts: tate.concepts)
    let evaluator = Evaluator()
    var evaluations: [ModelEvaluation] = []
    var embeddingFeatures: ItemFeatures?
    var models: [String: any Recommender] = [:]
    let names = args.string("models", "popularity,itemknn,ease,als,bpr,content,hybrid,graph,graph-embedding,content-graph-embedding").split(separator: ",").map(String.init)
    for name in names {
        var model: (any Recommender)?
        var fitNote = ""
        let t = try seconds {
            switch name {
            case GraphRecommender.modelName:
                let m = try GraphRecommender.train(on: TrainingData(interactions: split.train), graph: graph, seed: 7)
                if let r = m.fitReport {
                    fitNote = "  pairs \(r.pairs), pairwise accuracy \(fmt(r.pairwiseAccuracy)), weights " +
                        r.weights.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.3g", $0.value))" }.joined(separator: " ")
                }
                model = m
            case GraphEmbeddingRecommender.modelName:
                var c = GraphEmbeddingRecommender.Configuration()
                c.epochs = args.int("embedding-epochs", 10)
                c.model = KGEmbeddingModel(rawValue: args.string("embedding-model", "rotate")) ?? .rotatE
                if let r = args.options["embedding-relations"] { c.relations = r.split(separator: ",").map(String.init) }
                let m = try GraphEmbeddingRecommender.train(on: TrainingData(interactions: split.train), graph: graph,
                                                            configuration: c, seed: 7)
                embeddingFeatures = ItemFeatures(dense: m.vectors)
                model = m
            case "content-graph-embedding":
                // Graph embeddings used as a content modality by CurioRecommend's content model.
                guard let features = embeddingFeatures else { return }
                model = try ModelRegistry.train(ContentRecommender.modelName,
                                                on: TrainingData(interactions: split.train, content: features), seed: 7)
            default:
                // Content and hybrid models use CurioRecommend's metadata TF-IDF vectors (same facets as the graph).
                model = try ModelRegistry.train(name, on: TrainingData(interactions: split.train, content: metadata), seed: 7)
            }
        }
        guard let model else { continue }
        models[name] = model
        let e = evaluator.evaluate(model, name: name, on: split, trainingSeconds: t)
        evaluations.append(e)
        let m = e.result.metrics
        print("model \(name): ndcg@10 \(fmt(m["ndcg@10"] ?? 0, 4)), recall@10 \(fmt(m["recall@10"] ?? 0, 4)), coverage@10 \(fmt(m["coverage@10"] ?? 0, 4)), train \(fmt(t, 2)) s, rank \(fmt(e.result.rankingSeconds ?? 0, 2)) s\(fitNote)")
    }
    let report = evaluator.report(evaluations, split: split, baseline: names.contains("graph") ? "graph" : nil)
    for c in report.comparisons {
        print("compare \(c.model) vs \(c.baseline) on \(c.metric): \(fmt(c.modelMean, 4)) vs \(fmt(c.baselineMean, 4)), paired t p=\(String(format: "%.2g", c.tTestP))")
    }

    // Fidelity over the top-10 lists of the first N test visitors.
    let n = args.int("fidelity-cases", 300)
    func cases(_ model: any Recommender, _ weighted: ([HistoryEntry]) -> [WeightedItem]) -> [FidelityCase] {
        split.cases.prefix(n).map { test in
            let history = test.history.isEmpty ? (test.trainUser.map { split.train.history(ofUser: $0) } ?? []) : test.history
            let top = model.recommend(history: history, k: 10, excluding: test.excluded)
            return FidelityCase(history: weighted(history), recommended: top.map(\.id))
        }
    }
    func show(_ label: String, _ r: FidelityReport) {
        print("fidelity \(label): \(fmt(r.fidelity, 4)) of \(r.recommendations) recommendations (explained \(r.explained)), mean drop \(String(format: "%.4g", r.meanDrop)), mean relative drop \(fmt(r.meanRelativeDrop, 4)), top evidence share \(fmt(r.meanTopEvidenceShare, 4))")
    }
    if let g = models["graph"] as? GraphRecommender {
        let c = cases(g, g.weightedItems)
        var scorer = g.model
        show("graph (cut evidence links)", Fidelity.measure(scorer, cases: c))
        scorer.removal = .likedItem
        show("graph (remove liked item)", Fidelity.measure(scorer, cases: c))
        var kinds: [EvidenceKind: Int] = [:]
        var examples = 0
        for fc in c.prefix(50) {
            for item in fc.recommended {
                let e = g.model.explain(item, history: fc.history)
                if let k = e.because.first?.kind { kinds[k, default: 0] += 1 }
                if examples < 5, !e.sentence.isEmpty {
                    let title = graph.node(item: item).map { graph.label(of: $0) } ?? item.rawValue
                    print("example: *\(title)* — \(e.sentence)")
                    examples += 1
                }
            }
        }
        print("top_evidence_kinds: " + kinds.sorted { $0.value > $1.value }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))
    }
    if let m = models["graph-embedding"] as? GraphEmbeddingRecommender {
        let weighted: ([HistoryEntry]) -> [WeightedItem] = { h in h.filter { $0.weight > 0 }.map { WeightedItem(m.itemIDs[$0.item], weight: Double($0.weight)) } }
        show("graph-embedding (remove liked item)", Fidelity.measure(m, cases: cases(m, weighted)))
    }
    if let m = models["itemknn"] as? ItemKNNRecommender {
        let weighted: ([HistoryEntry]) -> [WeightedItem] = { h in h.map { WeightedItem(m.itemIDs[$0.item], weight: Double($0.weight)) } }
        show("itemknn (remove liked item)", Fidelity.measure(ItemKNNExplanations(model: m), cases: cases(m, weighted)))
    }
}

do {
    let args = try Arguments(CommandLine.arguments)
    switch args.command {
    case "build": try runBuild(args)
    case "embed": try runEmbed(args)
    case "evaluate": try runEvaluate(args)
    default: throw usage
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(error is UsageError ? 64 : 65)
}
