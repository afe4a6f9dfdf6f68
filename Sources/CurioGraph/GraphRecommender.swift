import CurioCore
import CurioMath
import CurioRecommend
import Foundation

/// The meta-path recommender behind CurioRecommend's ``CurioRecommend/Recommender`` protocol, so that the
/// evaluator, the registry of trained models and the server treat it like any other model.
///
/// Training needs the knowledge graph as well as the interactions; the graph is not stored in the artefact (it is
/// rebuilt from the collection), only the learned weights, the configuration and the training histories.
public struct GraphRecommender: Recommender {
    /// Hyper-parameters; encoded in the artefact with snake_case keys.
    public struct Configuration: Codable, Sendable, Hashable {
        /// Meta-paths used, by name (``MetaPath/name``).
        public var metaPaths: [String] = MetaPath.standard.map(\.name)
        public var positivesPerVisitor: Int = 4
        public var negativesPerPositive: Int = 4
        public var maxVisitors: Int = 3_000
        public var iterations: Int = 400
        public var learningRate: Double = 0.05
        public var l2: Double = 1e-4
        public init() {}
    }

    public static let modelName = "graph"
    public static let modelVersion = 1
    public var name: String { Self.modelName }
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// The underlying meta-path model (scores, contributions, removal for fidelity).
    public let model: MetaPathRecommender
    /// What learning did (nil for a model restored from an artefact).
    public let fitReport: MetaPathFitReport?
    let histories: [[HistoryEntry]]
    let catalogueToDense: [Int32]
    let seed: UInt64

    /// Trains on the interactions of `data`, walking `graph`.
    /// - Throws: ``CurioRecommend/RecommendError/noInteractions`` without usable interactions,
    ///   ``CurioRecommend/RecommendError/badParameter(name:reason:)`` for unknown meta-paths or bad settings.
    public static func train(on data: TrainingData, graph: KnowledgeGraph, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> GraphRecommender {
        let m = data.interactions
        guard m.matrix.nonZeroCount > 0 else { throw .noInteractions }
        let paths = try metaPaths(configuration.metaPaths)
        guard configuration.positivesPerVisitor > 0, configuration.negativesPerPositive > 0, configuration.maxVisitors > 0,
              configuration.iterations > 0, configuration.learningRate > 0, configuration.l2 >= 0 else {
            throw .badParameter(name: "graph", reason: "sampling sizes, iterations and learning rate must be positive, l2 non-negative")
        }
        let histories = (0..<m.userCount).map { m.history(ofUser: $0) }
        var interactions: [VisitorID: [WeightedItem]] = [:]
        for (u, h) in histories.enumerated() {
            interactions[m.userIDs[u]] = h.filter { $0.weight > 0 }.map { WeightedItem(m.itemIDs[$0.item], weight: Double($0.weight)) }
        }
        let index = MetaPathIndex(graph: graph, metaPaths: paths, interactions: interactions.mapValues { $0.map(\.item) })
        let options = MetaPathFitOptions(seed: seed, positivesPerVisitor: configuration.positivesPerVisitor,
                                         negativesPerPositive: configuration.negativesPerPositive,
                                         maxVisitors: configuration.maxVisitors, iterations: configuration.iterations,
                                         learningRate: configuration.learningRate, l2: configuration.l2)
        let fitted: (MetaPathRecommender, MetaPathFitReport)
        do {
            fitted = try MetaPathRecommender.fit(index: index, interactions: interactions, options: options)
        } catch {
            throw .invalidData("graph recommender: \(error)")
        }
        return GraphRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs, model: fitted.0,
                                fitReport: fitted.1, histories: histories, seed: seed)
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], model: MetaPathRecommender,
         fitReport: MetaPathFitReport?, histories: [[HistoryEntry]], seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.model = model
        self.fitReport = fitReport
        self.histories = histories
        self.seed = seed
        catalogueToDense = itemIDs.map { id in model.index.denseIndex(of: id).map(Int32.init) ?? -1 }
    }

    static func metaPaths(_ names: [String]) throws(RecommendError) -> [MetaPath] {
        var out: [MetaPath] = []
        for name in names {
            guard let p = MetaPath.standard.first(where: { $0.name == name }) else {
                throw .badParameter(name: "meta_paths", reason: "unknown meta-path '\(name)'; known: \(MetaPath.standard.map(\.name).joined(separator: ", "))")
            }
            out.append(p)
        }
        guard !out.isEmpty else { throw .badParameter(name: "meta_paths", reason: "at least one meta-path is needed") }
        return out
    }

    /// A history in catalogue indices as the meta-path model's weighted items (non-positive entries dropped:
    /// random-walk mass cannot be negative).
    public func weightedItems(_ history: [HistoryEntry]) -> [WeightedItem] {
        history.compactMap { e in
            e.weight > 0 && e.item >= 0 && e.item < itemIDs.count ? WeightedItem(itemIDs[e.item], weight: Double(e.weight)) : nil
        }
    }

    public func scores(forUser user: Int) -> [Float] {
        guard user >= 0, user < histories.count else { return [Float](repeating: 0, count: itemIDs.count) }
        return scores(forHistory: histories[user])
    }

    /// Scores in catalogue order; items missing from the graph score `-infinity`.
    public func scores(forHistory history: [HistoryEntry]) -> [Float] {
        let dense = model.scores(history: weightedItems(history))
        return catalogueToDense.map { $0 >= 0 ? Float(dense[Int($0)]) : -.infinity }
    }

    public func similarItems(to item: Int, k: Int) -> [CurioRecommend.ScoredItem] {
        guard item >= 0, item < itemIDs.count else { return [] }
        let s = scores(forHistory: [HistoryEntry(item: item, weight: 1)])
        return TopK.select(s, k: k) { $0 == item || s[$0] <= 0 }
            .map { CurioRecommend.ScoredItem(index: $0.index, id: itemIDs[$0.index], score: $0.score) }
    }

    /// The additive evidence behind item `item`'s score for `history`.
    public func contributions(item: Int, history: [HistoryEntry]) -> [Evidence] {
        guard item >= 0, item < itemIDs.count else { return [] }
        return model.contributions(itemIDs[item], history: weightedItems(history))
    }

    /// The explanation of recommending item `item` to a visitor with `history`.
    public func explain(item: Int, history: [HistoryEntry], explainer: Explainer = Explainer(),
                        language: String = "en") -> Explanation {
        explainer.explain(contributions(item: item, history: history), language: language)
    }

    // MARK: Artefact

    public func artefact() throws(RecommendError) -> ModelArtefact {
        var pointers: [Int32] = [0], items: [Int32] = [], weights: [Float] = [], times: [Double] = []
        for h in histories {
            for e in h {
                items.append(Int32(e.item))
                weights.append(e.weight)
                times.append(e.time)
            }
            pointers.append(Int32(clamping: items.count))
        }
        var metadata = ["graph_items": String(model.index.itemCount), "graph_nodes": String(model.graph.nodeCount),
                        "graph_edges": String(model.graph.edgeCount)]
        if let r = fitReport {
            metadata["fit_pairs"] = String(r.pairs)
            metadata["fit_pairwise_accuracy"] = String(r.pairwiseAccuracy)
        }
        return try ModelArtefact(model: Self.modelName, modelVersion: Self.modelVersion, seed: seed,
                                 parameters: configuration, itemIDs: itemIDs, userIDs: userIDs, metadata: metadata,
                                 tensors: ["meta_path_weights": .float64(model.weights, shape: [model.weights.count]),
                                           "history_pointers": .int32(pointers, shape: [pointers.count]),
                                           "history_items": .int32(items, shape: [items.count]),
                                           "history_weights": .float32(weights, shape: [weights.count]),
                                           "history_times": .float64(times, shape: [times.count])])
    }

    /// Restores a model from its artefact over `graph` (the collection's current knowledge graph).
    /// - Throws: ``CurioRecommend/RecommendError/badArtefact(path:reason:)`` when the artefact is not a graph model
    ///   or its tensors are inconsistent.
    public init(artefact: ModelArtefact, graph: KnowledgeGraph) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        let configuration = try artefact.decodeParameters(Configuration.self)
        let paths: [MetaPath]
        do {
            paths = try Self.metaPaths(configuration.metaPaths)
        } catch {
            throw .badArtefact(path: artefact.source, reason: "\(error)")
        }
        let weights = try artefact.doubles("meta_path_weights", count: paths.count)
        let users = artefact.userIDs.count
        let pointers = try artefact.ints("history_pointers", count: users + 1).map(Int.init)
        let items = try artefact.ints("history_items")
        let values = try artefact.floats("history_weights", count: items.count)
        let times = try artefact.doubles("history_times", count: items.count)
        guard pointers.first == 0, pointers.last == items.count, zip(pointers, pointers.dropFirst()).allSatisfy({ $0 <= $1 }),
              items.allSatisfy({ $0 >= 0 && Int($0) < artefact.itemIDs.count }), weights.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw .badArtefact(path: artefact.source, reason: "histories or weights are inconsistent")
        }
        var histories: [[HistoryEntry]] = []
        var interactions: [VisitorID: [ItemID]] = [:]
        for u in 0..<users {
            let h = (pointers[u]..<pointers[u + 1]).map { HistoryEntry(item: Int(items[$0]), weight: values[$0], time: times[$0]) }
            histories.append(h)
            interactions[artefact.userIDs[u]] = h.filter { $0.weight > 0 }.map { artefact.itemIDs[$0.item] }
        }
        let index = MetaPathIndex(graph: graph, metaPaths: paths, interactions: interactions)
        self.init(configuration: configuration, itemIDs: artefact.itemIDs, userIDs: artefact.userIDs,
                  model: MetaPathRecommender(index: index, weights: weights), fitReport: nil, histories: histories,
                  seed: artefact.seed)
    }
}
