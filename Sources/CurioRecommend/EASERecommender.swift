import CurioCore
import CurioMath
import Foundation

/// EASE (Steck 2019): a closed-form linear item–item model, a very strong simple baseline.
///
/// With `X` the visitors × items matrix (binary by default), `G = XᵀX + λI`, `P = G⁻¹` (Cholesky via LAPACK
/// `spotrf`/`spotri`), and `B = I − P · diag(1/diag(P))` with a zero diagonal. A visitor's scores are `x_u · B`.
///
/// **Size limit**: `B` is dense, items² floats, and inversion is O(items³). EASE is therefore fitted on the
/// *active* items only — those with at least one training interaction — and, when there are more than
/// ``Configuration/maxItems`` of them, on the most popular `maxItems` (10,000 items: 400 MB and ~20–60 s on two
/// cores; LAPACK runs on one thread so that results are reproducible bit for bit). Other items score `-infinity` (never recommended by EASE); use the content or hybrid model for them.
public struct EASERecommender: TrainableRecommender {
    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        /// L2 regularisation λ added to the Gram diagonal.
        public var lambda: Float = 100
        /// Treat interactions as 0/1 instead of confidences.
        public var binary: Bool = true
        /// Largest number of items EASE is fitted on.
        public var maxItems: Int = 10_000
        public init(lambda: Float = 100, binary: Bool = true, maxItems: Int = 10_000) {
            self.lambda = lambda
            self.binary = binary
            self.maxItems = maxItems
        }
    }

    public static let modelName = "ease"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// Catalogue index of each active item.
    public let activeItems: [Int]
    /// Active position of each catalogue item, -1 when inactive.
    let position: [Int32]
    /// Dense active × active weights.
    let weights: Matrix
    let histories: StoredHistories
    let seed: UInt64

    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> EASERecommender {
        try require(configuration.lambda > 0, "lambda", "must be positive")
        try require(configuration.maxItems > 0 && configuration.maxItems <= 40_000, "max_items",
                    "must be between 1 and 40,000 (items² floats must fit in memory)")
        let m = data.interactions
        guard m.matrix.nonZeroCount > 0 else { throw .noInteractions }
        let counts = m.itemUserCounts()
        var active = (0..<m.itemCount).filter { counts[$0] > 0 }
        if active.count > configuration.maxItems {
            active = Array(active.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
                .prefix(configuration.maxItems)).sorted()
        }
        let x = configuration.binary ? m.matrix.mapValues { _, _, _ in 1 } : m.matrix
        var g = x.gram(columns: active)
        let n = active.count
        for i in 0..<n { g[i, i] += configuration.lambda }
        do {
            // One BLAS thread: multi-threaded LAPACK sums in a schedule-dependent order, and the same data must
            // give the same model bit for bit.
            try BLAS.withThreadCount(1) { () throws(MathError) in try LAPACK.invertSymmetricPositiveDefinite(&g) }
        } catch {
            throw .numerical("EASE: \(error.description)")
        }
        // B = I − P / diag(P) column-wise, zero diagonal.
        var diagonal = [Float](repeating: 0, count: n)
        for i in 0..<n { diagonal[i] = g[i, i] }
        g.storage.withUnsafeMutableBufferPointer { b in
            for r in 0..<n {
                for c in 0..<n {
                    b[r * n + c] = r == c ? 0 : -b[r * n + c] / diagonal[c]
                }
            }
        }
        var position = [Int32](repeating: -1, count: m.itemCount)
        for (k, i) in active.enumerated() { position[i] = Int32(k) }
        return EASERecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs, activeItems: active,
                               position: position, weights: g, histories: StoredHistories(m), seed: seed)
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], activeItems: [Int], position: [Int32],
         weights: Matrix, histories: StoredHistories, seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.activeItems = activeItems
        self.position = position
        self.weights = weights
        self.histories = histories
        self.seed = seed
    }

    public func scores(forUser user: Int) -> [Float] { scores(forHistory: histories.history(ofUser: user)) }

    public func scores(forHistory history: [HistoryEntry]) -> [Float] {
        let n = activeItems.count
        var local = [Float](repeating: 0, count: n)
        weights.storage.withUnsafeBufferPointer { b in
            local.withUnsafeMutableBufferPointer { out in
                for entry in history where entry.item >= 0 && entry.item < position.count && entry.weight > 0 {
                    let k = Int(position[entry.item])
                    if k < 0 { continue }
                    let w = configuration.binary ? 1 : entry.weight
                    VectorKernels.axpy(w, b.baseAddress! + k * n, out.baseAddress!, count: n)
                }
            }
        }
        var out = [Float](repeating: -.infinity, count: itemIDs.count)
        for (k, i) in activeItems.enumerated() { out[i] = local[k] }
        return out
    }

    /// Items with the largest weights in the item's row of `B` (what the item predicts).
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0, item < position.count, position[item] >= 0 else { return [] }
        let row = weights.row(Int(position[item]))
        return TopK.select(row, k: k) { activeItems[$0] == item }.map {
            ScoredItem(index: activeItems[$0.index], id: itemIDs[activeItems[$0.index]], score: $0.score)
        }
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        var tensors = histories.tensors
        tensors["active_items"] = .int32(activeItems.map { Int32($0) }, shape: [activeItems.count])
        tensors["weights"] = .float32(weights.storage, shape: [weights.rows, weights.columns])
        return try makeArtefact(seed: seed, users: userIDs, tensors: tensors)
    }

    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        configuration = try artefact.decodeParameters(Configuration.self)
        itemIDs = artefact.itemIDs
        userIDs = artefact.userIDs
        histories = try StoredHistories(artefact: artefact)
        activeItems = try artefact.ints("active_items").map(Int.init)
        let n = activeItems.count
        var position = [Int32](repeating: -1, count: itemIDs.count)
        for (k, i) in activeItems.enumerated() {
            guard i >= 0, i < itemIDs.count, position[i] < 0 else {
                throw .badArtefact(path: artefact.source, reason: "active item index \(i) is out of range or repeated")
            }
            position[i] = Int32(k)
        }
        self.position = position
        weights = Matrix(rows: n, columns: n, storage: try artefact.floats("weights", count: n * n))
        seed = artefact.seed
    }
}
