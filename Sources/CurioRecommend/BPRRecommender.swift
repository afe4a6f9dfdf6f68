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
/// generator, in blocks of ``Configuration/blockSize`` samples. Within a block, ``Configuration/threads`` workers each
/// own the visitors with `index % threads == worker` (so visitor vectors have one writer), read item vectors as of the
/// block start and accumulate their item updates privately; the updates are merged in worker order after the block.
/// Negative samples come from per-(epoch, block, worker) seeded streams. The same seed and configuration give the
/// same model bit for bit, on any number of cores.
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
        /// Worker threads. Visitors are split among them by index; item updates are accumulated per thread and
        /// merged every ``blockSize`` samples in thread order, so the result depends on this number but never on
        /// scheduling.
        public var threads: Int = 2
        /// Samples between merges of the item updates.
        public var blockSize: Int = 4096
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
        try require(c.blockSize >= 1, "block_size", "must be at least 1")
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
        let grad = UnsafeMutablePointer<Float>.allocate(capacity: k)
        defer { grad.deallocate() }
        let threads = configuration.threads
        let block = configuration.blockSize
        // Per-thread item deltas (dense, cleared row by row after each merge) and touched lists.
        var itemDelta = [[Float]](repeating: [Float](repeating: 0, count: nItems * k), count: threads)
        var biasDelta = [[Float]](repeating: [Float](repeating: 0, count: nItems), count: threads)
        var touched = [[Int32]](repeating: [], count: threads)
        var isTouched = [[Bool]](repeating: [Bool](repeating: false, count: nItems), count: threads)
        for epoch in 0..<configuration.epochs {
            random.shuffle(&order)
            let rate = learningRate
            var blockStart = 0
            var blockNumber: UInt64 = 0
            while blockStart < order.count {
                let blockEnd = min(order.count, blockStart + block)
                let streamBase = (UInt64(epoch) << 40) | (blockNumber << 8)
                users.storage.withUnsafeMutableBufferPointer { uBuffer in
                    items.storage.withUnsafeBufferPointer { iBuffer in
                        bias.withUnsafeBufferPointer { bBuffer in
                            x.columnIndices.withUnsafeBufferPointer { cols in
                                order.withUnsafeBufferPointer { orderBuffer in
                                    owner.withUnsafeBufferPointer { ownerBuffer in
                                        itemDelta.withUnsafeMutableBufferPointer { deltas in
                                            biasDelta.withUnsafeMutableBufferPointer { biasDeltas in
                                                touched.withUnsafeMutableBufferPointer { touchedLists in
                                                    isTouched.withUnsafeMutableBufferPointer { touchedFlags in
                                    let pu0 = uBuffer.baseAddress!, q0 = iBuffer.baseAddress!, b = bBuffer.baseAddress!
                                    let c = cols.baseAddress!
                                    Parallel.forEachChunkIndexed(count: threads, chunks: threads) { _, range in
                                        for t in range {
                                            var rng = SeededRandom(seed: seed, stream: streamBase | UInt64(t))
                                            let grad = UnsafeMutablePointer<Float>.allocate(capacity: k)
                                            defer { grad.deallocate() }
                                            deltas[t].withUnsafeMutableBufferPointer { dBuffer in
                                                biasDeltas[t].withUnsafeMutableBufferPointer { dbBuffer in
                                                    let d = dBuffer.baseAddress!, db = dbBuffer.baseAddress!
                                                    for s in blockStart..<blockEnd {
                                                        let entry = Int(orderBuffer[s])
                                                        let u = Int(ownerBuffer[entry])
                                                        // Each visitor belongs to one thread: their vector has one writer.
                                                        if u % threads != t { continue }
                                                        let i = Int(c[entry])
                                                        let start = x.rowPointers[u], end = x.rowPointers[u + 1]
                                                        if end - start >= nItems { continue }
                                                        var j = rng.nextInt(below: nItems)
                                                        var attempts = 0
                                                        while contains(c, start, end, Int32(j)) && attempts < 20 {
                                                            j = rng.nextInt(below: nItems)
                                                            attempts += 1
                                                        }
                                                        if attempts == 20 { continue }
                                                        // Item vectors are read as of the block start; their updates
                                                        // accumulate in this thread's deltas.
                                                        let p = pu0 + u * k, qi = q0 + i * k, qj = q0 + j * k
                                                        var score: Float = useBias ? b[i] - b[j] : 0
                                                        score += VectorKernels.dot(p, qi, count: k) - VectorKernels.dot(p, qj, count: k)
                                                        let g = 1 / (1 + expf(score))
                                                        let di = d + i * k, dj = d + j * k
                                                        for f in 0..<k {
                                                            let pf = p[f], vi = qi[f], vj = qj[f]
                                                            grad[f] = g * (vi - vj) - reg * pf
                                                            di[f] += rate * (g * pf - reg * vi)
                                                            dj[f] += rate * (-g * pf - reg * vj)
                                                        }
                                                        for f in 0..<k { p[f] += rate * grad[f] }
                                                        if useBias {
                                                            db[i] += rate * (g - reg * b[i])
                                                            db[j] += rate * (-g - reg * b[j])
                                                        }
                                                        if !touchedFlags[t][i] {
                                                            touchedFlags[t][i] = true
                                                            touchedLists[t].append(Int32(i))
                                                        }
                                                        if !touchedFlags[t][j] {
                                                            touchedFlags[t][j] = true
                                                            touchedLists[t].append(Int32(j))
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
                            }
                        }
                    }
                }
                // Merge the deltas in thread order (deterministic), then clear them.
                for t in 0..<threads {
                    for item in touched[t] {
                        let row = Int(item) * k
                        for f in 0..<k {
                            items.storage[row + f] += itemDelta[t][row + f]
                            itemDelta[t][row + f] = 0
                        }
                        bias[Int(item)] += biasDelta[t][Int(item)]
                        biasDelta[t][Int(item)] = 0
                        isTouched[t][Int(item)] = false
                    }
                    touched[t].removeAll(keepingCapacity: true)
                }
                blockStart = blockEnd
                blockNumber += 1
            }
            learningRate *= configuration.decay
        }
        return BPRRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs,
                              userFactors: users, itemFactors: items, itemBiases: bias, seed: seed)
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
