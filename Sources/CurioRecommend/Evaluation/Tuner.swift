import CurioCore
import CurioMath
import Foundation

/// Hyper-parameter search on a validation split: every candidate is trained on the split's training part and scored
/// on its held-out part with the ``Evaluator``; the best by the chosen metric wins.
///
/// Tune on a split of the *training* data (not the final test set), then retrain the winner on everything.
public struct Tuner: Sendable {
    /// How candidates are generated.
    public enum Strategy: Sendable, Hashable {
        /// Every combination of the listed values.
        case grid
        /// `trials` combinations drawn uniformly (seeded) from the listed values.
        case random(trials: Int)
    }

    /// One evaluated candidate.
    public struct Trial: Sendable, Codable, Hashable {
        public var parameters: [String: ParameterValue]
        public var score: Double
        public var trainingSeconds: Double
    }

    /// The search result, best first.
    public struct Result: Sendable, Codable, Hashable {
        public var model: String
        public var metric: String
        public var trials: [Trial]
        public var best: Trial? { trials.first }
    }

    public var model: String
    /// Parameter names (snake_case) and the values to try.
    public var space: [String: [ParameterValue]]
    public var strategy: Strategy
    /// Metric to maximise (e.g. `ndcg@10`).
    public var metric: String
    public var seed: UInt64
    public var evaluator: Evaluator

    public init(model: String, space: [String: [ParameterValue]], strategy: Strategy = .grid, metric: String = "ndcg@10",
                seed: UInt64 = 1, evaluator: Evaluator = Evaluator()) {
        self.model = model
        self.space = space
        self.strategy = strategy
        self.metric = metric
        self.seed = seed
        self.evaluator = evaluator
    }

    /// The candidate parameter sets, in a deterministic order.
    public func candidates() -> [[String: ParameterValue]] {
        let names = space.keys.sorted()
        switch strategy {
        case .grid:
            var out: [[String: ParameterValue]] = [[:]]
            for name in names {
                let values = space[name] ?? []
                out = out.flatMap { partial in values.map { partial.merging([name: $0]) { _, b in b } } }
            }
            return out
        case let .random(trials):
            var random = SeededRandom(seed: seed, stream: 0x7E7E)
            var seen = Set<[String: ParameterValue]>()
            var out: [[String: ParameterValue]] = []
            var attempts = 0
            while out.count < trials && attempts < trials * 20 {
                attempts += 1
                var candidate: [String: ParameterValue] = [:]
                for name in names {
                    let values = space[name] ?? []
                    if !values.isEmpty { candidate[name] = values[random.nextInt(below: values.count)] }
                }
                if seen.insert(candidate).inserted { out.append(candidate) }
            }
            return out
        }
    }

    /// Runs the search.
    /// - Parameters:
    ///   - split: the validation split (built from training data only).
    ///   - content: content vectors for content-aware models.
    /// - Throws: ``RecommendError/badParameter(name:reason:)`` for an empty space or unknown parameter, and any
    ///   training error.
    public func run(on split: EvaluationSplit, content: ItemFeatures? = nil,
                    progress: ((Int, Int, Trial) -> Void)? = nil) throws(RecommendError) -> Result {
        let list = candidates()
        guard !list.isEmpty else { throw .badParameter(name: "space", reason: "has no candidate to try") }
        var trials: [Trial] = []
        for (n, parameters) in list.enumerated() {
            let start = Date()
            let model = try ModelRegistry.train(self.model, on: TrainingData(interactions: split.train, content: content),
                                                parameters: parameters, seed: seed)
            let seconds = Date().timeIntervalSince(start)
            let evaluation = evaluator.evaluate(model, on: split, trainingSeconds: seconds)
            guard let score = evaluation.result.metrics[metric] else {
                throw .badParameter(name: "metric", reason: "'\(metric)' is not computed; known: \(evaluation.result.metrics.keys.sorted().joined(separator: ", "))")
            }
            let trial = Trial(parameters: parameters, score: score, trainingSeconds: seconds)
            trials.append(trial)
            progress?(n + 1, list.count, trial)
        }
        trials.sort { $0.score > $1.score }
        return Result(model: model, metric: metric, trials: trials)
    }
}
