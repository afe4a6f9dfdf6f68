import CurioCore
import CurioMath
import Foundation

/// Offline evaluation with full ranking: every catalogue item is a candidate (no sampled negatives), items in the
/// visitor's history are excluded, and the top ``listLength`` items are compared with the held-out targets.
public struct Evaluator: Sendable {
    /// Cut-offs k for the @k metrics.
    public var cutoffs: [Int]
    /// Depth of each ranked list (MRR is computed within it).
    public var listLength: Int
    /// Content vectors for intra-list diversity (ILD is omitted without them).
    public var content: ItemFeatures?
    /// The per-visitor metric the significance tests compare.
    public var significanceMetric: String

    public init(cutoffs: [Int] = [5, 10, 20], listLength: Int = 100, content: ItemFeatures? = nil,
                significanceMetric: String = "ndcg@10") {
        self.cutoffs = cutoffs.filter { $0 > 0 }.sorted()
        self.listLength = max(listLength, self.cutoffs.last ?? 1)
        self.content = content
        self.significanceMetric = significanceMetric
    }

    /// The ranked lists of a model for every test case (parallel over visitors; BLAS kept single-threaded meanwhile).
    public func rankings(of model: any Recommender, on split: EvaluationSplit) -> [[Int]] {
        var out = [[Int]](repeating: [], count: split.cases.count)
        let threads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(threads) }
        let depth = listLength
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            Parallel.forEachChunk(count: split.cases.count) { range in
                for c in range {
                    let test = split.cases[c]
                    var scores = test.hasRevealedHistory
                        ? model.scores(forHistory: test.history)
                        : model.scores(forUser: test.trainUser, history: test.history)
                    for i in test.excluded where i < scores.count { scores[i] = -.infinity }
                    base[c] = TopK.largest(scores, k: depth).map(\.index)
                }
            }
        }
        return out
    }

    /// Trains nothing: evaluates a trained model on the split.
    public func evaluate(_ model: any Recommender, name: String? = nil, on split: EvaluationSplit,
                         trainingSeconds: Double? = nil) -> ModelEvaluation {
        let start = Date()
        let lists = rankings(of: model, on: split)
        var evaluation = evaluate(rankings: lists, name: name ?? model.name, on: split, trainingSeconds: trainingSeconds)
        evaluation.result.rankingSeconds = Date().timeIntervalSince(start)
        return evaluation
    }

    /// Evaluates ranked lists produced elsewhere (one per test case, in ``EvaluationSplit/cases`` order) — so
    /// peer libraries are scored by exactly the same code.
    public func evaluate(rankings: [[Int]], name: String, on split: EvaluationSplit,
                         trainingSeconds: Double? = nil) -> ModelEvaluation {
        let cases = split.cases
        let itemCount = split.train.itemCount
        let userCounts = split.train.itemUserCounts()
        let trainUsers = split.train.userCount
        var perUser: [String: [Double]] = [:]
        func record(_ key: String, _ value: Double) { perUser[key, default: []].append(value) }
        for (c, test) in cases.enumerated() {
            let list = c < rankings.count ? rankings[c] : []
            for k in cutoffs {
                record("recall@\(k)", RankingMetrics.recall(list, test.targets, k: k))
                record("ndcg@\(k)", RankingMetrics.ndcg(list, test.targets, k: k))
                record("hr@\(k)", RankingMetrics.hitRate(list, test.targets, k: k))
                record("precision@\(k)", RankingMetrics.precision(list, test.targets, k: k))
                record("novelty@\(k)", RankingMetrics.novelty(list, k: k, itemUserCounts: userCounts, userCount: trainUsers))
                if let content {
                    record("ild@\(k)", RankingMetrics.intraListDiversity(list, k: k) { content.cosine($0, $1) })
                }
            }
            record("mrr", RankingMetrics.reciprocalRank(list, test.targets))
        }
        func mean(_ values: [Double], where include: (Int) -> Bool) -> Double {
            var sum = 0.0
            var n = 0
            for (i, v) in values.enumerated() where include(i) {
                sum += v
                n += 1
            }
            return n > 0 ? sum / Double(n) : 0
        }
        var metrics: [String: Double] = [:]
        var cold: [String: Double] = [:]
        for (key, values) in perUser {
            metrics[key] = mean(values) { _ in true }
            if !key.hasPrefix("novelty") && !key.hasPrefix("ild") { cold[key] = mean(values) { cases[$0].isColdUser } }
        }
        let lists = Array(rankings.prefix(cases.count))
        for k in cutoffs {
            metrics["coverage@\(k)"] = RankingMetrics.coverage(lists, k: k, catalogueSize: itemCount)
            metrics["exposure_gini@\(k)"] = RankingMetrics.exposureGini(lists, k: k, catalogueSize: itemCount)
        }
        metrics["exposure_gini"] = metrics["exposure_gini@\(cutoffs.contains(10) ? 10 : (cutoffs.last ?? 10))"]
        // Cold items: micro-averaged recall over held-out pairs whose item had no training interaction.
        var coldItems: [String: Double] = [:]
        var coldTargets = 0
        var coldHits = [Int](repeating: 0, count: cutoffs.count)
        for (c, test) in cases.enumerated() {
            let targets = test.targets.intersection(split.coldItems)
            guard !targets.isEmpty else { continue }
            coldTargets += targets.count
            let list = c < rankings.count ? rankings[c] : []
            for (n, k) in cutoffs.enumerated() { coldHits[n] += RankingMetrics.hits(list, targets, k: k) }
        }
        for (n, k) in cutoffs.enumerated() {
            coldItems["recall@\(k)"] = coldTargets > 0 ? Double(coldHits[n]) / Double(coldTargets) : 0
        }
        coldItems["targets"] = Double(coldTargets)
        let coldUserCount = cases.filter(\.isColdUser).count
        cold["users"] = Double(coldUserCount)
        let result = ModelResult(name: name, users: cases.count, metrics: metrics, coldUsers: cold, coldItems: coldItems,
                                 trainingSeconds: trainingSeconds, rankingSeconds: nil)
        return ModelEvaluation(result: result, perUser: perUser)
    }

    /// Compares every model with `baseline` (or every pair when nil) on ``significanceMetric`` and assembles the report.
    public func report(_ evaluations: [ModelEvaluation], split: EvaluationSplit, baseline: String? = nil) -> EvaluationReport {
        var comparisons: [Comparison] = []
        let metric = significanceMetric
        for (i, a) in evaluations.enumerated() {
            for (j, b) in evaluations.enumerated() where j > i {
                if let baseline, a.result.name != baseline && b.result.name != baseline { continue }
                let (base, model) = a.result.name == baseline ? (a, b) : (b.result.name == baseline ? (b, a) : (a, b))
                guard let x = model.perUser[metric], let y = base.perUser[metric] else { continue }
                let t = SignificanceTests.pairedTTest(x, y)
                let w = SignificanceTests.wilcoxonSignedRank(x, y)
                let mx = x.reduce(0, +) / Double(max(1, x.count))
                let my = y.reduce(0, +) / Double(max(1, y.count))
                comparisons.append(Comparison(baseline: base.result.name, model: model.result.name, metric: metric,
                                              modelMean: mx, baselineMean: my, meanDifference: mx - my,
                                              relativeDifference: my != 0 ? (mx - my) / my : nil,
                                              tTestP: t.pValue, wilcoxonP: w.pValue, users: t.count))
            }
        }
        let coldUsers = split.cases.filter(\.isColdUser).count
        return EvaluationReport(split: split.strategy.name, cutoff: split.cutoff, catalogueItems: split.train.itemCount,
                                trainVisitors: split.train.userCount, trainInteractions: split.train.matrix.nonZeroCount,
                                testVisitors: split.cases.count, coldVisitors: coldUsers, coldItems: split.coldItems.count,
                                cutoffs: cutoffs, models: evaluations.map(\.result), comparisons: comparisons,
                                generatedAt: Date())
    }
}

/// A model's figures plus the per-visitor values behind them (kept for significance tests, not serialised).
public struct ModelEvaluation: Sendable {
    public var result: ModelResult
    /// Per-visitor values by metric name, in test-case order.
    public var perUser: [String: [Double]]
}
