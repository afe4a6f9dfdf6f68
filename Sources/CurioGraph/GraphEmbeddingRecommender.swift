import CurioCore
import CurioMath
import CurioRecommend
import Foundation

/// Recommends items near what the visitor liked in the knowledge-graph embedding space (TransE or RotatE).
///
/// `score(j) = Σ_h α_h · cos(e_h, e_j)`: one matrix–vector product (BLAS `sgemv`) over the unit-length item
/// vectors. Each liked item's term is its exact contribution, reported as ``EvidenceKind/graphProximity``.
public struct GraphEmbeddingRecommender: Recommender, ExplainableScorer {
    /// Hyper-parameters (those of ``KGEmbeddingOptions``).
    public struct Configuration: Codable, Sendable, Hashable {
        public var model: KGEmbeddingModel = .rotatE
        public var dimension: Int = 64
        public var epochs: Int = 10
        public var negatives: Int = 8
        public var margin: Float? = nil
        public var learningRate: Float = 0.05
        public var threads: Int = 2
        /// Relations trained on, by name (all when nil).
        public var relations: [String]? = nil
        public init() {}

        func options(seed: UInt64) throws(RecommendError) -> KGEmbeddingOptions {
            var chosen: [Relation]?
            if let relations {
                chosen = []
                for name in relations {
                    guard let r = Relation(name: name) else {
                        throw .badParameter(name: "relations", reason: "unknown relation '\(name)'; known: \(Relation.allCases.map(\.name).joined(separator: ", "))")
                    }
                    chosen?.append(r)
                }
            }
            return KGEmbeddingOptions(model: model, dimension: dimension, epochs: epochs, negatives: negatives, margin: margin,
                                      learningRate: learningRate, seed: seed, relations: chosen, threads: threads)
        }
    }

    public static let modelName = "graph-embedding"
    public static let modelVersion = 1
    public var name: String { Self.modelName }
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// Unit-length item vectors in catalogue order (zero rows for items missing from the graph).
    public let vectors: Matrix
    /// What training did (nil when built from given embeddings or an artefact).
    public let report: KGEmbeddingReport?
    let histories: [[HistoryEntry]]
    let itemIndex: [ItemID: Int]
    let seed: UInt64

    /// Trains embeddings on `graph` and wraps them for the catalogue of `data`.
    public static func train(on data: TrainingData, graph: KnowledgeGraph, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> GraphEmbeddingRecommender {
        let options = try configuration.options(seed: seed)
        let trained: (KGEmbeddings, KGEmbeddingReport)
        do {
            trained = try KGEmbeddingTrainer.train(graph: graph, options: options)
        } catch {
            throw .badParameter(name: "graph-embedding", reason: "\(error)")
        }
        return GraphEmbeddingRecommender(embeddings: trained.0, interactions: data.interactions,
                                         configuration: configuration, report: trained.1, seed: seed)
    }

    /// Wraps already trained embeddings (trained once, used both as a modality and as a recommender).
    public init(embeddings: KGEmbeddings, interactions m: InteractionMatrix, configuration: Configuration = Configuration(),
                report: KGEmbeddingReport? = nil, seed: UInt64 = 0) {
        let vectors = embeddings.itemVectors()
        let d = embeddings.dimension
        var storage = [Float](repeating: 0, count: m.itemCount * d)
        for (i, id) in m.itemIDs.enumerated() {
            guard let v = vectors[id] else { continue }
            var norm: Float = 0
            for x in v { norm += x * x }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            for k in 0..<d { storage[i * d + k] = v[k] / norm }
        }
        var configuration = configuration
        configuration.model = embeddings.model
        configuration.dimension = d
        self.init(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs,
                  vectors: Matrix(rows: m.itemCount, columns: d, storage: storage), report: report,
                  histories: (0..<m.userCount).map { m.history(ofUser: $0) }, seed: seed)
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], vectors: Matrix,
         report: KGEmbeddingReport?, histories: [[HistoryEntry]], seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.vectors = vectors
        self.report = report
        self.histories = histories
        self.seed = seed
        itemIndex = Dictionary(itemIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func scores(forUser user: Int) -> [Float] {
        guard user >= 0, user < histories.count else { return [Float](repeating: 0, count: itemIDs.count) }
        return scores(forHistory: histories[user])
    }

    /// `E · Σ_h α_h ê_h` (positive history weights only).
    public func scores(forHistory history: [HistoryEntry]) -> [Float] {
        let d = vectors.columns
        var profile = [Float](repeating: 0, count: d)
        for e in history where e.weight > 0 && e.item >= 0 && e.item < vectors.rows {
            for k in 0..<d { profile[k] += e.weight * vectors.storage[e.item * d + k] }
        }
        var out = [Float](repeating: 0, count: vectors.rows)
        guard vectors.rows > 0, d > 0 else { return out }
        vectors.storage.withUnsafeBufferPointer { a in
            profile.withUnsafeBufferPointer { x in
                out.withUnsafeMutableBufferPointer { y in
                    BLAS.sgemv(m: vectors.rows, n: d, a: a.baseAddress!, x: x.baseAddress!, y: y.baseAddress!)
                }
            }
        }
        return out
    }

    public func similarItems(to item: Int, k: Int) -> [CurioRecommend.ScoredItem] {
        guard item >= 0, item < itemIDs.count else { return [] }
        let s = scores(forHistory: [HistoryEntry(item: item, weight: 1)])
        return TopK.select(s, k: k) { $0 == item }.map { CurioRecommend.ScoredItem(index: $0.index, id: itemIDs[$0.index], score: $0.score) }
    }

    // MARK: Explanations

    func cosine(_ a: Int, _ b: Int) -> Double {
        let d = vectors.columns
        var s: Float = 0
        for k in 0..<d { s += vectors.storage[a * d + k] * vectors.storage[b * d + k] }
        return Double(s)
    }

    public func score(_ item: ItemID, history: [WeightedItem]) -> Double {
        contributions(item, history: history, keepNegative: true).reduce(0) { $0 + $1.weight }
    }

    /// One part per liked item: its weight times its cosine with the item (negative parts are not evidence).
    public func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
        contributions(item, history: history, keepNegative: false)
    }

    func contributions(_ item: ItemID, history: [WeightedItem], keepNegative: Bool) -> [Evidence] {
        guard let j = itemIndex[item] else { return [] }
        return history.compactMap { h in
            guard h.weight > 0, let i = itemIndex[h.item] else { return nil }
            let w = h.weight * cosine(i, j)
            return keepNegative || w > 0 ? Evidence(kind: .graphProximity, likedItem: h.item, weight: w) : nil
        }
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
        return try ModelArtefact(model: Self.modelName, modelVersion: Self.modelVersion, seed: seed,
                                 parameters: configuration, itemIDs: itemIDs, userIDs: userIDs,
                                 tensors: ["item_vectors": .float32(vectors.storage, shape: [vectors.rows, vectors.columns]),
                                           "history_pointers": .int32(pointers, shape: [pointers.count]),
                                           "history_items": .int32(items, shape: [items.count]),
                                           "history_weights": .float32(weights, shape: [weights.count]),
                                           "history_times": .float64(times, shape: [times.count])])
    }

    /// Restores a model from its artefact (no graph needed: the item vectors are stored).
    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        let configuration = try artefact.decodeParameters(Configuration.self)
        let n = artefact.itemIDs.count
        let d = configuration.dimension
        let v = try artefact.floats("item_vectors", count: n * d)
        let users = artefact.userIDs.count
        let pointers = try artefact.ints("history_pointers", count: users + 1).map(Int.init)
        let items = try artefact.ints("history_items")
        let values = try artefact.floats("history_weights", count: items.count)
        let times = try artefact.doubles("history_times", count: items.count)
        guard pointers.first == 0, pointers.last == items.count, zip(pointers, pointers.dropFirst()).allSatisfy({ $0 <= $1 }),
              items.allSatisfy({ $0 >= 0 && Int($0) < n }), v.allSatisfy(\.isFinite) else {
            throw .badArtefact(path: artefact.source, reason: "histories or item vectors are inconsistent")
        }
        let histories = (0..<users).map { u in
            (pointers[u]..<pointers[u + 1]).map { HistoryEntry(item: Int(items[$0]), weight: values[$0], time: times[$0]) }
        }
        self.init(configuration: configuration, itemIDs: artefact.itemIDs, userIDs: artefact.userIDs,
                  vectors: Matrix(rows: n, columns: d, storage: v), report: nil, histories: histories, seed: artefact.seed)
    }
}
