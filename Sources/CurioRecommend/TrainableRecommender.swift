import CurioCore
import CurioMath
import Foundation

/// What a model trains on: the interaction matrix and, for content-aware models, the item content vectors.
public struct TrainingData: Sendable {
    public var interactions: InteractionMatrix
    /// Content vectors in the catalogue order of ``interactions`` (required by `content` and `hybrid`).
    public var content: ItemFeatures?
    public init(interactions: InteractionMatrix, content: ItemFeatures? = nil) {
        self.interactions = interactions
        self.content = content
    }
}

/// A model that can be trained with a configuration and a seed, and restored from its artefact.
public protocol TrainableRecommender: Recommender {
    /// Hyper-parameters; encoded in the artefact with snake_case keys.
    associatedtype Configuration: Codable & Sendable & Hashable
    /// The name used on the command line and in artefacts.
    static var modelName: String { get }
    /// Version of the artefact tensor layout.
    static var modelVersion: Int { get }
    /// The hyper-parameters the model was trained with.
    var configuration: Configuration { get }
    /// Trains; the same data, configuration and seed always give the same model.
    static func train(on data: TrainingData, configuration: Configuration, seed: UInt64) throws(RecommendError) -> Self
    /// Restores a model from its artefact, checking every tensor's shape.
    init(artefact: ModelArtefact) throws(RecommendError)
}

/// Training histories kept by history-based models so that ``Recommender/scores(forUser:)`` works after loading.
struct StoredHistories: Sendable, Equatable {
    var matrix: SparseMatrix
    var times: [Double]

    init(_ data: InteractionMatrix) {
        matrix = data.matrix
        times = data.times
    }

    init(matrix: SparseMatrix, times: [Double]) {
        self.matrix = matrix
        self.times = times
    }

    func history(ofUser user: Int) -> [HistoryEntry] {
        guard user >= 0, user < matrix.rows else { return [] }
        return matrix.range(ofRow: user).map { HistoryEntry(item: Int(matrix.columnIndices[$0]), weight: matrix.values[$0], time: times[$0]) }
    }

    var tensors: [String: ModelArtefact.Tensor] {
        ["history_pointers": .int32(matrix.rowPointers.map { Int32(clamping: $0) }, shape: [matrix.rows + 1]),
         "history_items": .int32(matrix.columnIndices, shape: [matrix.nonZeroCount]),
         "history_weights": .float32(matrix.values, shape: [matrix.nonZeroCount]),
         "history_times": .float64(times, shape: [times.count])]
    }

    init(artefact: ModelArtefact) throws(RecommendError) {
        let users = artefact.userIDs.count
        let pointers = try artefact.ints("history_pointers", count: users + 1).map(Int.init)
        let items = try artefact.ints("history_items")
        let weights = try artefact.floats("history_weights", count: items.count)
        times = try artefact.doubles("history_times", count: items.count)
        do {
            matrix = try SparseMatrix(rows: users, columns: artefact.itemIDs.count, rowPointers: pointers,
                                      columnIndices: items, values: weights)
        } catch {
            throw .badArtefact(path: artefact.source, reason: "training histories: \(error.description)")
        }
    }
}

extension TrainableRecommender {
    public var name: String { Self.modelName }

    /// Loads a model of this type from an artefact file.
    public static func load(from url: URL) throws(RecommendError) -> Self {
        try Self(artefact: ModelArtefact.read(from: url))
    }

    /// Builds an artefact header for this model.
    func makeArtefact(seed: UInt64, users: [VisitorID], metadata: [String: String] = [:],
                      tensors: [String: ModelArtefact.Tensor]) throws(RecommendError) -> ModelArtefact {
        try ModelArtefact(model: Self.modelName, modelVersion: Self.modelVersion, seed: seed, parameters: configuration,
                          itemIDs: itemIDs, userIDs: users, metadata: metadata, tensors: tensors)
    }
}

/// Checks a hyper-parameter and throws ``RecommendError/badParameter(name:reason:)`` naming it.
func require(_ condition: Bool, _ name: String, _ reason: String) throws(RecommendError) {
    if !condition { throw .badParameter(name: name, reason: reason) }
}
