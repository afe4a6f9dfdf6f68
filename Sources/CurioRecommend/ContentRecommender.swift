import CurioCore
import CurioMath
import Foundation

/// Content-based recommendations: a visitor is the weighted, time-decayed sum of the content vectors of the
/// objects they engaged with, and every object is scored by its cosine with that profile.
///
/// `u = Σ_h w_h · 0.5^((t_last − t_h)/half-life) · v_h`, `score_i = v_i · u`. Negative history weights (skips,
/// dislikes passed in by the caller) subtract, scaled by ``Configuration/negativeWeight``.
///
/// Needs no interactions at all: it serves a visitor from their first event, and a newly catalogued object is
/// recommendable the moment its vector is added with ``adding(items:features:)`` — no retraining. Content vectors
/// come from outside (text, image or graph embeddings) or from ``MetadataFeatureEncoder``.
public struct ContentRecommender: TrainableRecommender {
    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        /// Half-life of an interaction's influence on the profile, in days (nil: no decay).
        public var halfLifeDays: Double? = 30
        /// Multiplier for negative history weights.
        public var negativeWeight: Float = 0.5
        /// Compress confidences with ln(1 + w) so one long look does not drown the rest.
        public var logWeights: Bool = true
        public init(halfLifeDays: Double? = 30, negativeWeight: Float = 0.5, logWeights: Bool = true) {
            self.halfLifeDays = halfLifeDays
            self.negativeWeight = negativeWeight
            self.logWeights = logWeights
        }
    }

    public static let modelName = "content"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// The item content vectors (catalogue order).
    public let features: ItemFeatures
    let histories: StoredHistories
    let seed: UInt64

    /// Trains on interactions plus content vectors (``TrainingData/content`` is required).
    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> ContentRecommender {
        if let h = configuration.halfLifeDays { try require(h > 0 && h.isFinite, "half_life_days", "must be positive") }
        try require(configuration.negativeWeight >= 0, "negative_weight", "must not be negative")
        guard let features = data.content else {
            throw .badParameter(name: "content", reason: "the content model needs item content vectors (run `curio embed` or use the metadata encoder)")
        }
        guard features.itemCount == data.interactions.itemCount else {
            throw .invalidData("content vectors cover \(features.itemCount) items but the catalogue has \(data.interactions.itemCount)")
        }
        return ContentRecommender(configuration: configuration, itemIDs: data.interactions.itemIDs,
                                  userIDs: data.interactions.userIDs, features: features,
                                  histories: StoredHistories(data.interactions), seed: seed)
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], features: ItemFeatures,
         histories: StoredHistories, seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.features = features
        self.histories = histories
        self.seed = seed
    }

    /// The visitor's content profile (length ``ItemFeatures/dimension``).
    public func profile(for history: [HistoryEntry]) -> [Float] {
        var u = [Float](repeating: 0, count: features.dimension)
        let latest = history.map(\.time).max() ?? 0
        for entry in history where entry.item >= 0 && entry.item < features.itemCount && entry.weight != 0 {
            var w = entry.weight
            if configuration.logWeights { w = w > 0 ? log1p(w) : -log1p(-w) }
            if w < 0 { w *= configuration.negativeWeight }
            if let h = configuration.halfLifeDays, entry.time > 0 {
                w *= Float(pow(0.5, (latest - entry.time) / (h * 86_400)))
            }
            features.accumulate(item: entry.item, weight: w, into: &u)
        }
        return u
    }

    public func scores(forUser user: Int) -> [Float] { scores(forHistory: histories.history(ofUser: user)) }

    public func scores(forHistory history: [HistoryEntry]) -> [Float] { features.scores(for: profile(for: history)) }

    /// Items whose content vectors are closest (cosine) to the item's.
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0, item < features.itemCount else { return [] }
        var v = [Float](repeating: 0, count: features.dimension)
        features.accumulate(item: item, weight: 1, into: &v)
        return rank(features.scores(for: v), k: k, excluding: [item])
    }

    /// The model with new catalogue items appended (their vectors in `features`), recommendable at once.
    /// - Throws: ``RecommendError/duplicateItem(_:)`` or ``RecommendError/invalidData(_:)`` on mismatched input.
    public func adding(items newItems: [ItemID], features newFeatures: ItemFeatures) throws(RecommendError) -> ContentRecommender {
        guard newItems.count == newFeatures.itemCount else {
            throw .invalidData("\(newItems.count) new items but \(newFeatures.itemCount) content vectors")
        }
        var known = Set(itemIDs)
        for id in newItems where !known.insert(id).inserted { throw .duplicateItem(id) }
        let combined = try features.appending(newFeatures)
        let h = histories.matrix
        var grown: SparseMatrix
        do {
            grown = try SparseMatrix(rows: h.rows, columns: h.columns + newItems.count, rowPointers: h.rowPointers,
                                     columnIndices: h.columnIndices, values: h.values)
        } catch {
            throw .invalidData(error.description)
        }
        grown.values = h.values
        return ContentRecommender(configuration: configuration, itemIDs: itemIDs + newItems, userIDs: userIDs,
                                  features: combined, histories: StoredHistories(matrix: grown, times: histories.times), seed: seed)
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        try makeArtefact(seed: seed, users: userIDs,
                         tensors: histories.tensors.merging(features.tensors(prefix: "content_")) { a, _ in a })
    }

    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        configuration = try artefact.decodeParameters(Configuration.self)
        itemIDs = artefact.itemIDs
        userIDs = artefact.userIDs
        histories = try StoredHistories(artefact: artefact)
        features = try ItemFeatures.decode(from: artefact, prefix: "content_", items: artefact.itemIDs.count)
        seed = artefact.seed
    }
}
