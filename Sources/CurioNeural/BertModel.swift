import CurioMath
import Foundation

/// A BERT encoder (embeddings + transformer layers) running on the CPU, every matrix product through
/// `BLAS.sgemm`.
///
/// Per layer: fused Q/K/V projection → per-sequence, per-head scaled dot-product attention with softmax →
/// output projection + residual + LayerNorm → feed-forward with exact (erf) GELU → projection + residual +
/// LayerNorm. Inputs are ``PackedTokens`` (no padding) or a padded ``TokenBatch`` with an attention mask.
///
/// Weights are converted to `Float` once at load time and held in one buffer; Q weights are pre-scaled by
/// `1/√headSize` (exact: a power of two for 64-wide heads). Dense weights are stored transposed, `[in, out]`
/// row-major, so every projection is a plain (no-transpose) sgemm: OpenBLAS handles that layout faster for
/// short inputs, where streaming the weights dominates (a 7-token query: ~20% less time in the dense layers). Immutable after loading and safe to share: concurrent
/// calls each use their own scratch memory.
public final class BertModel: @unchecked Sendable {
    /// Architecture.
    public let configuration: BertConfiguration
    /// The weights file the model was loaded from.
    public let source: String

    private struct Layer {
        var qkvWeight, qkvBias: UnsafePointer<Float>
        var attentionOutputWeight, attentionOutputBias: UnsafePointer<Float>
        var attentionNormGamma, attentionNormBeta: UnsafePointer<Float>
        var intermediateWeight, intermediateBias: UnsafePointer<Float>
        var outputWeight, outputBias: UnsafePointer<Float>
        var outputNormGamma, outputNormBeta: UnsafePointer<Float>
    }

    private let arena: UnsafeMutableBufferPointer<Float>
    private let wordEmbeddings: UnsafePointer<Float>
    /// Position embeddings with the token-type-0 embedding already added (single-segment input).
    private let positionEmbeddings: UnsafePointer<Float>
    private let embeddingNormGamma, embeddingNormBeta: UnsafePointer<Float>
    private let layers: [Layer]
    private let teamLock = NSLock()
    private var teamStorage: ThreadTeam?

    /// Loads `config.json` and `model.safetensors` from a model directory.
    /// - Throws: ``NeuralError`` naming the file and field or tensor when anything is missing or inconsistent.
    public convenience init(directory: URL) throws {
        let configuration = try BertConfiguration(contentsOf: directory.appendingPathComponent("config.json"))
        let weights = try SafetensorsFile(path: directory.appendingPathComponent("model.safetensors").path)
        try self.init(configuration: configuration, weights: weights)
    }

    /// Builds the model from an opened weights file (tensor names as in Hugging Face `BertModel`, optionally
    /// prefixed with `bert.`).
    /// - Throws: ``NeuralError/missingTensor(file:name:)``, ``NeuralError/shapeMismatch(name:expected:found:)``,
    ///   ``NeuralError/badWeights(file:reason:)``.
    public init(configuration c: BertConfiguration, weights: SafetensorsFile) throws {
        configuration = c
        source = weights.path
        let loaded = try Self.loadWeights(c, weights)
        arena = loaded.arena
        wordEmbeddings = loaded.word
        positionEmbeddings = loaded.position
        embeddingNormGamma = loaded.gamma
        embeddingNormBeta = loaded.beta
        layers = loaded.layers
    }

    /// Hands out consecutive slices of one weight buffer and fills them from the weights file.
    private struct ArenaFiller {
        let arena: UnsafeMutableBufferPointer<Float>
        let weights: SafetensorsFile
        let prefix: String
        var cursor = 0

        mutating func take(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
            let slice = UnsafeMutableBufferPointer(rebasing: arena[cursor..<(cursor + count)])
            cursor += count
            return slice
        }

        mutating func load(_ name: String, _ shape: [Int]) throws -> UnsafePointer<Float> {
            let buffer = take(shape.reduce(1, *))
            try weights.copyTensor(named: prefix + name, shape: shape, into: buffer)
            return UnsafePointer(buffer.baseAddress!)
        }

        func fill(_ buffer: UnsafeMutableBufferPointer<Float>, _ name: String, _ shape: [Int]) throws {
            try weights.copyTensor(named: prefix + name, shape: shape, into: buffer)
        }

        /// Loads a `[rows, columns]` weight (PyTorch `Linear`: `[out, in]`) transposed into `[columns, rows]`.
        mutating func loadTransposed(_ name: String, rows: Int, columns: Int) throws -> UnsafePointer<Float> {
            let buffer = take(rows * columns)
            try fillTransposed(buffer, name, rows: rows, columns: columns, stride: rows, offset: 0)
            return UnsafePointer(buffer.baseAddress!)
        }

        /// Writes the transpose of the `[rows, columns]` tensor `name` into `buffer` as `columns` rows of `stride`
        /// floats, starting at column `offset` of each row.
        func fillTransposed(_ buffer: UnsafeMutableBufferPointer<Float>, _ name: String, rows: Int, columns: Int,
                            stride: Int, offset: Int) throws {
            let source = try weights.tensor(named: prefix + name, shape: [rows, columns]).storage
            guard let target = buffer.baseAddress else { return }
            source.withUnsafeBufferPointer { from in
                guard let from = from.baseAddress else { return }
                for r in 0..<rows {
                    for c in 0..<columns { target[c * stride + offset + r] = from[r * columns + c] }
                }
            }
        }
    }

    private static func loadWeights(_ c: BertConfiguration, _ weights: SafetensorsFile) throws -> (
        arena: UnsafeMutableBufferPointer<Float>, word: UnsafePointer<Float>, position: UnsafePointer<Float>,
        gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, layers: [Layer]
    ) {
        let prefix = weights.tensors["embeddings.word_embeddings.weight"] == nil
            && weights.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let h = c.hiddenSize, i = c.intermediateSize
        let perLayer = 3 * h * h + 3 * h + h * h + h + 2 * h + i * h + i + h * i + h + 2 * h
        let total = c.vocabularySize * h + c.maxPositions * h + 2 * h + c.layerCount * perLayer
        let arena = UnsafeMutableBufferPointer<Float>.allocate(capacity: total)
        arena.initialize(repeating: 0)
        var filler = ArenaFiller(arena: arena, weights: weights, prefix: prefix)
        do {
            let word = try filler.load("embeddings.word_embeddings.weight", [c.vocabularySize, h])
            let positions = filler.take(c.maxPositions * h)
            try filler.fill(positions, "embeddings.position_embeddings.weight", [c.maxPositions, h])
            let types = try weights.tensor(named: prefix + "embeddings.token_type_embeddings.weight",
                                           shape: [c.typeVocabularySize, h])
            for p in 0..<c.maxPositions { for k in 0..<h { positions[p * h + k] += types.storage[k] } }
            let gamma = try filler.load("embeddings.LayerNorm.weight", [h])
            let beta = try filler.load("embeddings.LayerNorm.bias", [h])
            let scale = 1 / Float(c.headSize).squareRoot()
            var layers: [Layer] = []
            for l in 0..<c.layerCount {
                let p = "encoder.layer.\(l)."
                // Q, V and K side by side in one [h, 3h] matrix (transposed), in that order: one sgemm projects Q
                // and V together (the first 2h columns), another K transposed (see `run`).
                let qkv = filler.take(3 * h * h), qkvBias = filler.take(3 * h)
                for (part, name) in ["query", "value", "key"].enumerated() {
                    try filler.fillTransposed(qkv, p + "attention.self.\(name).weight", rows: h, columns: h,
                                              stride: 3 * h, offset: part * h)
                    try filler.fill(UnsafeMutableBufferPointer(rebasing: qkvBias[(part * h)..<((part + 1) * h)]),
                                    p + "attention.self.\(name).bias", [h])
                }
                for row in 0..<h { for k in 0..<h { qkv[row * 3 * h + k] *= scale } }
                for k in 0..<h { qkvBias[k] *= scale }
                let attentionOutputWeight = try filler.loadTransposed(p + "attention.output.dense.weight", rows: h, columns: h)
                let attentionOutputBias = try filler.load(p + "attention.output.dense.bias", [h])
                let attentionNormGamma = try filler.load(p + "attention.output.LayerNorm.weight", [h])
                let attentionNormBeta = try filler.load(p + "attention.output.LayerNorm.bias", [h])
                let intermediateWeight = try filler.loadTransposed(p + "intermediate.dense.weight", rows: i, columns: h)
                let intermediateBias = try filler.load(p + "intermediate.dense.bias", [i])
                let outputWeight = try filler.loadTransposed(p + "output.dense.weight", rows: h, columns: i)
                let outputBias = try filler.load(p + "output.dense.bias", [h])
                let outputNormGamma = try filler.load(p + "output.LayerNorm.weight", [h])
                let outputNormBeta = try filler.load(p + "output.LayerNorm.bias", [h])
                layers.append(Layer(
                    qkvWeight: UnsafePointer(qkv.baseAddress!), qkvBias: UnsafePointer(qkvBias.baseAddress!),
                    attentionOutputWeight: attentionOutputWeight, attentionOutputBias: attentionOutputBias,
                    attentionNormGamma: attentionNormGamma, attentionNormBeta: attentionNormBeta,
                    intermediateWeight: intermediateWeight, intermediateBias: intermediateBias,
                    outputWeight: outputWeight, outputBias: outputBias,
                    outputNormGamma: outputNormGamma, outputNormBeta: outputNormBeta))
            }
            precondition(filler.cursor == total, "weight layout miscounted")
            return (arena, word, UnsafePointer(positions.baseAddress!), gamma, beta, layers)
        } catch {
            arena.deallocate()
            throw error
        }
    }

    /// Runs `body(part)` for every `part` in `0..<parts` at the same time on the model's thread team — dedicated
    /// threads, which keep the caller's scheduling priority — part 0 on the calling thread. Returns false without
    /// running anything when the team is busy with another call or has fewer than `parts` threads.
    func runOnTeam(parts: Int, _ body: (Int) -> Void) -> Bool {
        guard parts > 1, let team = team(), parts <= team.size else { return false }
        return team.run(parts: parts, body)
    }

    /// Threads for lone short inputs and batch workers, started on first use (see ``ThreadTeam``).
    private func team() -> ThreadTeam? {
        teamLock.lock()
        defer { teamLock.unlock() }
        if let teamStorage { return teamStorage }
        let team = ThreadTeam(size: Parallel.processorCount)
        teamStorage = team
        return team
    }

    deinit {
        arena.deallocate()
        teamStorage?.shutdown()
    }


    /// Final hidden states of every token of `tokens`, as a `[tokenCount, hiddenSize]` tensor.
    /// - Throws: ``NeuralError/invalidInput(reason:)`` for a token id outside the vocabulary or a position beyond
    ///   the model's maximum.
    public func hiddenStates(_ tokens: PackedTokens) throws -> Tensor {
        var out = [Float](repeating: 0, count: tokens.tokenCount * configuration.hiddenSize)
        let workspace = BertWorkspace()
        workspace.reserve(tokens: tokens.tokenCount, longest: tokens.longest, configuration: configuration)
        try out.withUnsafeMutableBufferPointer { try run(tokens, hidden: $0.baseAddress!, workspace: workspace) }
        return Tensor(shape: [tokens.tokenCount, configuration.hiddenSize], storage: out)
    }

    /// Final hidden states for a padded batch, as `[sequenceCount, length, hiddenSize]`; masked positions are zero.
    public func hiddenStates(_ batch: TokenBatch) throws -> Tensor {
        let packed = batch.packed()
        let states = try hiddenStates(packed)
        let h = configuration.hiddenSize
        var out = [Float](repeating: 0, count: batch.sequenceCount * batch.length * h)
        for s in 0..<batch.sequenceCount {
            for t in packed.offsets[s]..<packed.offsets[s + 1] {
                let target = (s * batch.length + Int(packed.positions[t])) * h
                for c in 0..<h { out[target + c] = states.storage[t * h + c] }
            }
        }
        return Tensor(shape: [batch.sequenceCount, batch.length, h], storage: out)
    }

    /// Mean of each sequence's final hidden states (sentence-transformers' mean pooling), `[sequenceCount, hiddenSize]`.
    /// An empty sequence pools to zeros.
    /// - Parameter workspace: scratch memory to reuse across calls on one thread (allocated for this call if nil).
    public func meanPooled(_ tokens: PackedTokens, workspace: BertWorkspace? = nil) throws -> Tensor {
        let h = configuration.hiddenSize
        var pooled = [Float](repeating: 0, count: tokens.sequenceCount * h)
        let workspace = workspace ?? BertWorkspace()
        workspace.reserve(tokens: tokens.tokenCount, longest: tokens.longest, configuration: configuration)
        let states = workspace.hidden
        try run(tokens, hidden: states, workspace: workspace)
        pooled.withUnsafeMutableBufferPointer { out in
            for s in 0..<tokens.sequenceCount {
                let start = tokens.offsets[s], end = tokens.offsets[s + 1]
                guard end > start else { continue }
                let row = out.baseAddress! + s * h
                for t in start..<end {
                    let state = states + t * h
                    for c in 0..<h { row[c] += state[c] }
                }
                let inverse = 1 / Float(end - start)
                for c in 0..<h { row[c] *= inverse }
            }
        }
        return Tensor(shape: [tokens.sequenceCount, h], storage: pooled)
    }

    /// Mean-pooled states of a padded batch, counting only unmasked tokens.
    public func meanPooled(_ batch: TokenBatch) throws -> Tensor {
        try meanPooled(batch.packed())
    }

    /// The forward pass: writes `tokenCount × hiddenSize` final states to `hidden`.
    private func run(_ tokens: PackedTokens, hidden: UnsafeMutablePointer<Float>, workspace: BertWorkspace) throws {
        let c = configuration
        let t = tokens.tokenCount, h = c.hiddenSize, inner = c.intermediateSize
        let heads = c.headCount, d = c.headSize, h3 = 3 * h
        guard t > 0 else { return }
        for (k, id) in tokens.tokenIDs.enumerated() where id < 0 || Int(id) >= c.vocabularySize {
            throw NeuralError.invalidInput(reason: "token \(k) has id \(id), outside the vocabulary of \(c.vocabularySize)")
        }
        for (k, p) in tokens.positions.enumerated() where p < 0 || Int(p) >= c.maxPositions {
            throw NeuralError.invalidInput(reason: "token \(k) has position \(p); the model has \(c.maxPositions) positions")
        }
        let qkv = workspace.qkv, context = workspace.context, projected = workspace.projected
        let intermediate = workspace.intermediate, scores = workspace.scores, keysT = workspace.keysTransposed
        tokens.tokenIDs.withUnsafeBufferPointer { ids in
            tokens.positions.withUnsafeBufferPointer { positions in
                for k in 0..<t {
                    let word = wordEmbeddings + Int(ids[k]) * h, position = positionEmbeddings + Int(positions[k]) * h
                    let row = hidden + k * h
                    for j in 0..<h { row[j] = word[j] + position[j] }
                }
            }
        }
        TensorKernels.addLayerNorm(hidden, bias: nil, residual: nil, output: hidden, rows: t, width: h,
                                   gamma: embeddingNormGamma, beta: embeddingNormBeta, epsilon: c.layerNormEpsilon)
        // A few tokens (a lone query) with threads allowed: all layers in one parallel region (see runLayersAsTeam).
        let parts = min(BLAS.threadCount, Parallel.processorCount)
        if t <= Self.slicedInputTokens, parts > 1, let team = team() {
            let offsets = tokens.offsets, longest = tokens.longest
            let ran = team.run(parts: parts) { part in
                runLayersAsTeam(part: part, parts: parts, team: team, t: t, offsets: offsets, longest: longest,
                                hidden: hidden, workspace: workspace)
            }
            if ran { return }
        }
        // Queries and values come from one product into `qv` (`[t, 2h]`), keys from another straight into
        // `keysT` (`[h, t]`, transposed), so that each head's scores are a plain product with no copy. The keys'
        // bias is left out: it adds `q·b` to a whole row of scores, which the softmax cancels exactly.
        // Every product into `qv`, `keysT` and `projected` accumulates onto its bias (BLAS beta = 1), written into
        // the output rows beforehand — for the first layer here, then by the step that last reads those rows while
        // they are still in cache (attention for `qv` and `keysT`, the LayerNorms for `projected`): that saves
        // OpenBLAS's separate pass to zero the output and a separate bias pass.
        let qv = qkv, h2 = 2 * h
        // Rows of `keysT` a little more than `t` floats apart: a head's 32 key rows exactly a multiple of 4 KiB
        // apart would all fall in the same few L1 cache sets.
        var kt = ((t + 15) & ~15) + 16
        if kt % 1024 == 0 { kt += 16 }
        for k in 0..<t {
            (qv + k * h2).update(from: layers[0].qkvBias, count: h2)
            (projected + k * h).update(from: layers[0].attentionOutputBias, count: h)
        }
        keysT.update(repeating: 0, count: h * kt)
        let sums = workspace.scores + workspace.scoreStride * tokens.longest
        for (index, layer) in layers.enumerated() {
            let next = index + 1 < layers.count ? layers[index + 1] : nil
            dense(t: t, n: h2, k: h, a: hidden, b: layer.qkvWeight, ldb: h3, beta: 1, c: qv)
            if t > Self.slicedInputTokens {
                BLAS.sgemm(transA: true, transB: true, m: h, n: t, k: h, a: layer.qkvWeight + h2, lda: h3, b: hidden,
                           ldb: h, beta: 1, c: keysT, ldc: kt)
            } else {
                // A few tokens: OpenBLAS's small-matrix path (column slices) and a copy beat the transposed product.
                dense(t: t, n: h, k: h, a: hidden, b: layer.qkvWeight + h2, ldb: h3, c: context)
                for k in 0..<t { for r in 0..<h { keysT[r * kt + k] = context[k * h + r] } }
            }
            for s in 0..<tokens.sequenceCount {
                let start = tokens.offsets[s], length = tokens.offsets[s + 1] - start
                guard length > 0 else { continue }
                // Score rows padded to whole 16-float vectors for the softmax kernel.
                let stride = (length + 15) & ~15
                for head in 0..<heads {
                    let q = qv + start * h2 + head * d, out = context + start * h + head * d
                    attentionScores(q: q, stride: h2, keysT: keysT + head * d * kt + start, keysStride: kt,
                                    length: length, headSize: d, scores: scores, scoreStride: stride)
                    TensorKernels.softmaxNumerators(scores, rows: length, width: length, stride: stride,
                                                    inverseSums: sums)
                    BLAS.sgemm(m: length, n: d, k: length, a: scores, lda: stride, b: q + h, ldb: h2,
                               c: out, ldc: h)
                    TensorKernels.scaleRows(out, rows: length, width: d, stride: h, factors: sums)
                }
                if let next {
                    for k in start..<(start + length) { (qv + k * h2).update(from: next.qkvBias, count: h2) }
                    for r in 0..<h { (keysT + r * kt + start).update(repeating: 0, count: length) }
                }
            }
            dense(t: t, n: h, k: h, a: context, b: layer.attentionOutputWeight, beta: 1, c: projected)
            TensorKernels.addLayerNorm(projected, bias: nil, residual: hidden, output: hidden,
                                       rows: t, width: h, gamma: layer.attentionNormGamma, beta: layer.attentionNormBeta,
                                       epsilon: c.layerNormEpsilon, refill: layer.outputBias)
            dense(t: t, n: inner, k: h, a: hidden, b: layer.intermediateWeight, c: intermediate)
            TensorKernels.addBiasGELU(intermediate, rows: t, width: inner, bias: layer.intermediateBias)
            dense(t: t, n: h, k: inner, a: intermediate, b: layer.outputWeight, beta: 1, c: projected)
            TensorKernels.addLayerNorm(projected, bias: nil, residual: hidden, output: hidden,
                                       rows: t, width: h, gamma: layer.outputNormGamma, beta: layer.outputNormBeta,
                                       epsilon: c.layerNormEpsilon, refill: next?.attentionOutputBias)
        }
    }
}

extension BertModel {
    /// The transformer layers for a few tokens, as part `part` of `parts` threads running together.
    ///
    /// Every matrix product is split by output columns into thin slices (OpenBLAS's small-matrix path, which reads
    /// the weights in place instead of packing them — packing was most of a lone query's time), and the parts
    /// meet at a spinning barrier whenever the next step needs everything the previous one wrote: six times per
    /// layer instead of a thread hand-off per product. A part computes the Q, K and V columns of the heads it
    /// attends with (heads `part`, `part + parts`, …), so projection and attention need no barrier between them;
    /// LayerNorm rows and GELU columns are split the same way.
    private func runLayersAsTeam(part p: Int, parts n: Int, team: ThreadTeam, t: Int, offsets: [Int], longest: Int,
                                 hidden: UnsafeMutablePointer<Float>, workspace: BertWorkspace) {
        let c = configuration
        let h = c.hiddenSize, inner = c.intermediateSize, heads = c.headCount, d = c.headSize, h3 = 3 * h
        let qkv = workspace.qkv, context = workspace.context, projected = workspace.projected
        let intermediate = workspace.intermediate
        let width = Self.sliceWidth
        /// Runs `body(first, count)` for this part's column slices of a `total`-wide output.
        func columns(_ total: Int, _ body: (Int, Int) -> Void) {
            let slices = (total + width - 1) / width
            var slice = p
            while slice < slices {
                body(slice * width, min(width, total - slice * width))
                slice += n
            }
        }
        /// LayerNorm of this part's rows: `hidden[r] = LN(projected[r] + bias + hidden[r])`.
        func normalizeRows(bias: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>) {
            var r = p
            while r < t {
                TensorKernels.addLayerNorm(projected + r * h, bias: bias, residual: hidden + r * h, output: hidden + r * h,
                                           rows: 1, width: h, gamma: gamma, beta: beta, epsilon: c.layerNormEpsilon)
                r += n
            }
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, longest * longest)) { scratch in
            let scores = scratch.baseAddress!
            for layer in layers {
                var head = p
                while head < heads {
                    for part in 0..<3 {
                        let column = part * h + head * d
                        for k in 0..<t { (qkv + k * h3 + column).update(from: layer.qkvBias + column, count: d) }
                        BLAS.sgemm(m: t, n: d, k: h, a: hidden, lda: h, b: layer.qkvWeight + column, ldb: h3, beta: 1,
                                   c: qkv + column, ldc: h3)
                    }
                    for s in 0..<(offsets.count - 1) {
                        let start = offsets[s], length = offsets[s + 1] - start
                        guard length > 0 else { continue }
                        let q = qkv + start * h3 + head * d
                        BLAS.sgemm(transB: true, m: length, n: length, k: d, a: q, lda: h3, b: q + 2 * h, ldb: h3,
                                   c: scores, ldc: length)
                        TensorKernels.softmaxRows(scores, rows: length, width: length)
                        BLAS.sgemm(m: length, n: d, k: length, a: scores, lda: length, b: q + h, ldb: h3,
                                   c: context + start * h + head * d, ldc: h)
                    }
                    head += n
                }
                team.barrier()
                columns(h) { first, count in
                    BLAS.sgemm(m: t, n: count, k: h, a: context, lda: h, b: layer.attentionOutputWeight + first, ldb: h,
                               c: projected + first, ldc: h)
                }
                team.barrier()
                normalizeRows(bias: layer.attentionOutputBias, gamma: layer.attentionNormGamma,
                              beta: layer.attentionNormBeta)
                team.barrier()
                columns(inner) { first, count in
                    BLAS.sgemm(m: t, n: count, k: h, a: hidden, lda: h, b: layer.intermediateWeight + first, ldb: inner,
                               c: intermediate + first, ldc: inner)
                    for r in 0..<t {
                        TensorKernels.addBiasGELU(intermediate + r * inner + first, rows: 1, width: count,
                                                  bias: layer.intermediateBias + first)
                    }
                }
                team.barrier()
                columns(h) { first, count in
                    BLAS.sgemm(m: t, n: count, k: inner, a: intermediate, lda: inner, b: layer.outputWeight + first,
                               ldb: h, c: projected + first, ldc: h)
                }
                team.barrier()
                normalizeRows(bias: layer.outputBias, gamma: layer.outputNormGamma, beta: layer.outputNormBeta)
                team.barrier()
            }
        }
    }

    /// `scores = q · keysᵀ` for one head of one sequence (`length × length`, rows `scoreStride` apart), from its
    /// queries (rows `stride` apart) and its keys already transposed (`headSize` rows of `length`, `keysStride`
    /// apart).
    ///
    /// Taken in row blocks of at most 2¹³ / length rows: plain products that small go to OpenBLAS's small-matrix
    /// kernel, without packing. For 128 tokens that takes 13 µs instead of 27 µs for one product with a transposed
    /// operand (single thread, `curio-bench sgemm --shape`).
    @inline(__always)
    func attentionScores(q: UnsafePointer<Float>, stride: Int, keysT: UnsafePointer<Float>, keysStride: Int,
                         length: Int, headSize d: Int, scores: UnsafeMutablePointer<Float>, scoreStride: Int) {
        let block = max(1, (1 << 13) / length)
        var row = 0
        while row < length {
            let rows = min(block, length - row)
            BLAS.sgemm(m: rows, n: length, k: d, a: q + row * stride, lda: stride, b: keysT, ldb: keysStride,
                       c: scores + row * scoreStride, ldc: scoreStride)
            row += rows
        }
    }

    /// Inputs of at most this many tokens are multiplied in column slices (see ``dense(t:n:k:a:b:beta:c:)``).
    public static let slicedInputTokens = 16
    /// Width of those column slices.
    public static let sliceWidth = 32

    /// The operands of one product, shared with the threads computing its slices.
    private struct DenseOperands: @unchecked Sendable {
        let a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
    }

    /// `c = a · b` (`c += a · b` with `beta` 1) for activations `a` `[t, k]` and weights `b` `[k, n]`.
    ///
    /// For a few tokens (a lone query) the product is computed in 64-column slices, spread over as many threads as
    /// OpenBLAS is allowed: slices this thin take OpenBLAS's small-matrix path, which reads the weights in place
    /// instead of first copying ("packing") them — and that copy is most of the time of a short query, whose cost
    /// is streaming 42 MB of weights rather than arithmetic. Larger inputs go to one ordinary sgemm.
    func dense(t: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int? = nil,
               beta: Float = 0, c: UnsafeMutablePointer<Float>) {
        let ldb = ldb ?? n
        let width = Self.sliceWidth
        let slices = (n + width - 1) / width
        guard t <= Self.slicedInputTokens, slices > 1 else {
            BLAS.sgemm(m: t, n: n, k: k, a: a, b: b, ldb: ldb, beta: beta, c: c)
            return
        }
        let threads = max(1, min(BLAS.threadCount, slices))
        let operands = DenseOperands(a: a, b: b, c: c)
        let work: @Sendable (Int) -> Void = { part in
            var slice = part
            while slice < slices {
                let first = slice * width, count = min(width, n - first)
                BLAS.sgemm(m: t, n: count, k: k, a: operands.a, lda: k, b: operands.b + first, ldb: ldb, beta: beta,
                           c: operands.c + first, ldc: n)
                slice += threads
            }
        }
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
    }
}

/// Scratch memory for forward passes, grown on demand and reused across batches by one thread.
///
/// Reusing it avoids re-faulting fresh pages for every batch. Not thread-safe: give each worker its own.
public final class BertWorkspace {
    private(set) var hidden = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var qkv = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var context = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var projected = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var intermediate = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var scores = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    /// Keys of every token transposed, `[hiddenSize, tokens]`.
    private(set) var keysTransposed = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private var tokenCapacity = 0, scoreCapacity = 0, width = 0, innerWidth = 0
    /// Floats between rows of the attention scores: the longest sequence rounded up to a multiple of 16.
    private(set) var scoreStride = 0

    /// An empty workspace; buffers are allocated by the first forward pass.
    public init() {}

    deinit {
        for p in [hidden, qkv, context, projected, intermediate, scores, keysTransposed] { p.deallocate() }
    }

    /// Makes room for `tokens` tokens whose longest sequence has `longest` tokens.
    func reserve(tokens: Int, longest: Int, configuration c: BertConfiguration) {
        if tokens > tokenCapacity || c.hiddenSize != width || c.intermediateSize != innerWidth {
            let n = max(tokens, 1)
            for p in [hidden, qkv, context, projected, intermediate, keysTransposed] { p.deallocate() }
            hidden = .allocate(capacity: n * c.hiddenSize)
            qkv = .allocate(capacity: n * 3 * c.hiddenSize)
            context = .allocate(capacity: n * c.hiddenSize)
            projected = .allocate(capacity: n * c.hiddenSize)
            intermediate = .allocate(capacity: n * c.intermediateSize)
            keysTransposed = .allocate(capacity: (n + 48) * c.hiddenSize)  // rows padded, see `run`
            tokenCapacity = n
            width = c.hiddenSize
            innerWidth = c.intermediateSize
        }
        // Scores of one head (longest rows padded to whole 16-float vectors), then the rows' inverse softmax sums.
        scoreStride = (longest + 15) & ~15
        let scoreNeed = longest * scoreStride + longest
        if scoreNeed > scoreCapacity {
            scores.deallocate()
            scoreCapacity = max(scoreNeed, 1)
            scores = .allocate(capacity: scoreCapacity)
        }
    }
}
