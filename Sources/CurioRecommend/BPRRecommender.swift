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
/// Training is stratified parallel SGD (as in DSGD, Gemulla et al. 2011), in ``StratifiedBPRTrainer``: every epoch,
/// visitors and items are dealt into blocks by fresh seeded permutations; in each of the epoch's rounds the workers
/// take disjoint (visitor block, item block) strata, visit each stratum's pairs in a seeded shuffled order and draw
/// each negative uniformly from the pair's item block (a uniformly random block, so the negative is uniform over
/// all items in expectation). Workers update disjoint rows in place — no Hogwild races, no locks — and every stratum
/// has its own seeded stream, so the same seed gives the same model bit for bit whatever the number of threads.
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
        /// Standard deviation of the initial factors (drawn uniformly).
        public var initialScale: Float = 0.01
        /// Learning rate decay per epoch (multiplicative).
        public var decay: Float = 0.97
        /// SGD epochs over the history when folding in a visitor.
        public var foldInEpochs: Int = 40
        /// Worker threads. The model does not depend on this number (nor on scheduling): only on the seed.
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
        let trainer = StratifiedBPRTrainer(matrix: m.matrix, factors: configuration.factors)
        let settings = StratifiedBPRTrainer.Settings(
            learningRate: configuration.learningRate, regularization: configuration.regularization,
            epochs: configuration.epochs, decay: configuration.decay, itemBias: configuration.itemBias,
            initialScale: configuration.initialScale, threads: configuration.threads)
        let (users, items, bias) = trainer.train(settings: settings, seed: seed)
        return BPRRecommender(configuration: configuration, itemIDs: m.itemIDs, userIDs: m.userIDs,
                              userFactors: users, itemFactors: items, itemBiases: bias, seed: seed)
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
