import Foundation

/// One model's evaluation figures. Metric names follow the project convention: `ndcg@10`, `recall@20`, `mrr`,
/// `hr@10`, `precision@10`, `coverage@10`, `novelty@10`, `ild@10`, `exposure_gini@10` (and `exposure_gini`, at 10).
public struct ModelResult: Sendable, Codable, Hashable {
    public var name: String
    /// Number of test visitors.
    public var users: Int
    /// Figures over all test visitors.
    public var metrics: [String: Double]
    /// Figures over visitors with at most three history interactions (plus `users`, their number).
    public var coldUsers: [String: Double]
    /// Recall over held-out pairs whose item had no training interaction (plus `targets`, their number).
    public var coldItems: [String: Double]
    public var trainingSeconds: Double?
    public var rankingSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case name, users, metrics
        case coldUsers = "cold_users"
        case coldItems = "cold_items"
        case trainingSeconds = "training_seconds"
        case rankingSeconds = "ranking_seconds"
    }
}

/// A paired comparison of two models on one per-visitor metric.
public struct Comparison: Sendable, Codable, Hashable {
    public var baseline: String
    public var model: String
    public var metric: String
    public var modelMean: Double
    public var baselineMean: Double
    public var meanDifference: Double
    public var relativeDifference: Double?
    /// Two-sided p-value of the paired t-test.
    public var tTestP: Double
    /// Two-sided p-value of the Wilcoxon signed-rank test.
    public var wilcoxonP: Double
    public var users: Int

    enum CodingKeys: String, CodingKey {
        case baseline, model, metric, users
        case modelMean = "model_mean"
        case baselineMean = "baseline_mean"
        case meanDifference = "mean_difference"
        case relativeDifference = "relative_difference"
        case tTestP = "t_test_p"
        case wilcoxonP = "wilcoxon_p"
    }
}

/// The result of `curio evaluate`: the protocol, every model's figures and the significance tests.
public struct EvaluationReport: Sendable, Codable, Hashable {
    /// `leave-last`, `user-temporal` or `global-temporal`.
    public var split: String
    /// The global temporal cut-off time, when used.
    public var cutoff: Date?
    public var catalogueItems: Int
    public var trainVisitors: Int
    public var trainInteractions: Int
    public var testVisitors: Int
    public var coldVisitors: Int
    public var coldItems: Int
    public var cutoffs: [Int]
    public var models: [ModelResult]
    public var comparisons: [Comparison]
    public var generatedAt: Date

    enum CodingKeys: String, CodingKey {
        case split, cutoff, cutoffs, models, comparisons
        case catalogueItems = "catalogue_items"
        case trainVisitors = "train_visitors"
        case trainInteractions = "train_interactions"
        case testVisitors = "test_visitors"
        case coldVisitors = "cold_visitors"
        case coldItems = "cold_items"
        case generatedAt = "generated_at"
    }

    /// Pretty-printed JSON with ISO 8601 dates and sorted keys.
    public func json() throws(RecommendError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try encoder.encode(self)
        } catch {
            throw .invalidData("evaluation report cannot be encoded: \(error)")
        }
    }

    /// Decodes a report written by ``json()``.
    public static func decode(_ data: Data) throws(RecommendError) -> EvaluationReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(EvaluationReport.self, from: data)
        } catch {
            throw .invalidData("evaluation report cannot be read: \(error)")
        }
    }
}
