import CurioMath

/// Settings of the self-attentive next-exhibit model (SASRec, Kang & McAuley 2018).
public struct SASRecConfiguration: Sendable, Codable, Equatable {
    /// Embedding and hidden size.
    public var dimension: Int = 48
    /// Longest history the model reads (most recent items).
    public var maxLength: Int = 20
    /// Self-attention blocks (1 or 2 is typical).
    public var blocks: Int = 2
    /// Dropout on embeddings, attention outputs and feed-forward outputs during training.
    public var dropout: Float = 0.2
    /// Adam step size.
    public var learningRate: Float = 1e-3
    /// L2 penalty on item embeddings.
    public var l2: Float = 0
    /// Passes over the training sessions (at most; see ``patience``).
    public var epochs: Int = 40
    /// Sessions per mini-batch.
    public var batchSize: Int = 64
    /// Fraction of the most recent training sessions used to pick the best epoch (0 disables early stopping).
    public var validationFraction: Double = 0.1
    /// Epochs without a better validation NDCG@10 before stopping.
    public var patience: Int = 5
    /// Seed for initialisation, shuffling and dropout: same seed and data, same model.
    public var seed: UInt64 = 42

    public init() {}

    /// Checks the ranges.
    /// - Throws: ``VisitError/badParameter(name:reason:)``.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws {
            if !ok { throw VisitError.badParameter(name: name, reason: reason) }
        }
        try check(dimension >= 2 && dimension <= 1024, "dimension", "must be between 2 and 1024")
        try check(maxLength >= 2 && maxLength <= 512, "max_length", "must be between 2 and 512")
        try check(blocks >= 1 && blocks <= 8, "blocks", "must be between 1 and 8")
        try check(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1)")
        try check(learningRate > 0 && learningRate < 1, "learning_rate", "must be in (0, 1)")
        try check(l2 >= 0, "l2", "must be zero or more")
        try check(epochs >= 1, "epochs", "must be at least 1")
        try check(batchSize >= 1, "batch_size", "must be at least 1")
        try check(validationFraction >= 0 && validationFraction < 1, "validation_fraction", "must be in [0, 1)")
    }
}

/// Where each weight tensor lives in the flat parameter vector.
struct SASRecLayout: Sendable, Equatable {
    /// One attention + feed-forward block.
    struct Block: Sendable, Equatable {
        var ln1Gain = 0, ln1Bias = 0, wq = 0, bq = 0, wk = 0, bk = 0, wv = 0, bv = 0
        var ln2Gain = 0, ln2Bias = 0, w1 = 0, b1 = 0, w2 = 0, b2 = 0
    }

    /// Vocabulary size plus one (row 0 is padding).
    let classes: Int
    let d: Int
    let length: Int
    let embedding: Int
    let position: Int
    let blocks: [Block]
    let finalGain: Int
    let finalBias: Int
    let count: Int
    /// Named tensors (offset, size) for gradient checks and diagnostics.
    let tensors: [(name: String, offset: Int, size: Int)]

    init(items: Int, configuration c: SASRecConfiguration) {
        classes = items + 1
        d = c.dimension
        length = c.maxLength
        var offset = 0
        var tensors: [(String, Int, Int)] = []
        func take(_ name: String, _ size: Int) -> Int {
            defer { offset += size }
            tensors.append((name, offset, size))
            return offset
        }
        embedding = take("item_embedding", classes * d)
        position = take("position_embedding", length * d)
        var blocks: [Block] = []
        for b in 0..<c.blocks {
            var k = Block()
            k.ln1Gain = take("block\(b).ln1.gain", d)
            k.ln1Bias = take("block\(b).ln1.bias", d)
            k.wq = take("block\(b).attention.wq", d * d)
            k.bq = take("block\(b).attention.bq", d)
            k.wk = take("block\(b).attention.wk", d * d)
            k.bk = take("block\(b).attention.bk", d)
            k.wv = take("block\(b).attention.wv", d * d)
            k.bv = take("block\(b).attention.bv", d)
            k.ln2Gain = take("block\(b).ln2.gain", d)
            k.ln2Bias = take("block\(b).ln2.bias", d)
            k.w1 = take("block\(b).ffn.w1", d * d)
            k.b1 = take("block\(b).ffn.b1", d)
            k.w2 = take("block\(b).ffn.w2", d * d)
            k.b2 = take("block\(b).ffn.b2", d)
            blocks.append(k)
        }
        self.blocks = blocks
        finalGain = take("final.ln.gain", d)
        finalBias = take("final.ln.bias", d)
        count = offset
        self.tensors = tensors
    }

    static func == (a: SASRecLayout, b: SASRecLayout) -> Bool {
        a.classes == b.classes && a.d == b.d && a.length == b.length && a.blocks == b.blocks && a.count == b.count
    }

    /// Initial weights: item embeddings N(0, 1/d) (so that √d-scaled inputs and dot-product scores start near unit
    /// scale), position embeddings N(0, 0.25/d)… Xavier-normal projections, unit gains, zero biases, padding row 0.
    func initialParameters(seed: UInt64) -> [Float] {
        var p = [Float](repeating: 0, count: count)
        var rng = SeededRandom(seed: seed, stream: 0x5A5)
        let s = 1 / Float(d).squareRoot()
        for i in d..<(classes * d) { p[embedding + i] = Float(rng.normal()) * s }
        for i in 0..<(length * d) { p[position + i] = Float(rng.normal()) * s * 0.5 }
        for k in blocks {
            for w in [k.wq, k.wk, k.wv, k.w1, k.w2] {
                for i in 0..<(d * d) { p[w + i] = Float(rng.normal()) * s }
            }
            for g in [k.ln1Gain, k.ln2Gain] { for i in 0..<d { p[g + i] = 1 } }
        }
        for i in 0..<d { p[finalGain + i] = 1 }
        return p
    }
}
