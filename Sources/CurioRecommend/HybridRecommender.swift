import CurioCore
import CurioMath
import Foundation

/// The hybrid multimodal model: a frozen content k-nearest-neighbour item graph (as in FREEDOM, Zhou & Shen 2023)
/// combined with a normalised interaction item graph propagated LightGCN-style — computed in closed form, as a
/// linear graph filter (GF-CF, Shen et al. 2021), instead of learned embeddings.
///
/// Three item–item graphs over the catalogue:
/// - **collaborative** `P = R̃ᵀR̃` with `R̃ = D_u^(−a_u/2) · R · D_i^(−a_i/2)` (degree-normalised co-occurrence; at
///   `a_u = a_i = 1` it is the GF-CF linear filter, the infinite-depth limit of linear LightGCN on the bipartite graph;
///   the default `a_i = 0.5` keeps part of the popularity signal, which museum visits have in abundance),
///   top ``Configuration/collaborativeNeighbours`` per item;
/// - **content** `S`: each item's ``Configuration/contentNeighbours`` most similar items by content cosine
///   (text/image/metadata vectors), symmetrised and normalised `D^(−1/2) S D^(−1/2)`, then frozen;
/// - their composition: collaborative scores propagated one hop over the content graph.
///
/// For a history `h`: `t = h·P`, and
/// `score = w_cf · t/‖t‖∞ + β · (t·S)/‖t·S‖∞ + γ · (h·S)/‖h·S‖∞`.
/// Each part is scaled by its maximum so the weights mean the same for every visitor. The `t·S` term carries
/// collaborative evidence to content neighbours — this is how objects nobody has seen yet (cold items) and
/// visitors with one event get sensible lists; `h·S` alone is the content-only part, and `w_cf` alone the
/// collaborative-only part, so ablations are just configurations.
///
/// Everything is history-based: fold-in is exact and immediate.
public struct HybridRecommender: TrainableRecommender {
    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        /// Weight of the collaborative term (0 gives the content-only part).
        public var collaborativeWeight: Float = 1
        /// β: weight of collaborative scores propagated over the content graph.
        public var propagationWeight: Float = 1
        /// γ: weight of the direct content-neighbour term.
        public var contentWeight: Float = 0.3
        /// Neighbours kept per item in the collaborative graph.
        public var collaborativeNeighbours: Int = 200
        /// Neighbours per item in the content graph (FREEDOM uses 10).
        public var contentNeighbours: Int = 10
        /// Exponent a_u of the visitor-degree normalisation.
        public var userDegreeExponent: Float = 1
        /// Exponent a_i of the item-degree normalisation.
        public var itemDegreeExponent: Float = 0.5
        /// Weight of item popularity inside the collaborative term (a fallback when the history has no
        /// co-occurrences), relative to the collaborative weight.
        public var popularityWeight: Float = 0.02
        /// Choose the collaborative, propagation and content weights on a validation split of the training data
        /// (the latest ``validationFraction`` of it by time) from a small grid that includes both parts alone.
        public var tuneWeights: Bool = true
        public var validationFraction: Double = 0.1
        public init(collaborativeWeight: Float = 1, propagationWeight: Float = 1, contentWeight: Float = 0.3,
                    collaborativeNeighbours: Int = 200, contentNeighbours: Int = 10) {
            self.collaborativeWeight = collaborativeWeight
            self.propagationWeight = propagationWeight
            self.contentWeight = contentWeight
            self.collaborativeNeighbours = collaborativeNeighbours
            self.contentNeighbours = contentNeighbours
        }

        /// The collaborative-only part of a configuration.
        public var collaborativeOnly: Configuration {
            var c = self
            c.tuneWeights = false
            c.propagationWeight = 0
            c.contentWeight = 0
            c.collaborativeWeight = 1
            return c
        }

        /// The content-only part of a configuration.
        public var contentOnly: Configuration {
            var c = self
            c.tuneWeights = false
            c.collaborativeWeight = 0
            c.propagationWeight = 0
            c.contentWeight = 1
            return c
        }
    }

    public static let modelName = "hybrid"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// The collaborative item graph P.
    public let collaborative: ItemGraph
    /// The frozen, normalised content item graph S.
    public let content: ItemGraph
    /// Sᵀ: row j lists the items whose content rows reach j (for the hybrid's per-object terms).
    let contentColumns: SparseMatrix
    /// Visitors per item, scaled to a maximum of 1.
    let popularity: [Float]
    let histories: StoredHistories
    let seed: UInt64

    static func validate(_ c: Configuration) throws(RecommendError) {
        for (name, v) in [("collaborative_weight", c.collaborativeWeight), ("propagation_weight", c.propagationWeight),
                          ("content_weight", c.contentWeight)] {
            try require(v >= 0 && v.isFinite, name, "must be a non-negative number")
        }
        try require(c.collaborativeWeight + c.propagationWeight + c.contentWeight > 0, "weights", "cannot all be zero")
        try require(c.collaborativeNeighbours > 0, "collaborative_neighbours", "must be at least 1")
        try require(c.contentNeighbours > 0, "content_neighbours", "must be at least 1")
        try require(c.popularityWeight >= 0 && c.popularityWeight.isFinite, "popularity_weight", "must be a non-negative number")
        try require(c.validationFraction > 0 && c.validationFraction < 1, "validation_fraction", "must be between 0 and 1")
        try require(c.userDegreeExponent >= 0 && c.userDegreeExponent <= 2, "user_degree_exponent", "must be in 0…2")
        try require(c.itemDegreeExponent >= 0 && c.itemDegreeExponent <= 2, "item_degree_exponent", "must be in 0…2")
    }

    /// Trains on interactions plus content vectors (``TrainingData/content`` is required).
    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> HybridRecommender {
        try validate(configuration)
        guard let features = data.content else {
            throw .badParameter(name: "content", reason: "the hybrid model needs item content vectors (run `curio embed` or use the metadata encoder)")
        }
        let m = data.interactions
        guard features.itemCount == m.itemCount else {
            throw .invalidData("content vectors cover \(features.itemCount) items but the catalogue has \(m.itemCount)")
        }
        guard m.matrix.nonZeroCount > 0 else { throw .noInteractions }
        let contentGraph = ItemGraph.contentNeighbours(features, neighbours: configuration.contentNeighbours)
            .symmetrised().symmetricNormalised()
        return try train(on: m, contentGraph: contentGraph, configuration: configuration, seed: seed)
    }

    /// Trains the model reusing an already built content graph (for tuning and ablations).
    public static func train(on data: InteractionMatrix, contentGraph: ItemGraph, configuration: Configuration,
                             seed: UInt64 = 0) throws(RecommendError) -> HybridRecommender {
        try validate(configuration)
        guard contentGraph.itemCount == data.itemCount else {
            throw .invalidData("content graph covers \(contentGraph.itemCount) items but the catalogue has \(data.itemCount)")
        }
        guard data.matrix.nonZeroCount > 0 else { throw .noInteractions }
        var chosen = configuration
        if configuration.tuneWeights { chosen = selectWeights(data, contentGraph: contentGraph, configuration: configuration) }
        return HybridRecommender(configuration: chosen, itemIDs: data.itemIDs, userIDs: data.userIDs,
                                 collaborative: collaborativeGraph(data.matrix, configuration: chosen),
                                 content: contentGraph, popularity: popularityVector(data),
                                 histories: StoredHistories(data), seed: seed)
    }

    /// The weights tried by ``Configuration/tuneWeights``: (collaborative, propagation, content), both parts alone
    /// included, so the chosen mixture is never worse than either part on the validation split.
    static let weightGrid: [(Float, Float, Float)] = {
        var grid: [(Float, Float, Float)] = [(0, 0, 1)]
        for beta: Float in [0, 0.05, 0.2, 0.5, 1] {
            for gamma: Float in [0, 0.02, 0.1, 0.3] { grid.append((1, beta, gamma)) }
        }
        return grid
    }()

    /// Picks the grid weights with the best NDCG@10 on a global temporal validation split of `data` (at most 2,000
    /// validation visitors, taken at a fixed stride). Keeps the configured weights when no split is possible.
    static func selectWeights(_ data: InteractionMatrix, contentGraph: ItemGraph, configuration: Configuration) -> Configuration {
        guard let split = try? EvaluationSplit(data, strategy: .globalTemporal(cutoff: nil, testFraction: configuration.validationFraction))
        else { return configuration }
        let stride = max(1, split.cases.count / 2_000)
        let cases = Swift.stride(from: 0, to: split.cases.count, by: stride).map { split.cases[$0] }
        var base = configuration
        base.tuneWeights = false
        let validation = HybridRecommender(configuration: base, itemIDs: split.train.itemIDs, userIDs: split.train.userIDs,
                                           collaborative: collaborativeGraph(split.train.matrix, configuration: base),
                                           content: contentGraph, popularity: popularityVector(split.train),
                                           histories: StoredHistories(split.train), seed: 0)
        let grid = weightGrid
        var gains = [Double](repeating: 0, count: cases.count * grid.count)
        gains.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            Parallel.forEachChunk(count: cases.count) { range in
                for c in range {
                    let test = cases[c]
                    let parts = validation.parts(for: test.history)
                    var combined = [Float](repeating: 0, count: parts.collaborative.count)
                    for (g, weights) in grid.enumerated() {
                        for i in combined.indices {
                            combined[i] = weights.0 * parts.collaborative[i] + weights.1 * parts.propagated[i] + weights.2 * parts.content[i]
                        }
                        for i in test.excluded where i < combined.count { combined[i] = -.infinity }
                        let top = TopK.largest(combined, k: 10).map(\.index)
                        out[c * grid.count + g] = RankingMetrics.ndcg(top, test.targets, k: 10)
                    }
                }
            }
        }
        var best = 0
        var bestScore = -1.0
        for g in grid.indices {
            var sum = 0.0
            for c in cases.indices { sum += gains[c * grid.count + g] }
            if sum > bestScore + 1e-12 {
                bestScore = sum
                best = g
            }
        }
        var chosen = configuration
        (chosen.collaborativeWeight, chosen.propagationWeight, chosen.contentWeight) = grid[best]
        return chosen
    }

    /// Item popularity (visitors per item) scaled to a maximum of 1.
    static func popularityVector(_ data: InteractionMatrix) -> [Float] {
        let counts = data.itemUserCounts().map(Float.init)
        let top = counts.max() ?? 0
        return top > 0 ? counts.map { $0 / top } : counts
    }

    static func collaborativeGraph(_ r: SparseMatrix, configuration c: Configuration) -> ItemGraph {
        let binary = r.mapValues { _, _, _ in 1 }
        let itemDegree = binary.columnSums()
        let userScale = (0..<r.rows).map { u in
            let d = Float(binary.rowCount(u))
            return d > 0 ? pow(d, -c.userDegreeExponent / 2) : 0
        }
        let itemScale = itemDegree.map { $0 > 0 ? pow($0, -c.itemDegreeExponent / 2) : 0 }
        let normalised = binary.mapValues { u, i, _ in userScale[u] * itemScale[i] }
        return ItemGraph.cooccurrence(normalised, neighbours: c.collaborativeNeighbours) { _, _, raw in raw }
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], collaborative: ItemGraph,
         content: ItemGraph, popularity: [Float], histories: StoredHistories, seed: UInt64) {
        self.popularity = popularity
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.collaborative = collaborative
        self.content = content
        contentColumns = content.weights.transposed()
        self.histories = histories
        self.seed = seed
    }

    public func scores(forUser user: Int) -> [Float] { scores(forHistory: histories.history(ofUser: user)) }

    /// The three max-scaled parts of the score for a history: collaborative (with the popularity fallback),
    /// collaborative propagated over the content graph, and direct content neighbours.
    func parts(for history: [HistoryEntry]) -> (collaborative: [Float], propagated: [Float], content: [Float]) {
        let n = itemIDs.count
        let positive = history.filter { $0.weight > 0 && $0.item >= 0 && $0.item < n }
            .map { HistoryEntry(item: $0.item, weight: log1p($0.weight), time: $0.time) }
        var t = [Float](repeating: 0, count: n)
        collaborative.accumulate(positive, into: &t)
        let propagated = Self.scaled(content.propagate(t))
        var cf = Self.scaled(t)
        let p = configuration.popularityWeight
        if p > 0 { for i in 0..<min(n, popularity.count) { cf[i] += p * popularity[i] } }
        var direct = [Float](repeating: 0, count: n)
        content.accumulate(positive, into: &direct)
        return (cf, propagated, Self.scaled(direct))
    }

    public func scores(forHistory history: [HistoryEntry]) -> [Float] {
        HybridHistoryScoring(model: self, history: history).scores
    }

    /// The history scored once with its parts kept: leaving one object out then costs sparse work only.
    public func leaveOneOutScoring(forHistory history: [HistoryEntry], scores: [Float]?) -> any LeaveOneOutScoring {
        HybridHistoryScoring(model: self, history: history)
    }

    /// `v / max(v)` (unchanged when v has no positive value).
    static func scaled(_ v: [Float]) -> [Float] {
        let top = v.max() ?? 0
        guard top > 0 else { return v }
        let inverse = 1 / top
        return v.map { $0 * inverse }
    }

    /// `result += weight · v / max(v)` (nothing when v is all zero).
    /// Two 8-wide SIMD passes over raw buffers (the max, then the update of non-zero blocks): called several times
    /// per served request, over every catalogue item.
    static func addScaled(_ v: [Float], weight: Float, top known: Float? = nil, into result: inout [Float]) {
        let n = min(v.count, result.count)
        guard n > 0 else { return }
        v.withUnsafeBufferPointer { src in
            guard let x = src.baseAddress else { return }
            let top = known ?? maximum(x, count: src.count)
            guard top > 0 else { return }
            result.withUnsafeMutableBufferPointer { dst in
                guard let y = dst.baseAddress else { return }
                // The parts are sparse (a few thousand non-zeros over the catalogue): blocks of 8 zeros are skipped,
                // so the result is only read and written where the part has mass.
                let scale = weight / top
                let vs = SIMD8<Float>(repeating: scale)
                let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
                let zero = SIMD8<Float>()
                var i = 0
                while i + 8 <= n {
                    let xv = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                    if any(xv .!= zero) {
                        let yv = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) + vs * xv
                        ry.storeBytes(of: yv, toByteOffset: i * 4, as: SIMD8<Float>.self)
                    }
                    i += 8
                }
                while i < n {
                    if x[i] != 0 { y[i] += scale * x[i] }
                    i += 1
                }
            }
        }
    }

    /// The largest of `n` floats (−∞ when empty), with 8-wide SIMD.
    static func maximum(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        var top = SIMD8<Float>(repeating: -.infinity)
        let raw = UnsafeRawPointer(x)
        var i = 0
        while i + 8 <= n {
            // `replacing(with:where:)` compiles to a compare and a blend; `pointwiseMax` was left as a call per block.
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            top = top.replacing(with: v, where: v .> top)
            i += 8
        }
        var m = top.max()
        while i < n {
            if x[i] > m { m = x[i] }
            i += 1
        }
        return m
    }

    /// Neighbours by the same combination applied to a one-item history.
    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        guard item >= 0, item < itemIDs.count else { return [] }
        return rank(scores(forHistory: [HistoryEntry(item: item, weight: 1)]), k: k, excluding: [item]).filter { $0.score > 0 }
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        var tensors = histories.tensors
        tensors.merge(collaborative.tensors(prefix: "cf_")) { a, _ in a }
        tensors.merge(content.tensors(prefix: "content_graph_")) { a, _ in a }
        tensors["popularity"] = .float32(popularity, shape: [popularity.count])
        return try makeArtefact(seed: seed, users: userIDs, tensors: tensors)
    }

    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        configuration = try artefact.decodeParameters(Configuration.self)
        do {
            try Self.validate(configuration)
        } catch {
            throw .badArtefact(path: artefact.source, reason: error.description)
        }
        itemIDs = artefact.itemIDs
        userIDs = artefact.userIDs
        histories = try StoredHistories(artefact: artefact)
        collaborative = try ItemGraph(artefact: artefact, prefix: "cf_")
        content = try ItemGraph(artefact: artefact, prefix: "content_graph_")
        contentColumns = content.weights.transposed()
        popularity = try artefact.floats("popularity", count: artefact.itemIDs.count)
        seed = artefact.seed
    }
}
