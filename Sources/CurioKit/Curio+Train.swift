import CurioCore
import CurioGraph
import CurioRecommend
import Foundation

/// What `curio train` is asked to do.
public struct TrainingOptions: Sendable {
    /// A name from ``Curio/trainableModels``.
    public var model: String
    /// Same data, parameters and seed give the same model.
    public var seed: UInt64
    /// Hyper-parameter overrides by snake_case name (see `docs/recommenders.md`).
    public var parameters: [String: ParameterValue]
    /// Make the new version the serving model (the one `recommend` and the API use by default).
    public var serve: Bool

    public init(model: String, seed: UInt64 = 42, parameters: [String: ParameterValue] = [:], serve: Bool = true) {
        self.model = model
        self.seed = seed
        self.parameters = parameters
        self.serve = serve
    }
}

/// What training did.
public struct TrainingReport: Sendable, Codable, Equatable {
    /// The recorded version (model, version, artefact file, seed, counts, time).
    public var trained: TrainedModelVersion
    /// The folder holding the artefacts.
    public var directory: String
    /// Whether the new version is now the serving model.
    public var serving: Bool
    /// Events read, merged, rejected (by field) and unknown.
    public var events: InteractionReport
}

extension Curio {
    /// The models `curio train --model` accepts: CurioRecommend's plus the knowledge-graph models.
    public static let trainableModels = ModelRegistry.names + [GraphRecommender.modelName, GraphEmbeddingRecommender.modelName]

    /// Trains a model on every stored event (and the catalogue's metadata features), saves it as the next version in
    /// ``modelDirectory()`` and makes it active.
    ///
    /// - Throws: ``RecommendationSetupError/unknownModel(name:known:)``, ``RecommendationSetupError/noEvents``,
    ///   ``CurioRecommend/RecommendError`` for bad parameters, files that cannot be written.
    public func train(_ options: TrainingOptions, progress: (String) -> Void = { _ in }) throws -> TrainingReport {
        guard Self.trainableModels.contains(options.model) else {
            throw RecommendationSetupError.unknownModel(name: options.model, known: Self.trainableModels)
        }
        let directory = try modelDirectory()
        progress("reading the collection")
        let snapshot = try recommendations().snapshot()
        progress("reading events")
        let events = try store.allEvents(since: nil)
        let matrix = try InteractionBuilder().build(events: events, catalogue: snapshot.itemIDs)
        guard matrix.matrix.nonZeroCount > 0 else { throw RecommendationSetupError.noEvents }
        progress("training \(options.model) on \(matrix.userCount) visitors, \(matrix.matrix.nonZeroCount) interactions")
        let start = Date()
        let model = try Self.trainModel(options.model, data: TrainingData(interactions: matrix, content: snapshot.content),
                                        graph: snapshot.graph, parameters: options.parameters, seed: options.seed)
        let seconds = Date().timeIntervalSince(start)
        let record = TrainedModelVersion(model: options.model, seed: options.seed, trainedAt: Date(), trainingSeconds: seconds,
                                         items: matrix.itemCount, visitors: matrix.userCount,
                                         interactions: matrix.matrix.nonZeroCount, parameters: options.parameters)
        let saved = try directory.save(model, record: record, serve: options.serve)
        let serving = (try? directory.registry().serving) == options.model
        logger.info("model trained", metadata: ["model": "\(options.model)", "version": "\(saved.version)",
                                                "seconds": String(format: "%.1f", seconds)])
        return TrainingReport(trained: saved, directory: directory.url.path, serving: serving, events: matrix.report)
    }

    /// Trains a model by name on in-memory data (graph models walk `graph`).
    static func trainModel(_ name: String, data: TrainingData, graph: KnowledgeGraph, parameters: [String: ParameterValue],
                           seed: UInt64) throws -> any Recommender {
        switch name {
        case GraphRecommender.modelName:
            let configuration = try ModelRegistry.configure(GraphRecommender.Configuration(), parameters)
            return try GraphRecommender.train(on: data, graph: graph, configuration: configuration, seed: seed)
        case GraphEmbeddingRecommender.modelName:
            let configuration = try ModelRegistry.configure(GraphEmbeddingRecommender.Configuration(), parameters)
            return try GraphEmbeddingRecommender.train(on: data, graph: graph, configuration: configuration, seed: seed)
        default:
            return try ModelRegistry.train(name, on: data, parameters: parameters, seed: seed)
        }
    }

    /// Every trained version and which are active.
    public func trainedModels() throws -> ModelRegistryFile { try modelDirectory().registry() }
}
