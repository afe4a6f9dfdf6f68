import CurioCore
import CurioMath
import Foundation

/// The non-personalised baseline: items ranked by how many visitors engaged with them, optionally time-decayed so
/// that what is popular *now* (a new display, a loan) outranks what was popular years ago.
///
/// With a half-life `h` days, an interaction at time `t` counts `0.5^((T − t) / h)` where `T` is the latest training
/// interaction. Every visitor gets the same list (minus what they have seen).
public struct PopularityRecommender: TrainableRecommender {
    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        /// Half-life of an interaction's contribution in days; nil for plain (global) popularity.
        public var halfLifeDays: Double?
        /// Count confidence weights instead of visitors (each visitor counts 1 by default).
        public var useWeights: Bool = false
        public init(halfLifeDays: Double? = nil, useWeights: Bool = false) {
            self.halfLifeDays = halfLifeDays
            self.useWeights = useWeights
        }
    }

    public static let modelName = "popularity"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// Popularity score of each item.
    public let popularity: [Float]
    let seed: UInt64

    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> PopularityRecommender {
        if let h = configuration.halfLifeDays { try require(h > 0 && h.isFinite, "half_life_days", "must be a positive number of days") }
        let m = data.interactions
        let reference = m.latestTime
        var popularity = [Float](repeating: 0, count: m.itemCount)
        for p in 0..<m.matrix.nonZeroCount {
            var w: Float = configuration.useWeights ? m.matrix.values[p] : 1
            if let h = configuration.halfLifeDays {
                w *= Float(pow(0.5, (reference - m.times[p]) / (h * 86_400)))
            }
            popularity[Int(m.matrix.columnIndices[p])] += w
        }
        return PopularityRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs,
                                     popularity: popularity, seed: seed)
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], popularity: [Float], seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.popularity = popularity
        self.seed = seed
    }

    public func scores(forUser user: Int) -> [Float] { popularity }
    public func scores(forHistory history: [HistoryEntry]) -> [Float] { popularity }

    /// The most popular other items (popularity knows nothing about similarity).
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        rank(popularity, k: k, excluding: [item])
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        try makeArtefact(seed: seed, users: userIDs, tensors: ["popularity": .float32(popularity, shape: [popularity.count])])
    }

    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        configuration = try artefact.decodeParameters(Configuration.self)
        itemIDs = artefact.itemIDs
        userIDs = artefact.userIDs
        popularity = try artefact.floats("popularity", count: artefact.itemIDs.count)
        seed = artefact.seed
    }
}
