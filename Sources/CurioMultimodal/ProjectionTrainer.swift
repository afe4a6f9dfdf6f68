import CurioMath
import Foundation

/// Options of ``ProjectionTrainer``.
public struct ProjectionTrainingOptions: Codable, Sendable, Hashable {
    /// Seed of the initial weights, the split and the batch order: same seed and pairs, same projection.
    public var seed: UInt64 = 42
    /// Upper bound on passes over the training pairs.
    public var maxEpochs: Int = 200
    /// Pairs per step; each batch's other pairs are the negatives (a symmetric InfoNCE over the batch).
    public var batchSize: Int = 256
    /// Adam step size.
    public var learningRate: Float = 1e-3
    /// Decoupled (AdamW) weight decay on the projection matrix.
    public var weightDecay: Float = 0.05
    /// Stop after this many epochs without a better validation MRR, keeping the best weights.
    public var patience: Int = 10
    /// Initial temperature τ of the loss (learned from there; CLIP's 0.07).
    public var initialTemperature: Float = 0.07
    /// Fewest training pairs accepted.
    public var minimumTrainingPairs: Int = 16

    public init() {}

    func validate() throws {
        func bad(_ name: String, _ reason: String) -> MultimodalError { .invalidOption(name: name, reason: reason) }
        guard (1...100_000).contains(maxEpochs) else { throw bad("epochs", "must be between 1 and 100000 (got \(maxEpochs))") }
        guard (2...65_536).contains(batchSize) else { throw bad("batch_size", "must be between 2 and 65536 (got \(batchSize))") }
        guard learningRate > 0, learningRate < 1 else { throw bad("learning_rate", "must be in (0, 1) (got \(learningRate))") }
        guard weightDecay >= 0, weightDecay < 1 else { throw bad("weight_decay", "must be in [0, 1) (got \(weightDecay))") }
        guard patience >= 1 else { throw bad("patience", "must be at least 1 (got \(patience))") }
        guard initialTemperature > 0.01, initialTemperature <= 1 else {
            throw bad("temperature", "must be in (0.01, 1] (got \(initialTemperature))")
        }
    }
}

/// Which pairs train the projection, which decide when to stop, and which are kept out for measuring it.
public struct ProjectionSplit: Sendable, Hashable {
    public var training: [Int]
    public var validation: [Int]
    public var test: [Int]

    public init(training: [Int], validation: [Int], test: [Int] = []) {
        self.training = training
        self.validation = validation
        self.test = test
    }

    /// A seeded random split of `count` pairs (validation and test shares of the whole, at least one pair each
    /// when their share is positive).
    public static func random(count: Int, validationShare: Double = 0.15, testShare: Double = 0, seed: UInt64) -> ProjectionSplit {
        var order = Array(0..<count)
        var rng = SeededRandom(seed: seed, stream: 0x5_711)
        rng.shuffle(&order)
        func size(_ share: Double) -> Int { share > 0 ? max(1, Int((Double(count) * share).rounded())) : 0 }
        let v = min(count, size(validationShare)), t = min(count - v, size(testShare))
        return ProjectionSplit(training: Array(order[(v + t)...]), validation: Array(order[0..<v]), test: Array(order[v..<(v + t)]))
    }
}

/// What one training run did.
public struct ProjectionTrainingReport: Codable, Sendable, Hashable {
    /// One line per epoch.
    public struct Epoch: Codable, Sendable, Hashable {
        public var epoch: Int
        public var trainingLoss: Double
        public var validation: RetrievalScores
        public var temperature: Float
        enum CodingKeys: String, CodingKey {
            case epoch, validation, temperature
            case trainingLoss = "training_loss"
        }
    }
    public var epochs: [Epoch]
    /// The epoch whose weights were kept (0: the random initialisation was never beaten).
    public var bestEpoch: Int
    /// Text→image retrieval on the validation pairs with the random initial projection.
    public var untrainedValidation: RetrievalScores
    /// The same with the kept weights.
    public var validation: RetrievalScores
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epochs, validation, seconds
        case bestEpoch = "best_epoch", untrainedValidation = "untrained_validation"
    }
}

/// Learns an ``ImageTextProjection`` from image–text pairs with a CLIP-style symmetric InfoNCE loss.
///
/// The text side is fixed (the MiniLM space); only the image projection `W, b` and the logit scale `ln(1/τ)` are
/// learned, with minibatch AdamW. Per batch of B pairs, `S = e^s · U·Tᵀ` holds the scaled cosines between projected
/// images `U` and texts `T`; the loss is the mean of the cross-entropies of picking the partner along each row
/// (image→text) and each column (text→image). Gradients are derived by hand and the three batch products
/// (`X·W`, `dS·T`, `Xᵀ·dZ`) run through sgemm. After each epoch the text→image MRR on the validation pairs decides
/// whether the weights are the best so far; training stops after `patience` epochs without improvement and returns
/// the best weights. Deterministic for a seed (single process, same BLAS).
public enum ProjectionTrainer {
    /// Trains on `split.training`, stops early on `split.validation` (`split.test` is not touched).
    /// - Parameters:
    ///   - imageFeatures: raw image features, one row per pair.
    ///   - textVectors: the partner text embeddings (normalised here), one row per pair.
    /// - Throws: ``MultimodalError`` for pairs that do not line up, too few pairs, bad options or divergence.
    public static func train(imageFeatures: Matrix, textVectors: Matrix, split: ProjectionSplit,
                             options: ProjectionTrainingOptions = ProjectionTrainingOptions(),
                             imageModel: String, textModel: String) throws -> (ImageTextProjection, ProjectionTrainingReport) {
        try options.validate()
        guard imageFeatures.rows == textVectors.rows else {
            throw MultimodalError.mismatchedPairs(reason: "\(imageFeatures.rows) images but \(textVectors.rows) texts")
        }
        let all = split.training + split.validation + split.test
        guard all.allSatisfy({ (0..<imageFeatures.rows).contains($0) }), Set(all).count == all.count else {
            throw MultimodalError.mismatchedPairs(reason: "the split names pairs that do not exist or names a pair twice")
        }
        guard split.training.count >= options.minimumTrainingPairs, !split.validation.isEmpty else {
            throw MultimodalError.tooFewPairs(count: imageFeatures.rows, minimum: options.minimumTrainingPairs + 1)
        }
        guard imageFeatures.storage.allSatisfy(\.isFinite), textVectors.storage.allSatisfy(\.isFinite) else {
            throw MultimodalError.mismatchedPairs(reason: "some vectors contain non-finite values")
        }
        let start = Date()
        let outD = textVectors.columns
        var texts = textVectors
        texts.normalizeRows()

        var rng = SeededRandom(seed: options.seed, stream: 0xC11F)
        var projection = try initialProjection(imageFeatures: imageFeatures, trainingRows: split.training, outputDimension: outD,
                                               options: options, rng: &rng, imageModel: imageModel, textModel: textModel)
        projection.info.validationPairs = split.validation.count

        let standardised = projection.standardised(imageFeatures)
        let validationImages = rows(standardised, split.validation)
        let validationTexts = rows(texts, split.validation)
        func evaluate(_ p: ImageTextProjection) -> RetrievalScores {
            var projected = p.linear(validationImages)
            projected.normalizeRows()
            return RetrievalMetrics.paired(queries: validationTexts, candidates: projected)
        }

        let untrained = evaluate(projection)
        var best = (projection, untrained, 0)
        var state = AdamState(weights: projection.weights.count, bias: outD)
        var order = split.training
        var epochs: [ProjectionTrainingReport.Epoch] = []
        var stale = 0
        let maxScale = logf(100)
        for epoch in 1...options.maxEpochs {
            rng.shuffle(&order)
            var lossSum = 0.0, batches = 0
            var b = 0
            while b < order.count {
                let batch = Array(order[b..<min(order.count, b + options.batchSize)])
                b += batch.count
                guard batch.count >= 2 else { continue }
                let loss = step(&projection, state: &state, images: rows(standardised, batch), texts: rows(texts, batch),
                                options: options)
                guard loss.isFinite else { throw MultimodalError.diverged(epoch: epoch) }
                projection.logitScale = min(max(projection.logitScale, 0), maxScale)
                lossSum += loss
                batches += 1
            }
            let scores = evaluate(projection)
            epochs.append(.init(epoch: epoch, trainingLoss: lossSum / Double(max(1, batches)), validation: scores,
                                temperature: projection.temperature))
            if scores.mrr > best.1.mrr {
                best = (projection, scores, epoch)
                stale = 0
            } else {
                stale += 1
                if stale >= options.patience { break }
            }
        }
        var kept = best.0
        kept.info.epochs = epochs.count
        kept.info.bestEpoch = best.2
        kept.info.untrainedValidation = untrained
        kept.info.validation = best.1
        kept.info.trainedAt = ISO8601DateFormatter().string(from: Date())
        let report = ProjectionTrainingReport(epochs: epochs, bestEpoch: best.2, untrainedValidation: untrained,
                                              validation: best.1, seconds: Date().timeIntervalSince(start))
        return (kept, report)
    }

    /// The random initial projection training starts from (standardisation from `trainingRows`, Gaussian
    /// weights with variance 1/input width, zero bias, the initial temperature) — the "untrained" baseline.
    static func initialProjection(imageFeatures: Matrix, trainingRows: [Int], outputDimension outD: Int,
                                  options: ProjectionTrainingOptions, rng: inout SeededRandom, imageModel: String,
                                  textModel: String) throws -> ImageTextProjection {
        let inD = imageFeatures.columns
        let split = (training: trainingRows, validation: [Int]())
        // Standardisation statistics from the training pairs only.
        var mean = [Double](repeating: 0, count: inD), sq = [Double](repeating: 0, count: inD)
        for i in split.training {
            for j in 0..<inD {
                let v = Double(imageFeatures.storage[i * inD + j])
                mean[j] += v
                sq[j] += v * v
            }
        }
        let nt = Double(split.training.count)
        let inputMean = mean.map { Float($0 / nt) }
        let inputScale = (0..<inD).map { j -> Float in
            let variance = max(0, sq[j] / nt - (mean[j] / nt) * (mean[j] / nt))
            return Float(1 / (variance.squareRoot() + 1e-3))
        }

        let std = Float(1 / Double(inD).squareRoot())
        return try ImageTextProjection(
            inputDimension: inD, outputDimension: outD, inputMean: inputMean, inputScale: inputScale,
            weights: (0..<(inD * outD)).map { _ in Float(rng.normal()) * std }, bias: [Float](repeating: 0, count: outD),
            logitScale: logf(1 / options.initialTemperature),
            info: ProjectionInfo(imageModel: imageModel, textModel: textModel, seed: options.seed,
                                 trainingPairs: split.training.count, validationPairs: split.validation.count, epochs: 0,
                                 bestEpoch: 0, untrainedValidation: RetrievalScores(queries: 0, recallAt1: 0, recallAt10: 0, mrr: 0),
                                 validation: RetrievalScores(queries: 0, recallAt1: 0, recallAt10: 0, mrr: 0), trainedAt: ""))

    }

    /// The untrained projection for the same pairs and seed: the random initialisation ``train`` starts from.
    public static func untrained(imageFeatures: Matrix, textVectors: Matrix, split: ProjectionSplit,
                                 options: ProjectionTrainingOptions = ProjectionTrainingOptions()) throws -> ImageTextProjection {
        var rng = SeededRandom(seed: options.seed, stream: 0xC11F)
        return try initialProjection(imageFeatures: imageFeatures, trainingRows: split.training, outputDimension: textVectors.columns,
                                     options: options, rng: &rng, imageModel: "", textModel: "")
    }

    /// Rows `indices` of `m`, in that order.
    static func rows(_ m: Matrix, _ indices: [Int]) -> Matrix {
        var storage = [Float](repeating: 0, count: indices.count * m.columns)
        let d = m.columns
        m.storage.withUnsafeBufferPointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    (dst.baseAddress! + r * d).update(from: src.baseAddress! + i * d, count: d)
                }
            }
        }
        return Matrix(rows: indices.count, columns: d, storage: storage)
    }

    /// First and second moment estimates of AdamW.
    struct AdamState {
        var mW: [Float], vW: [Float], mB: [Float], vB: [Float]
        var mS: Float = 0, vS: Float = 0
        var t = 0
        init(weights: Int, bias: Int) {
            mW = [Float](repeating: 0, count: weights)
            vW = mW
            mB = [Float](repeating: 0, count: bias)
            vB = mB
        }
    }

    /// The symmetric InfoNCE loss of a batch of standardised images and unit texts, and its gradients with respect
    /// to the weights, the bias and the logit scale.
    static func lossAndGradients(_ p: ImageTextProjection, images x: Matrix, texts t: Matrix)
        -> (loss: Double, weights: [Float], bias: [Float], logitScale: Float) {
        let n = x.rows, inD = p.inputDimension, outD = p.outputDimension
        // Forward: Z = X·W + b, U = Z / |Z|, S = e^s · U·Tᵀ.
        var z = p.linear(x)
        var norms = [Float](repeating: 0, count: n)
        z.storage.withUnsafeMutableBufferPointer { zs in
            for r in 0..<n { norms[r] = max(VectorKernels.norm(zs.baseAddress! + r * outD, count: outD), 1e-6) }
        }
        var u = z
        for r in 0..<n { for j in 0..<outD { u.storage[r * outD + j] /= norms[r] } }
        let scale = expf(p.logitScale)
        var s = [Float](repeating: 0, count: n * n)
        u.storage.withUnsafeBufferPointer { us in
            t.storage.withUnsafeBufferPointer { ts in
                s.withUnsafeMutableBufferPointer { ss in
                    BLAS.sgemm(transB: true, m: n, n: n, k: outD, alpha: scale, a: us.baseAddress!, b: ts.baseAddress!,
                               c: ss.baseAddress!)
                }
            }
        }
        // Row and column softmaxes; G = dL/dS = (P_row + P_col − 2I) / 2n.
        var g = [Float](repeating: 0, count: n * n)
        var loss = 0.0
        for i in 0..<n {
            var m = -Float.infinity
            for j in 0..<n { m = max(m, s[i * n + j]) }
            var sum: Float = 0
            for j in 0..<n { sum += expf(s[i * n + j] - m) }
            for j in 0..<n { g[i * n + j] += expf(s[i * n + j] - m) / sum }
            loss -= Double(s[i * n + i] - m - logf(sum))
        }
        for j in 0..<n {
            var m = -Float.infinity
            for i in 0..<n { m = max(m, s[i * n + j]) }
            var sum: Float = 0
            for i in 0..<n { sum += expf(s[i * n + j] - m) }
            for i in 0..<n { g[i * n + j] += expf(s[i * n + j] - m) / sum }
            loss -= Double(s[j * n + j] - m - logf(sum))
        }
        let inv = 1 / Float(2 * n)
        var dLogitScale: Float = 0
        for i in 0..<n {
            g[i * n + i] -= 2
            for j in 0..<n {
                g[i * n + j] *= inv
                dLogitScale += g[i * n + j] * s[i * n + j]
            }
        }
        // dU = e^s · G·T; dZ = (dU − U (U·dU)) / |Z|.
        var dz = [Float](repeating: 0, count: n * outD)
        g.withUnsafeBufferPointer { gs in
            t.storage.withUnsafeBufferPointer { ts in
                dz.withUnsafeMutableBufferPointer { ds in
                    BLAS.sgemm(m: n, n: outD, k: n, alpha: scale, a: gs.baseAddress!, b: ts.baseAddress!, c: ds.baseAddress!)
                }
            }
        }
        u.storage.withUnsafeBufferPointer { us in
            dz.withUnsafeMutableBufferPointer { ds in
                for r in 0..<n {
                    let ur = us.baseAddress! + r * outD, dr = ds.baseAddress! + r * outD
                    let along = VectorKernels.dot(ur, UnsafePointer(dr), count: outD)
                    let invNorm = 1 / norms[r]
                    for j in 0..<outD { dr[j] = (dr[j] - ur[j] * along) * invNorm }
                }
            }
        }
        // dW = Xᵀ·dZ, db = Σ_rows dZ.
        var dw = [Float](repeating: 0, count: inD * outD)
        x.storage.withUnsafeBufferPointer { xs in
            dz.withUnsafeBufferPointer { ds in
                dw.withUnsafeMutableBufferPointer { ws in
                    BLAS.sgemm(transA: true, m: inD, n: outD, k: n, a: xs.baseAddress!, b: ds.baseAddress!, c: ws.baseAddress!)
                }
            }
        }
        var db = [Float](repeating: 0, count: outD)
        for r in 0..<n { for j in 0..<outD { db[j] += dz[r * outD + j] } }
        return (loss / Double(2 * n), dw, db, dLogitScale)
    }

    /// One AdamW step on a batch of standardised images and unit texts; returns the batch loss.
    static func step(_ p: inout ImageTextProjection, state: inout AdamState, images x: Matrix, texts t: Matrix,
                     options: ProjectionTrainingOptions) -> Double {
        let (loss, dw, db, dLogitScale) = lossAndGradients(p, images: x, texts: t)
        let outD = p.outputDimension
        // AdamW.
        state.t += 1
        let beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8
        let c1 = 1 - powf(beta1, Float(state.t)), c2 = 1 - powf(beta2, Float(state.t))
        let lr = options.learningRate, decay = options.learningRate * options.weightDecay
        p.weights.withUnsafeMutableBufferPointer { w in
            state.mW.withUnsafeMutableBufferPointer { m in
                state.vW.withUnsafeMutableBufferPointer { v in
                    for i in 0..<w.count {
                        let gi = dw[i]
                        m[i] = beta1 * m[i] + (1 - beta1) * gi
                        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                        w[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps) + decay * w[i]
                    }
                }
            }
        }
        for j in 0..<outD {
            state.mB[j] = beta1 * state.mB[j] + (1 - beta1) * db[j]
            state.vB[j] = beta2 * state.vB[j] + (1 - beta2) * db[j] * db[j]
            p.bias[j] -= lr * (state.mB[j] / c1) / ((state.vB[j] / c2).squareRoot() + eps)
        }
        state.mS = beta1 * state.mS + (1 - beta1) * dLogitScale
        state.vS = beta2 * state.vS + (1 - beta2) * dLogitScale * dLogitScale
        p.logitScale -= lr * (state.mS / c1) / ((state.vS / c2).squareRoot() + eps)
        return loss
    }
}
