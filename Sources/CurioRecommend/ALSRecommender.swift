import CurioCore
import CurioMath
import Foundation

/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008).
///
/// Every (visitor, item) cell is a preference `p = 1` when the pair interacted, else 0, with confidence
/// `c = 1 + α·r` (r the interaction weight). ALS alternates between solving all visitor vectors with item vectors
/// fixed and vice versa; each solve minimises `Σ c(p − xᵀy)² + λ‖x‖²`. Following Takács, Pilászy & Tikk (2011),
/// each least-squares system is solved approximately with a few warm-started conjugate-gradient steps instead of a
/// Cholesky factorisation, so an iteration costs O(k²·(users + items) + k·nnz). `YᵀY` is computed once per half
/// step with BLAS sgemm; visitors (items) are solved in parallel on all cores, deterministically.
///
/// Fold-in: a visitor's vector is the exact least-squares solution against the fixed item factors (Cholesky,
/// LAPACK), O(k³ + k²·|history|), then scores are `Y·x` (sgemv).
public struct ALSRecommender: TrainableRecommender {
    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        /// Latent dimensions.
        public var factors: Int = 64
        /// λ, the L2 regularisation.
        public var regularization: Float = 0.1
        /// α in the confidence `1 + α·r`.
        public var alpha: Float = 2
        public var iterations: Int = 15
        /// Conjugate-gradient steps per least-squares solve.
        public var cgSteps: Int = 3
        /// Standard deviation of the initial factors.
        public var initialScale: Float = 0.01
        public init(factors: Int = 64, regularization: Float = 0.1, alpha: Float = 2, iterations: Int = 15, cgSteps: Int = 3) {
            self.factors = factors
            self.regularization = regularization
            self.alpha = alpha
            self.iterations = iterations
            self.cgSteps = cgSteps
        }
    }

    public static let modelName = "als"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    /// Users × factors.
    public let userFactors: Matrix
    /// Items × factors.
    public let itemFactors: Matrix
    /// `YᵀY + λI`, cached for fold-in.
    let itemGram: Matrix
    let seed: UInt64

    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> ALSRecommender {
        try validate(configuration)
        let m = data.interactions
        guard m.matrix.nonZeroCount > 0 else { throw .noInteractions }
        let k = configuration.factors
        var random = SeededRandom(seed: seed)
        var users = Matrix(rows: m.userCount, columns: k)
        var items = Matrix(rows: m.itemCount, columns: k)
        for i in users.storage.indices { users.storage[i] = Float(random.normal()) * configuration.initialScale }
        for i in items.storage.indices { items.storage[i] = Float(random.normal()) * configuration.initialScale }
        let confidence = m.matrix.mapValues { _, _, r in 1 + configuration.alpha * r }
        let confidenceByItem = confidence.transposed()
        BLAS.withThreadCount(1) {
            for _ in 0..<configuration.iterations {
                leastSquaresStep(target: &users, fixed: items, ratings: confidence, configuration: configuration)
                leastSquaresStep(target: &items, fixed: users, ratings: confidenceByItem, configuration: configuration)
            }
        }
        return ALSRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs,
                              userFactors: users, itemFactors: items, seed: seed)
    }

    static func validate(_ c: Configuration) throws(RecommendError) {
        try require(c.factors > 0 && c.factors <= 1024, "factors", "must be between 1 and 1024")
        try require(c.regularization >= 0 && c.regularization.isFinite, "regularization", "must not be negative")
        try require(c.alpha >= 0 && c.alpha.isFinite, "alpha", "must not be negative")
        try require(c.iterations >= 0 && c.iterations <= 1000, "iterations", "must be between 0 and 1000")
        try require(c.cgSteps > 0 && c.cgSteps <= 100, "cg_steps", "must be between 1 and 100")
    }

    /// One half-iteration: re-solves every row of `target` against `fixed`, with `ratings` holding confidences.
    static func leastSquaresStep(target: inout Matrix, fixed: Matrix, ratings: SparseMatrix, configuration: Configuration) {
        let k = configuration.factors
        var gram = fixed.gram()
        for i in 0..<k { gram[i, i] += configuration.regularization }
        let rows = target.rows
        let chunks = min(rows, Parallel.processorCount * 8)
        let steps = configuration.cgSteps
        gram.storage.withUnsafeBufferPointer { gBuffer in
            fixed.storage.withUnsafeBufferPointer { fBuffer in
                target.storage.withUnsafeMutableBufferPointer { tBuffer in
                    ratings.columnIndices.withUnsafeBufferPointer { cols in
                        ratings.values.withUnsafeBufferPointer { vals in
                            let g = gBuffer.baseAddress!, f = fBuffer.baseAddress!, t = tBuffer.baseAddress!
                            let c = cols.baseAddress!, v = vals.baseAddress!
                            Parallel.forEachChunkIndexed(count: rows, chunks: chunks) { _, range in
                                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * k)
                                defer { scratch.deallocate() }
                                let r = scratch, p = scratch + k, ap = scratch + 2 * k
                                for u in range {
                                    let x = t + u * k
                                    let start = ratings.rowPointers[u], end = ratings.rowPointers[u + 1]
                                    if start == end {
                                        for j in 0..<k { x[j] = 0 }
                                        continue
                                    }
                                    // r = b − A·x with b = Σ c·y and A = G + Σ (c − 1)·y·yᵀ.
                                    for i in 0..<k { r[i] = -VectorKernels.dot(g + i * k, x, count: k) }
                                    for q in start..<end {
                                        let y = f + Int(c[q]) * k
                                        let conf = v[q]
                                        let coefficient = conf - (conf - 1) * VectorKernels.dot(y, x, count: k)
                                        VectorKernels.axpy(coefficient, y, r, count: k)
                                    }
                                    var rsOld: Float = 0
                                    for i in 0..<k {
                                        p[i] = r[i]
                                        rsOld += r[i] * r[i]
                                    }
                                    if rsOld < 1e-20 { continue }
                                    for _ in 0..<steps {
                                        for i in 0..<k { ap[i] = VectorKernels.dot(g + i * k, p, count: k) }
                                        for q in start..<end {
                                            let y = f + Int(c[q]) * k
                                            VectorKernels.axpy((v[q] - 1) * VectorKernels.dot(y, p, count: k), y, ap, count: k)
                                        }
                                        let pAp = VectorKernels.dot(p, ap, count: k)
                                        if pAp <= 0 { break }
                                        let a = rsOld / pAp
                                        var rsNew: Float = 0
                                        for i in 0..<k {
                                            x[i] += a * p[i]
                                            r[i] -= a * ap[i]
                                            rsNew += r[i] * r[i]
                                        }
                                        if rsNew < 1e-20 { break }
                                        let beta = rsNew / rsOld
                                        for i in 0..<k { p[i] = r[i] + beta * p[i] }
                                        rsOld = rsNew
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], userFactors: Matrix,
         itemFactors: Matrix, seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        var gram = itemFactors.gram()
        for i in 0..<configuration.factors { gram[i, i] += configuration.regularization }
        itemGram = gram
        self.seed = seed
    }

    public func scores(forUser user: Int) -> [Float] {
        guard user >= 0, user < userFactors.rows else { return [Float](repeating: 0, count: itemIDs.count) }
        return itemFactors.multiplied(byVector: userFactors.row(user))
    }

    /// The least-squares visitor vector for a history, against the fixed item factors.
    public func foldIn(_ history: [HistoryEntry]) -> [Float] {
        let k = configuration.factors
        var a = itemGram.storage
        var b = [Float](repeating: 0, count: k)
        var any = false
        itemFactors.storage.withUnsafeBufferPointer { fBuffer in
            a.withUnsafeMutableBufferPointer { aBuffer in
                b.withUnsafeMutableBufferPointer { bBuffer in
                    let f = fBuffer.baseAddress!, am = aBuffer.baseAddress!, bv = bBuffer.baseAddress!
                    for entry in history where entry.weight > 0 && entry.item >= 0 && entry.item < itemFactors.rows {
                        any = true
                        let y = f + entry.item * k
                        let conf = 1 + configuration.alpha * entry.weight
                        VectorKernels.axpy(conf, y, bv, count: k)
                        for i in 0..<k { VectorKernels.axpy((conf - 1) * y[i], y, am + i * k, count: k) }
                    }
                }
            }
        }
        guard any else { return b }
        let solved: Bool = a.withUnsafeMutableBufferPointer { aBuffer in
            b.withUnsafeMutableBufferPointer { bBuffer in
                (try? LAPACK.solveSymmetricPositiveDefinite(n: k, a: aBuffer.baseAddress!, b: bBuffer.baseAddress!)) != nil
            }
        }
        return solved ? b : [Float](repeating: 0, count: k)
    }

    public func scores(forHistory history: [HistoryEntry]) -> [Float] {
        itemFactors.multiplied(byVector: foldIn(history))
    }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        cosineNeighbours(of: item, in: itemFactors, itemIDs: itemIDs, k: k)
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        try makeArtefact(seed: seed, users: userIDs, tensors: [
            "user_factors": .float32(userFactors.storage, shape: [userFactors.rows, userFactors.columns]),
            "item_factors": .float32(itemFactors.storage, shape: [itemFactors.rows, itemFactors.columns]),
        ])
    }

    public init(artefact: ModelArtefact) throws(RecommendError) {
        try artefact.require(model: Self.modelName, version: Self.modelVersion)
        let configuration = try artefact.decodeParameters(Configuration.self)
        do {
            try Self.validate(configuration)
        } catch {
            throw .badArtefact(path: artefact.source, reason: error.description)
        }
        let k = configuration.factors
        let users = try artefact.floats("user_factors", count: artefact.userIDs.count * k)
        let items = try artefact.floats("item_factors", count: artefact.itemIDs.count * k)
        self.init(configuration: configuration, itemIDs: artefact.itemIDs, userIDs: artefact.userIDs,
                  userFactors: Matrix(rows: artefact.userIDs.count, columns: k, storage: users),
                  itemFactors: Matrix(rows: artefact.itemIDs.count, columns: k, storage: items), seed: artefact.seed)
    }
}
