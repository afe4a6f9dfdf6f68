import CurioCore
import CurioMath
import Foundation

/// Item-to-item collaborative filtering: "visitors who engaged with this also engaged with …".
///
/// Similarity between items i and j comes from their co-occurrence in visitor histories, weighted either by
/// - **cosine**: `Σ_u x_ui·x_uj / (‖x_i‖·‖x_j‖ + shrink)` on the confidence matrix, or
/// - **BM25**: each item is a "document" whose "terms" are its visitors; a visitor's entry is weighted
///   `x·(k1+1) / (x + k1·(1 − b + b·L_i/avgL)) · idf_u` with `idf_u = ln(N_items / (1 + n_u))` (visitors who see
///   everything say little) and `L_i` the item's total weight; similarity is the dot product of weighted vectors.
///
/// Each item keeps its `neighbours` strongest neighbours (sparse). A visitor's score for item j is
/// `Σ_h w_h · sim(h, j)` over their history, so fold-in is immediate: the model is history-based.
public struct ItemKNNRecommender: TrainableRecommender {
    public enum Similarity: String, Codable, Sendable, Hashable, CaseIterable { case cosine, bm25 }

    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        public var similarity: Similarity = .bm25
        /// Neighbours kept per item.
        public var neighbours: Int = 100
        /// Cosine shrinkage, damping similarities supported by few visitors.
        public var shrink: Float = 10
        public var k1: Float = 1.2
        public var b: Float = 0.75
        public init(similarity: Similarity = .bm25, neighbours: Int = 100) {
            self.similarity = similarity
            self.neighbours = neighbours
        }
    }

    public static let modelName = "itemknn"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// The item–item neighbour graph.
    public let graph: ItemGraph
    let histories: StoredHistories
    let seed: UInt64

    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> ItemKNNRecommender {
        try require(configuration.neighbours > 0, "neighbours", "must be at least 1")
        try require(configuration.shrink >= 0, "shrink", "must not be negative")
        try require(configuration.k1 >= 0 && configuration.b >= 0 && configuration.b <= 1, "k1/b", "need k1 ≥ 0 and 0 ≤ b ≤ 1")
        let m = data.interactions
        guard m.matrix.nonZeroCount > 0 else { throw .noInteractions }
        let graph: ItemGraph
        switch configuration.similarity {
        case .cosine:
            let x = m.matrix
            var norms = [Float](repeating: 0, count: m.itemCount)
            for p in 0..<x.nonZeroCount { norms[Int(x.columnIndices[p])] += x.values[p] * x.values[p] }
            let n = norms.map { $0.squareRoot() }
            let shrink = configuration.shrink
            graph = ItemGraph.cooccurrence(x, neighbours: configuration.neighbours) { i, j, raw in
                raw / (n[i] * n[j] + shrink)
            }
        case .bm25:
            graph = ItemGraph.cooccurrence(bm25Weighted(m.matrix, k1: configuration.k1, b: configuration.b),
                                           neighbours: configuration.neighbours) { _, _, raw in raw }
        }
        return ItemKNNRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs, graph: graph,
                                  histories: StoredHistories(m), seed: seed)
    }

    /// BM25 weighting of a users × items matrix (items are documents, visitors are terms).
    static func bm25Weighted(_ x: SparseMatrix, k1: Float, b: Float) -> SparseMatrix {
        let itemLength = x.columnSums()
        let active = itemLength.filter { $0 > 0 }
        let average = active.isEmpty ? 1 : active.reduce(0, +) / Float(active.count)
        let itemsTotal = Float(max(1, x.columns))
        let idf = (0..<x.rows).map { u in max(0, log(itemsTotal / Float(1 + x.rowCount(u)))) }
        return x.mapValues { u, i, v in
            let norm = k1 * (1 - b + b * itemLength[i] / average)
            return v * (k1 + 1) / (v + norm) * idf[u]
        }
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], graph: ItemGraph,
         histories: StoredHistories, seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.graph = graph
        self.histories = histories
        self.seed = seed
    }

    public func scores(forUser user: Int) -> [Float] { scores(forHistory: histories.history(ofUser: user)) }

    public func scores(forHistory history: [HistoryEntry]) -> [Float] {
        var out = [Float](repeating: 0, count: itemIDs.count)
        graph.accumulate(history, into: &out)
        return out
    }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        graph.neighbours(of: item, k: k).map { ScoredItem(index: $0.index, id: itemIDs[$0.index], score: $0.score) }
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        let tensors = histories.tensors.merging(graph.tensors(prefix: "graph_")) { a, _ in a }
        return try makeArtefact(seed: seed, users: userIDs, tensors: tensors)
    }

    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        configuration = try artefact.decodeParameters(Configuration.self)
        itemIDs = artefact.itemIDs
        userIDs = artefact.userIDs
        histories = try StoredHistories(artefact: artefact)
        graph = try ItemGraph(artefact: artefact, prefix: "graph_")
        seed = artefact.seed
    }
}

extension ItemGraph {
    init(artefact: ModelArtefact, prefix: String) throws(RecommendError) {
        let n = artefact.itemIDs.count
        let pointers = try artefact.ints("\(prefix)pointers", count: n + 1).map(Int.init)
        let items = try artefact.ints("\(prefix)items")
        let weights = try artefact.floats("\(prefix)weights", count: items.count)
        do {
            self.init(weights: try SparseMatrix(rows: n, columns: n, rowPointers: pointers, columnIndices: items, values: weights))
        } catch {
            throw .badArtefact(path: artefact.source, reason: "item graph: \(error.description)")
        }
    }

    func tensors(prefix: String) -> [String: ModelArtefact.Tensor] {
        ["\(prefix)pointers": .int32(weights.rowPointers.map { Int32(clamping: $0) }, shape: [weights.rows + 1]),
         "\(prefix)items": .int32(weights.columnIndices, shape: [weights.nonZeroCount]),
         "\(prefix)weights": .float32(weights.values, shape: [weights.nonZeroCount])]
    }
}
