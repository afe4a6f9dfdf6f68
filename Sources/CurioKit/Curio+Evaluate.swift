import CurioCore
import CurioGraph
import CurioMath
import CurioPolicy
import CurioRecommend
import Foundation

/// What `curio evaluate` is asked to do.
public struct EvaluationOptions: Sendable {
    /// Models to train on the training part and compare (names from ``Curio/trainableModels``).
    public var models: [String]
    /// `leave-last`, `user-temporal` or `global-temporal`.
    public var split: String
    /// Curator policies to apply on top of every model (each with its ablations).
    public var policies: [String]
    public var seed: UInt64
    /// How many test visitors' top-10 lists the explanation fidelity is measured on.
    public var fidelityVisitors: Int
    /// Hyper-parameter overrides, by model name.
    public var parameters: [String: [String: ParameterValue]]

    public init(models: [String], split: String = "global-temporal", policies: [String] = [], seed: UInt64 = 42,
                fidelityVisitors: Int = 200, parameters: [String: [String: ParameterValue]] = [:]) {
        self.models = models
        self.split = split
        self.policies = policies
        self.seed = seed
        self.fidelityVisitors = fidelityVisitors
        self.parameters = parameters
    }
}

/// The result of `curio evaluate`: accuracy and beyond-accuracy figures with significance tests (the
/// ``CurioRecommend/EvaluationReport``), explanation fidelity per model, and the policy's effect.
public struct CurioEvaluation: Sendable, Codable {
    public var report: EvaluationReport
    /// Per model: remove each recommendation's top cited evidence, recompute, count score drops.
    public var fidelity: [String: FidelityReport]
    /// The policy's effect on every model, with one row per re-ranker alone.
    public var policy: [PolicyEvaluation]
}

/// A policy (and each of its re-rankers alone) applied to one model's candidate lists for every test visitor.
public struct PolicyEvaluation: Sendable, Codable {
    public var policy: String
    public var model: String
    /// List length the policy produced.
    public var k: Int
    /// `model` (no policy), `policy` (all of it), then `only:<re-ranker>` for each part of the policy.
    public var variants: [PolicyVariantResult]
}

/// Accuracy, exposure and beyond-accuracy figures of one variant.
public struct PolicyVariantResult: Sendable, Codable {
    public var name: String
    /// `ndcg@10`, `recall@10`, `coverage@10`, `exposure_gini@10`…
    public var metrics: [String: Double]
    /// Relative change of `ndcg@10` against the model alone (negative = accuracy cost).
    public var ndcgChange: Double
    /// Exposure share per group of the policy's exposure attribute (or maker gender), over the lists served.
    public var exposureShares: [String: Double]
    /// Targets of the policy for those groups (minimum shares).
    public var exposureTargets: [String: Double]
    /// The most exposed maker and its share of all exposure.
    public var dominantMaker: String
    public var dominantMakerShare: Double
    /// Mean popularity of recommended objects relative to the visitors' own (negative = deeper into the long tail).
    public var popularityLift: Double
    /// Mean KL divergence between the visitor's mix (over the calibration attribute, else century) and the list's.
    public var calibrationKL: Double
    /// Mean intra-list diversity (1 − mean pairwise similarity of the metadata vectors).
    public var intraListDiversity: Double

    enum CodingKeys: String, CodingKey {
        case name, metrics
        case ndcgChange = "ndcg_change"
        case exposureShares = "exposure_shares"
        case exposureTargets = "exposure_targets"
        case dominantMaker = "dominant_maker"
        case dominantMakerShare = "dominant_maker_share"
        case popularityLift = "popularity_lift"
        case calibrationKL = "calibration_kl"
        case intraListDiversity = "intra_list_diversity"
    }
}

extension Curio {
    /// Trains every model on the training part of a split of the stored events, ranks the whole catalogue for every
    /// test visitor and reports accuracy, coverage, novelty, diversity, exposure, cold visitors and items, paired
    /// significance tests, explanation fidelity and — with a policy — the exposure it delivers and what each of its
    /// re-rankers costs in accuracy.
    /// - Throws: ``RecommendationSetupError`` (unknown model or policy, no events), ``CurioRecommend/RecommendError``.
    public func evaluate(_ options: EvaluationOptions, progress: (String) -> Void = { _ in }) throws -> CurioEvaluation {
        for m in options.models where !Self.trainableModels.contains(m) {
            throw RecommendationSetupError.unknownModel(name: m, known: Self.trainableModels)
        }
        let service = try recommendations()
        let policies = try options.policies.map { name -> Policy in
            guard let p = try service.policies.resolve(name) else {
                throw RecommendationSetupError.badParameter(name: "policy", reason: "'none' cannot be evaluated; name a policy")
            }
            return p
        }
        progress("reading the collection")
        let state = try service.current()
        let snapshot = state.snapshot
        let events = try store.allEvents(since: nil)
        let matrix = try InteractionBuilder().build(events: events, catalogue: snapshot.itemIDs)
        guard matrix.matrix.nonZeroCount > 0 else { throw RecommendationSetupError.noEvents }
        let split = try EvaluationSplit(matrix, strategy: SplitStrategy.named(options.split))
        progress("\(split.strategy.name) split: \(split.train.userCount) training visitors, \(split.cases.count) test visitors")
        let evaluator = Evaluator(content: snapshot.content)
        let depth = evaluator.listLength
        // Policies re-rank as many candidates as serving does (10 × k, at least 200).
        let candidateDepth = policies.isEmpty ? depth : max(depth, 200)
        var evaluations: [ModelEvaluation] = []
        var fidelity: [String: FidelityReport] = [:]
        var policyResults: [PolicyEvaluation] = []
        for name in options.models {
            progress("training \(name)")
            let start = Date()
            let model = try Self.trainModel(name, data: TrainingData(interactions: split.train, content: snapshot.content),
                                            graph: snapshot.graph, parameters: options.parameters[name] ?? [:], seed: options.seed)
            let trainingSeconds = Date().timeIntervalSince(start)
            progress("ranking \(snapshot.items.count) objects for \(split.cases.count) visitors with \(name)")
            let rankStart = Date()
            let candidates = Self.candidateLists(model, split: split, depth: candidateDepth)
            var evaluation = evaluator.evaluate(rankings: candidates.map { $0.prefix(depth).map(\.index) }, name: name, on: split,
                                                trainingSeconds: trainingSeconds)
            evaluation.result.rankingSeconds = Date().timeIntervalSince(rankStart)
            evaluations.append(evaluation)
            progress("explanation fidelity of \(name)")
            fidelity[name] = Self.fidelity(of: model, split: split, candidates: candidates, composer: state.composer,
                                           visitors: options.fidelityVisitors)
            for policy in policies {
                progress("policy \(policy.name) on \(name)")
                policyResults.append(Self.evaluate(policy, model: name, candidates: candidates, split: split,
                                                   snapshot: snapshot, evaluator: evaluator))
            }
        }
        let report = evaluator.report(evaluations, split: split, baseline: options.models.count > 1 ? options.models[0] : nil)
        return CurioEvaluation(report: report, fidelity: fidelity, policy: policyResults)
    }

    /// The top `depth` objects with scores for every test case (history excluded), in parallel.
    static func candidateLists(_ model: any Recommender, split: EvaluationSplit, depth: Int) -> [[(index: Int, score: Float)]] {
        var out = [[(index: Int, score: Float)]](repeating: [], count: split.cases.count)
        let threads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(threads) }
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            Parallel.forEachChunk(count: split.cases.count) { range in
                for c in range {
                    let test = split.cases[c]
                    var scores = test.hasRevealedHistory ? model.scores(forHistory: test.history)
                        : model.scores(forUser: test.trainUser, history: test.history)
                    for i in test.excluded where i < scores.count { scores[i] = -.infinity }
                    base[c] = TopK.largest(scores, k: depth).filter { $0.score.isFinite }
                }
            }
        }
        return out
    }

    /// Fidelity of the explanations as served: for the top-10 of up to `visitors` test visitors with at least two
    /// history objects, the top evidence of each recommendation is removed and the model's score recomputed.
    ///
    /// The graph model's evidence is its exact decomposition and removal cuts the cited links in the graph; for other
    /// models the evidence is the served `because` (leave-one-out attribution typed by the graph) and removal takes
    /// the cited object out of the history.
    static func fidelity(of model: any Recommender, split: EvaluationSplit, candidates: [[(index: Int, score: Float)]],
                         composer: ExplanationComposer, visitors: Int) -> FidelityReport {
        let ids = model.itemIDs
        var cases: [FidelityCase] = []
        for (c, test) in split.cases.enumerated() where Set(test.history.map(\.item)).count >= 2 {
            let history = test.history.filter { $0.weight > 0 }.map { WeightedItem(ids[$0.item], weight: Double($0.weight)) }
            cases.append(FidelityCase(history: history, recommended: candidates[c].prefix(10).map { ids[$0.index] }))
            if cases.count == visitors { break }
        }
        if let graph = model as? GraphRecommender { return Fidelity.measure(graph.model, cases: cases) }
        let scorer = ServedExplanationScorer(base: AttributionScorer(model: model, kind: ServingModel.fallbackKind(of: model.name)),
                                             composer: composer)
        return Fidelity.measure(scorer, cases: cases)
    }

    /// Applies `policy` (then each of its parts alone) to the candidate lists, in test order, with a fresh exposure
    /// ledger per variant so that amortised targets behave as in serving: lists of 10 from up to 200 candidates.
    static func evaluate(_ policy: Policy, model: String, candidates: [[(index: Int, score: Float)]], split: EvaluationSplit,
                         snapshot: CollectionSnapshot, evaluator: Evaluator) -> PolicyEvaluation {
        let k = 10
        let catalogue = snapshot.policyCatalogue
        let histories = split.cases.map { $0.history.filter { $0.weight > 0 }.map(\.item) }
        var variants: [(String, Policy?)] = [("model", nil), ("policy", policy)]
        for (part, alone) in policy.parts() { variants.append(("only:\(part)", alone)) }
        let attribute = policy.exposure?.attribute ?? .makerGender
        let calibrationAttribute = policy.calibration?.attribute ?? .century
        var results: [PolicyVariantResult] = []
        var baseNDCG = 0.0
        for (name, variant) in variants {
            let engine = PolicyEngine(catalogue: catalogue, ledger: ExposureLedger())
            var lists: [[Int]] = []
            lists.reserveCapacity(candidates.count)
            for (c, list) in candidates.enumerated() {
                if let variant {
                    let request = RerankRequest(candidates: list.map { (catalogue.ids[$0.index], $0.score) }, k: k,
                                                history: histories[c].map { catalogue.ids[$0] })
                    lists.append(engine.apply(variant, to: request).items.compactMap { catalogue.index[$0.id] })
                } else {
                    let top = Array(list.prefix(k).map(\.index))
                    engine.ledger.record(top, catalogue: catalogue, attributes: [.makerGender, .maker, attribute])
                    lists.append(top)
                }
            }
            let metrics = evaluator.evaluate(rankings: lists, name: name, on: split).result.metrics
            let ndcg = metrics["ndcg@10"] ?? 0
            if variant == nil { baseNDCG = ndcg }
            let exposure = engine.ledger.groupExposure(attribute)
            let total = exposure.values.reduce(0, +)
            let known = total - (exposure[GroupAttribute.unknownValue] ?? 0)
            let denominator = policy.exposure?.denominator == .all ? total : known
            var shares: [String: Double] = [:]
            for (group, e) in exposure where group != GroupAttribute.unknownValue { shares[group] = denominator > 0 ? e / denominator : 0 }
            let makers = engine.ledger.groupExposure(.maker)
            let makerTotal = makers.values.reduce(0, +)
            let dominant = makers.filter { $0.key != GroupAttribute.unknownValue }.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
            let withHistory = lists.indices.filter { !histories[$0].isEmpty }
            let kl = withHistory.map { PolicyMetrics.calibrationKL(history: histories[$0], list: Array(lists[$0].prefix(10)),
                                                                    attribute: calibrationAttribute, catalogue: catalogue) }
            let ild = lists.map { PolicyMetrics.intraListDiversity(Array($0.prefix(10)), catalogue: catalogue) }
            let dominantName = dominant.flatMap { d in snapshot.agents[AgentID(d.key)]?.name } ?? dominant?.key ?? ""
            results.append(PolicyVariantResult(
                name: name, metrics: metrics, ndcgChange: baseNDCG > 0 ? (ndcg - baseNDCG) / baseNDCG : 0,
                exposureShares: shares,
                exposureTargets: (policy.exposure?.targets ?? [:]).compactMapValues(\.min),
                dominantMaker: dominantName, dominantMakerShare: makerTotal > 0 ? (dominant?.value ?? 0) / makerTotal : 0,
                popularityLift: PolicyMetrics.popularityLift(lists: lists.map { Array($0.prefix(10)) },
                                                            histories: histories, catalogue: catalogue),
                calibrationKL: kl.isEmpty ? 0 : kl.reduce(0, +) / Double(kl.count),
                intraListDiversity: ild.isEmpty ? 0 : ild.reduce(0, +) / Double(ild.count)))
        }
        return PolicyEvaluation(policy: policy.name, model: model, k: k, variants: results)
    }
}

extension Policy {
    /// The policy split into its re-rankers, each as a policy of its own (for their accuracy cost alone).
    func parts() -> [(String, Policy)] {
        var out: [(String, Policy)] = []
        func alone(_ build: (inout Policy) -> Void) -> Policy {
            var p = Policy(name: name, version: version)
            build(&p)
            return p
        }
        if popularityCorrection > 0 { out.append(("popularity_correction", alone { $0.popularityCorrection = popularityCorrection })) }
        if diversity > 0 { out.append(("diversity", alone { $0.diversity = diversity })) }
        if let m = maxPerMaker { out.append(("max_per_maker", alone { $0.maxPerMaker = m })) }
        if let m = makerShare { out.append(("max_maker_share", alone { $0.makerShare = m })) }
        if let c = calibration { out.append(("calibration", alone { $0.calibration = c })) }
        if let e = exposure { out.append(("exposure", alone { $0.exposure = e })) }
        if !rules.isEmpty { out.append(("rules", alone { $0.rules = rules })) }
        return out.count > 1 ? out : []
    }
}

/// The served explanation as an ``CurioGraph/ExplainableScorer``: the graph-typed `because` list built from the
/// model's leave-one-out attribution, exactly as ``RecommendationService`` builds it.
struct ServedExplanationScorer: ExplainableScorer {
    let base: AttributionScorer
    let composer: ExplanationComposer

    func score(_ item: ItemID, history: [WeightedItem]) -> Double { base.score(item, history: history) }

    func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
        let attributions = base.contributions(item, history: history).compactMap { e in e.likedItem.map { ($0, e.weight) } }
        let typed = composer.typed([item], history: history.map(\.item))[0]
        return composer.evidence(typed: typed, attributions: attributions, fallback: base.kind)
    }
}

extension Curio {
    /// Default search spaces for `curio tune`, per model (snake_case parameter names, values to try).
    public static let defaultTuningSpaces: [String: [String: [ParameterValue]]] = [
        "itemknn": ["neighbours": [.number(50), .number(100), .number(200)], "similarity": [.text("cosine"), .text("bm25")]],
        "ease": ["lambda": [.number(10), .number(50), .number(100), .number(300), .number(1000)]],
        "als": ["factors": [.number(32), .number(64)], "regularization": [.number(0.01), .number(0.1), .number(1)],
                "alpha": [.number(1), .number(2), .number(5)]],
        "bpr": ["factors": [.number(32), .number(64)], "learning_rate": [.number(0.02), .number(0.05)],
                "regularization": [.number(0.0005), .number(0.002), .number(0.01)]],
        "hybrid": ["content_weight": [.number(0.1), .number(0.3), .number(1)], "propagation_weight": [.number(0.5), .number(1), .number(2)],
                   "item_degree_exponent": [.number(0.25), .number(0.5), .number(1)]],
        "content": ["half_life_days": [.number(7), .number(30), .none]],
        "popularity": ["half_life_days": [.number(30), .number(180), .none]],
    ]

    /// Searches hyper-parameters of a model on a validation split carved out of the *training* part of `split`, so the
    /// final test set stays unseen; retrain the winner with `curio train --param …`.
    /// - Parameters:
    ///   - space: values to try by parameter (nil: ``defaultTuningSpaces``).
    ///   - trials: nil for a full grid, else that many seeded random combinations.
    /// - Throws: ``RecommendationSetupError`` (unknown model, no events), ``CurioRecommend/RecommendError``.
    public func tune(model: String, space: [String: [ParameterValue]]?, trials: Int?, metric: String = "ndcg@10",
                     split: String = "global-temporal", seed: UInt64 = 42,
                     progress: @escaping (Int, Int, Tuner.Trial) -> Void = { _, _, _ in }) throws -> Tuner.Result {
        guard ModelRegistry.names.contains(model) else {
            throw RecommendationSetupError.unknownModel(name: model, known: ModelRegistry.names)
        }
        guard let space = space ?? Self.defaultTuningSpaces[model], !space.isEmpty else {
            throw RecommendationSetupError.badParameter(name: "space", reason: "give the values to try with --param name=v1,v2")
        }
        let snapshot = try recommendations().snapshot()
        let events = try store.allEvents(since: nil)
        let matrix = try InteractionBuilder().build(events: events, catalogue: snapshot.itemIDs)
        guard matrix.matrix.nonZeroCount > 0 else { throw RecommendationSetupError.noEvents }
        let strategy = try SplitStrategy.named(split)
        let outer = try EvaluationSplit(matrix, strategy: strategy)
        let validation = try EvaluationSplit(outer.train, strategy: strategy)
        let tuner = Tuner(model: model, space: space, strategy: trials.map { .random(trials: $0) } ?? .grid, metric: metric,
                          seed: seed, evaluator: Evaluator(content: snapshot.content))
        return try tuner.run(on: validation, content: snapshot.content, progress: progress)
    }
}
