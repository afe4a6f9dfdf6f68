import CurioCore
import CurioMath
import Foundation

/// Bayesian personalised ranking matrix factorisation (Rendle et al. 2009).
///
/// Learns visitor vectors `p_u`, item vectors `q_i` and item biases `b_i` so that an item the visitor engaged
/// with outranks an item they did not: stochastic gradient ascent on `ln σ(x_ui − x_uj)` with
/// `x_ui = b_i + p_u·q_i`, L2 regularisation, and **uniform negative sampling** (j drawn uniformly among items the
/// visitor has not interacted with).
///
/// Determinism without Hogwild races: each epoch visits the positive pairs in an order shuffled by the seeded
/// generator, stratified as in DSGD (Gemulla et al. 2011): visitors and items are split into ``Configuration/threads``
/// strata by index; in sub-epoch s, worker t takes the pairs whose visitor is in stratum t and whose item is in
/// stratum (t + s) mod threads, drawing the negative uniformly from that same item stratum, so workers update
/// disjoint rows in place. Negative samples come from per-(epoch, sub-epoch, worker) seeded streams. The same seed
/// and configuration give the same model bit for bit, on any number of cores.
///
/// Fold-in: a new visitor's vector is fitted by a few epochs of the same SGD over their history with the item
/// vectors frozen (seeded, so deterministic), then scores are `b + Q·p`.
public struct BPRRecommender: TrainableRecommender {
    /// Hyper-parameters.
    public struct Configuration: Codable, Sendable, Hashable {
        public var factors: Int = 64
        public var learningRate: Float = 0.05
        public var regularization: Float = 0.002
        /// Passes over all positive pairs.
        public var epochs: Int = 40
        /// Learn an item bias (captures popularity).
        public var itemBias: Bool = true
        /// Standard deviation of the initial factors.
        public var initialScale: Float = 0.1
        /// Learning rate decay per epoch (multiplicative).
        public var decay: Float = 0.97
        /// SGD epochs over the history when folding in a visitor.
        public var foldInEpochs: Int = 40
        /// Worker threads (strata). The result depends on this number but never on scheduling.
        public var threads: Int = 2
        public init(factors: Int = 64, learningRate: Float = 0.05, regularization: Float = 0.002, epochs: Int = 40) {
            self.factors = factors
            self.learningRate = learningRate
            self.regularization = regularization
            self.epochs = epochs
        }
    }

    public static let modelName = "bpr"
    public static let modelVersion = 1
    public let configuration: Configuration
    public let itemIDs: [ItemID]
    public let userIDs: [VisitorID]
    public let userFactors: Matrix
    public let itemFactors: Matrix
    public let itemBiases: [Float]
    let seed: UInt64

    static func validate(_ c: Configuration) throws(RecommendError) {
        try require(c.factors > 0 && c.factors <= 1024, "factors", "must be between 1 and 1024")
        try require(c.learningRate > 0 && c.learningRate.isFinite, "learning_rate", "must be positive")
        try require(c.regularization >= 0 && c.regularization.isFinite, "regularization", "must not be negative")
        try require(c.epochs >= 0 && c.epochs <= 10_000, "epochs", "must be between 0 and 10,000")
        try require(c.decay > 0 && c.decay <= 1, "decay", "must be in (0, 1]")
        try require(c.threads >= 1 && c.threads <= 64, "threads", "must be between 1 and 64")
        try require(c.foldInEpochs >= 0 && c.foldInEpochs <= 1000, "fold_in_epochs", "must be between 0 and 1000")
    }

    public static func train(on data: TrainingData, configuration: Configuration = Configuration(),
                             seed: UInt64 = 0) throws(RecommendError) -> BPRRecommender {
        try validate(configuration)
        let m = data.interactions
        guard m.matrix.nonZeroCount > 0 else { throw .noInteractions }
        let k = configuration.factors
        let nItems = m.itemCount
        var random = SeededRandom(seed: seed)
        var users = Matrix(rows: m.userCount, columns: k)
        var items = Matrix(rows: nItems, columns: k)
        for i in users.storage.indices { users.storage[i] = Float(random.normal()) * configuration.initialScale }
        for i in items.storage.indices { items.storage[i] = Float(random.normal()) * configuration.initialScale }
        var bias = [Float](repeating: 0, count: nItems)
        // Owner row of every stored entry, so a shuffled entry order gives (user, item) pairs.
        let x = m.matrix
        var owner = [Int32](repeating: 0, count: x.nonZeroCount)
        for u in 0..<x.rows { for p in x.range(ofRow: u) { owner[p] = Int32(u) } }
        var order = [Int32](0..<Int32(x.nonZeroCount))
        var learningRate = configuration.learningRate
        let reg = configuration.regularization
        let useBias = configuration.itemBias
        // Stratified parallel SGD (as in DSGD): visitors and items are split into `threads` strata by index. In
        // sub-epoch s, worker t takes the samples whose visitor is in stratum t and whose item is in stratum
        // (t + s) mod threads, and draws negatives from that item stratum, so workers update disjoint visitor and
        // item rows in place: no races, no locks, and the result depends only on the seed and `threads`.
        let threads = nItems >= configuration.threads ? configuration.threads : 1
        for epoch in 0..<configuration.epochs {
            random.shuffle(&order)
            let rate = learningRate
            for sub in 0..<threads {
                users.storage.withUnsafeMutableBufferPointer { uBuffer in
                    items.storage.withUnsafeMutableBufferPointer { iBuffer in
                        bias.withUnsafeMutableBufferPointer { bBuffer in
                            x.columnIndices.withUnsafeBufferPointer { cols in
                                x.rowPointers.withUnsafeBufferPointer { rowPointerBuffer in
                                    order.withUnsafeBufferPointer { orderBuffer in
                                        owner.withUnsafeBufferPointer { ownerBuffer in
                                            let pu0 = uBuffer.baseAddress!, q0 = iBuffer.baseAddress!, b = bBuffer.baseAddress!
                                            let c = cols.baseAddress!, rp = rowPointerBuffer.baseAddress!
                                            let samples = orderBuffer.count
                                            Parallel.forEachChunkIndexed(count: threads, chunks: threads) { _, range in
                                                for t in range {
                                                    let itemStratum = (t + sub) % threads
                                                    let stratumSize = (nItems - itemStratum + threads - 1) / threads
                                                    var rng = SeededRandom(seed: seed, stream: (UInt64(epoch) << 16) | (UInt64(sub) << 8) | UInt64(t))
                                                    for s in 0..<samples {
                                                        let entry = Int(orderBuffer[s])
                                                        let u = Int(ownerBuffer[entry])
                                                        let i = Int(c[entry])
                                                        if u % threads != t || i % threads != itemStratum { continue }
                                                        let start = rp[u], end = rp[u + 1]
                                                        var j = itemStratum + threads * rng.nextInt(below: stratumSize)
                                                        var attempts = 0
                                                        while contains(c, start, end, Int32(j)) && attempts < 20 {
                                                            j = itemStratum + threads * rng.nextInt(below: stratumSize)
                                                            attempts += 1
                                                        }
                                                        if attempts == 20 { continue }
                                                        let p = pu0 + u * k, qi = q0 + i * k, qj = q0 + j * k
                                                        var score: Float = useBias ? b[i] - b[j] : 0
                                                        score += VectorKernels.dot(p, qi, count: k) - VectorKernels.dot(p, qj, count: k)
                                                        let g = 1 / (1 + expf(score))
                                                        Self.update(p: p, qi: qi, qj: qj, g: g, rate: rate, reg: reg, k: k)
                                                        if useBias {
                                                            b[i] += rate * (g - reg * b[i])
                                                            b[j] += rate * (-g - reg * b[j])
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            learningRate *= configuration.decay
        }
        return BPRRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs,
                              userFactors: users, itemFactors: items, itemBiases: bias, seed: seed)
    }

    /// One in-place SGD step for a (visitor, positive, negative) triple. 8-wide SIMD with a scalar tail.
    @inline(__always)
    static func update(p: UnsafeMutablePointer<Float>, qi: UnsafeMutablePointer<Float>, qj: UnsafeMutablePointer<Float>,
                       g: Float, rate: Float, reg: Float, k: Int) {
        var f = 0
        let vg = SIMD8<Float>(repeating: g), vrate = SIMD8<Float>(repeating: rate), vreg = SIMD8<Float>(repeating: reg)
        let rp = UnsafeMutableRawPointer(p), rqi = UnsafeMutableRawPointer(qi), rqj = UnsafeMutableRawPointer(qj)
        while f + 8 <= k {
            let o = f * 4
            let pf = rp.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let vi = rqi.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            let vj = rqj.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            rp.storeBytes(of: pf + vrate * (vg * (vi - vj) - vreg * pf), toByteOffset: o, as: SIMD8<Float>.self)
            rqi.storeBytes(of: vi + vrate * (vg * pf - vreg * vi), toByteOffset: o, as: SIMD8<Float>.self)
            rqj.storeBytes(of: vj + vrate * (-vg * pf - vreg * vj), toByteOffset: o, as: SIMD8<Float>.self)
            f += 8
        }
        while f < k {
            let pf = p[f], vi = qi[f], vj = qj[f]
            p[f] = pf + rate * (g * (vi - vj) - reg * pf)
            qi[f] = vi + rate * (g * pf - reg * vi)
            qj[f] = vj + rate * (-g * pf - reg * vj)
            f += 1
        }
    }

    /// Binary search for `column` in the sorted columns `cols[start..<end]`.
    @inline(__always)
    static func contains(_ cols: UnsafePointer<Int32>, _ start: Int, _ end: Int, _ column: Int32) -> Bool {
        var lo = start, hi = end
        while lo < hi {
            let mid = (lo + hi) >> 1
            let c = cols[mid]
            if c == column { return true }
            if c < column { lo = mid + 1 } else { hi = mid }
        }
        return false
    }

    init(configuration: Configuration, itemIDs: [ItemID], userIDs: [VisitorID], userFactors: Matrix,
         itemFactors: Matrix, itemBiases: [Float], seed: UInt64) {
        self.configuration = configuration
        self.itemIDs = itemIDs
        self.userIDs = userIDs
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.itemBiases = itemBiases
        self.seed = seed
    }

    func scores(vector: [Float]) -> [Float] {
        var out = itemFactors.multiplied(byVector: vector)
        if configuration.itemBias { for i in out.indices { out[i] += itemBiases[i] } }
        return out
    }

    public func scores(forUser user: Int) -> [Float] {
        guard user >= 0, user < userFactors.rows else { return scores(vector: [Float](repeating: 0, count: configuration.factors)) }
        return scores(vector: userFactors.row(user))
    }

    /// The visitor vector fitted to a history with item vectors frozen (deterministic SGD).
    public func foldIn(_ history: [HistoryEntry]) -> [Float] {
        let k = configuration.factors
        var p = [Float](repeating: 0, count: k)
        let positives = history.filter { $0.weight > 0 && $0.item >= 0 && $0.item < itemFactors.rows }.map(\.item)
        guard !positives.isEmpty else { return p }
        let sorted = Array(Set(positives)).sorted()
        let nItems = itemFactors.rows
        var random = SeededRandom(seed: seed, stream: 0xF01D)
        var learningRate = configuration.learningRate
        let reg = configuration.regularization
        let useBias = configuration.itemBias
        let samplesPerEpoch = max(positives.count, 32)
        itemFactors.storage.withUnsafeBufferPointer { qBuffer in
            p.withUnsafeMutableBufferPointer { pBuffer in
                let q = qBuffer.baseAddress!, pu = pBuffer.baseAddress!
                for _ in 0..<configuration.foldInEpochs {
                    for s in 0..<samplesPerEpoch {
                        let i = positives[s % positives.count]
                        var j = random.nextInt(below: nItems)
                        var attempts = 0
                        while sorted.contains(j) && attempts < 20 {
                            j = random.nextInt(below: nItems)
                            attempts += 1
                        }
                        if attempts == 20 { continue }
                        let qi = q + i * k, qj = q + j * k
                        var score: Float = useBias ? itemBiases[i] - itemBiases[j] : 0
                        for f in 0..<k { score += pu[f] * (qi[f] - qj[f]) }
                        let g = 1 / (1 + expf(score))
                        for f in 0..<k { pu[f] += learningRate * (g * (qi[f] - qj[f]) - reg * pu[f]) }
                    }
                    learningRate *= configuration.decay
                }
            }
        }
        return p
    }

    public func scores(forHistory history: [HistoryEntry]) -> [Float] { scores(vector: foldIn(history)) }

    public func similarItems(to item: Int, k: Int) -> [ScoredItem] {
        cosineNeighbours(of: item, in: itemFactors, itemIDs: itemIDs, k: k)
    }

    public func artefact() throws(RecommendError) -> ModelArtefact {
        try makeArtefact(seed: seed, users: userIDs, tensors: [
            "user_factors": .float32(userFactors.storage, shape: [userFactors.rows, userFactors.columns]),
            "item_factors": .float32(itemFactors.storage, shape: [itemFactors.rows, itemFactors.columns]),
            "item_biases": .float32(itemBiases, shape: [itemBiases.count]),
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
        let biases = try artefact.floats("item_biases", count: artefact.itemIDs.count)
        self.init(configuration: configuration, itemIDs: artefact.itemIDs, userIDs: artefact.userIDs,
                  userFactors: Matrix(rows: artefact.userIDs.count, columns: k, storage: users),
                  itemFactors: Matrix(rows: artefact.itemIDs.count, columns: k, storage: items),
                  itemBiases: biases, seed: artefact.seed)
    }
}
