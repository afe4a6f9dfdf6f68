import CurioCore
import CurioMath
import Foundation

/// Knowledge-graph embedding models.
public enum KGEmbeddingModel: String, Codable, Sendable, CaseIterable {
    /// TransE (Bordes et al. 2013): a relation is a translation, `d(h, r, t) = ‖h + r − t‖₂`.
    case transE = "transe"
    /// RotatE (Sun et al. 2019): entities are complex vectors and a relation rotates them,
    /// `d(h, r, t) = Σ_k |h_k · e^{iθ_k} − t_k|`. Models symmetric, inverse and composed relations.
    case rotatE = "rotate"
}

/// Training settings for ``KGEmbeddingTrainer``.
public struct KGEmbeddingOptions: Codable, Sendable, Hashable {
    public var model: KGEmbeddingModel
    /// Real dimensions of an entity vector (for RotatE, twice the number of complex dimensions; must be even).
    public var dimension: Int
    public var epochs: Int
    /// Corrupted triples per positive (head or tail replaced by a random node of the same kind).
    public var negatives: Int
    /// Margin γ of the self-adversarial loss.
    public var margin: Float
    /// Temperature α of self-adversarial negative weighting (0 = uniform weights).
    public var adversarialTemperature: Float
    /// Learning rate of row-wise Adagrad.
    public var learningRate: Float
    public var seed: UInt64
    /// Relations trained on (all when nil).
    public var relations: [Relation]?
    /// Positives per mini-batch; each batch's gradients are computed in parallel from the same parameters and
    /// applied in a fixed order, so results do not depend on the number of threads.
    public var batchSize: Int
    /// Worker threads for gradient computation (1 = sequential).
    public var threads: Int

    public init(model: KGEmbeddingModel = .rotatE, dimension: Int = 64, epochs: Int = 10, negatives: Int = 8,
                margin: Float? = nil, adversarialTemperature: Float = 1, learningRate: Float = 0.05, seed: UInt64 = 42,
                relations: [Relation]? = nil, batchSize: Int = 512, threads: Int = 2) {
        self.model = model
        self.dimension = dimension
        self.epochs = epochs
        self.negatives = negatives
        self.margin = margin ?? (model == .transE ? 4 : 6)
        self.adversarialTemperature = adversarialTemperature
        self.learningRate = learningRate
        self.seed = seed
        self.relations = relations
        self.batchSize = batchSize
        self.threads = threads
    }
}

/// What training did.
public struct KGEmbeddingReport: Codable, Sendable, Hashable {
    public var triples: Int
    public var entities: Int
    /// Mean loss per positive triple, per epoch.
    public var epochLosses: [Double]
    public var seconds: Double
}

/// Trained knowledge-graph embeddings: one vector per node and per relation.
public struct KGEmbeddings: Sendable, Equatable {
    public let model: KGEmbeddingModel
    /// Floats per entity vector.
    public let dimension: Int
    /// Entity vectors, row-major `nodeCount × dimension` (RotatE: real parts then imaginary parts).
    public let entities: [Float]
    /// Relation vectors, row-major `Relation.allCases.count × relationWidth`
    /// (TransE: translations of `dimension` floats; RotatE: `dimension / 2` phases).
    public let relations: [Float]
    /// Item keys (accession numbers) in graph item order, to map vectors back to items.
    public let itemKeys: [String]
    /// Graph node of each item, in the same order.
    public let itemNodes: [Int32]

    /// Floats per relation vector.
    public var relationWidth: Int { model == .transE ? dimension : dimension / 2 }

    /// The vector of node `n`.
    public func vector(_ n: NodeIndex) -> [Float] { Array(entities[n.int * dimension..<(n.int + 1) * dimension]) }

    /// Item vectors keyed by id, for use as a modality of the fused item representation.
    public func itemVectors() -> [ItemID: [Float]] {
        var out: [ItemID: [Float]] = [:]
        out.reserveCapacity(itemKeys.count)
        for (k, n) in zip(itemKeys, itemNodes) { out[ItemID(k)] = vector(NodeIndex(n)) }
        return out
    }

    /// The distance `d(h, r, t)` (lower is more plausible).
    public func distance(_ h: NodeIndex, _ r: Relation, _ t: NodeIndex) -> Float {
        entities.withUnsafeBufferPointer { e in
            relations.withUnsafeBufferPointer { rel in
                let base = e.baseAddress!, rb = rel.baseAddress! + Int(r.rawValue) * relationWidth
                return KGKernels.distance(model, base + h.int * dimension, rb, base + t.int * dimension, dimension)
            }
        }
    }

    /// Filtered rank-based link prediction: for each (h, r, t), the rank of t among candidate tails of the same kind
    /// that are not already known tails of (h, r) in `known`. Returns the mean reciprocal rank and hits@10.
    public func tailPrediction(_ tests: [(NodeIndex, Relation, NodeIndex)], candidates: [Int32],
                               known: KnowledgeGraph) -> (mrr: Double, hitsAt10: Double) {
        guard !tests.isEmpty else { return (0, 0) }
        var rr = 0.0, hits = 0
        for (h, r, t) in tests {
            let dt = distance(h, r, t)
            let knownTails = Set(known.adjacency(r).targets(h.int))
            var rank = 1
            for c in candidates where c != t.rawValue && !knownTails.contains(c) {
                if distance(h, r, NodeIndex(c)) < dt { rank += 1 }
            }
            rr += 1 / Double(rank)
            if rank <= 10 { hits += 1 }
        }
        return (rr / Double(tests.count), Double(hits) / Double(tests.count))
    }
}

/// Trains TransE or RotatE on a knowledge graph with self-adversarial negative sampling and row-wise Adagrad.
public enum KGEmbeddingTrainer {
    /// Trains embeddings for every node of `graph` on the edges of the chosen relations.
    ///
    /// Each epoch visits the triples in a seeded shuffled order. For each positive, `negatives` corrupted triples
    /// replace the head or the tail (equal odds) with a uniformly drawn node of the same kind. The loss is
    /// `−log σ(γ − d⁺) − Σ_i p_i log σ(d⁻_i − γ)` with `p = softmax(−α d⁻)` held constant (self-adversarial sampling).
    /// Gradients of a mini-batch are computed in parallel from the same parameters and applied in triple order, so
    /// the same seed gives the same vectors whatever the thread count.
    /// - Parameter progress: called after each epoch with (epoch, mean loss).
    /// - Throws: ``GraphError/badParameter(name:reason:)`` for impossible settings or a graph without edges.
    public static func train(graph: KnowledgeGraph, options: KGEmbeddingOptions = KGEmbeddingOptions(),
                             progress: (Int, Double) -> Void = { _, _ in }) throws -> (KGEmbeddings, KGEmbeddingReport) {
        let start = Date()
        let d = options.dimension
        guard d > 0, options.model == .transE || d % 2 == 0 else {
            throw GraphError.badParameter(name: "dimension", reason: "must be positive (and even for RotatE)")
        }
        guard options.epochs >= 0, options.negatives > 0, options.batchSize > 0, options.threads > 0,
              options.learningRate > 0, options.margin > 0 else {
            throw GraphError.badParameter(name: "embedding", reason: "epochs, negatives, batch size, threads, learning rate and margin must be positive")
        }
        var heads: [Int32] = [], rels: [UInt8] = [], tails: [Int32] = []
        for r in options.relations ?? Relation.allCases {
            let a = graph.adjacency(r)
            for n in 0..<graph.nodeCount {
                for t in a.targets(n) {
                    heads.append(Int32(n))
                    rels.append(r.rawValue)
                    tails.append(t)
                }
            }
        }
        guard !heads.isEmpty else { throw GraphError.badParameter(name: "graph", reason: "has no edges to train on") }
        let n = graph.nodeCount
        let rw = options.model == .transE ? d : d / 2
        let relationCount = Relation.allCases.count
        var random = SeededRandom(seed: options.seed)
        // Initialisation: entities uniform in ±(γ+2)/d-scaled range as in RotatE; relations likewise (phases in ±π).
        let range = (options.margin + 2) / Float(d)
        var entity = [Float](repeating: 0, count: n * d)
        for i in 0..<entity.count { entity[i] = (random.nextFloat() * 2 - 1) * range }
        var relation = [Float](repeating: 0, count: relationCount * rw)
        for i in 0..<relation.count {
            relation[i] = options.model == .transE ? (random.nextFloat() * 2 - 1) * range : (random.nextFloat() * 2 - 1) * Float.pi
        }
        // Row-wise Adagrad (one accumulator per vector, as in PyTorch-BigGraph): one square root per update.
        var entityAcc = [Float](repeating: 0, count: n)
        var relationAcc = [Float](repeating: 0, count: relationCount)
        let kinds = graph.kinds.map { Int($0.rawValue) }
        let pools = graph.nodesByKind

        let m = heads.count
        var order = Array(0..<m)
        var losses: [Double] = []
        let k = options.negatives
        let batch = options.batchSize
        let threads = min(options.threads, max(1, Parallel.processorCount))
        // Per-positive sampling is drawn up front for the batch (sequentially), so threads never touch the RNG.
        var negNodes = [Int32](repeating: 0, count: batch * k)
        var negIsHead = [Bool](repeating: false, count: batch * k)
        // Gradient buffers: per positive, gradients for h, t, r and each negative's corrupted entity.
        let perPositive = (2 + k) * d + rw
        var grads = [Float](repeating: 0, count: batch * perPositive)
        var batchLoss = [Double](repeating: 0, count: batch)
        let threadsBefore = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(threadsBefore) }

        for epoch in 0..<options.epochs {
            for i in stride(from: m - 1, to: 0, by: -1) { order.swapAt(i, random.nextInt(below: i + 1)) }
            var epochLoss = 0.0
            var b0 = 0
            while b0 < m {
                let bn = min(batch, m - b0)
                for p in 0..<bn {
                    let tr = order[b0 + p]
                    for j in 0..<k {
                        let head = random.nextFloat() < 0.5
                        let pool = pools[kinds[Int(head ? heads[tr] : tails[tr])]]
                        negIsHead[p * k + j] = head
                        negNodes[p * k + j] = pool[random.nextInt(below: pool.count)]
                    }
                }
                entity.withUnsafeBufferPointer { e in
                    relation.withUnsafeBufferPointer { r in
                        grads.withUnsafeMutableBufferPointer { g in
                            batchLoss.withUnsafeMutableBufferPointer { l in
                                negNodes.withUnsafeBufferPointer { nn in
                                    negIsHead.withUnsafeBufferPointer { nh in
                                        let eb = e.baseAddress!, rb = r.baseAddress!, gb = g.baseAddress!, lb = l.baseAddress!
                                        let nnb = nn.baseAddress!, nhb = nh.baseAddress!
                                        Parallel.forEachChunk(count: bn, chunks: threads) { range in
                                            for p in range {
                                                let tr = order[b0 + p]
                                                lb[p] = KGKernels.gradient(
                                                    options.model, d: d, entity: eb, relation: rb + Int(rels[tr]) * rw,
                                                    head: Int(heads[tr]), tail: Int(tails[tr]),
                                                    negatives: nnb + p * k, negativeIsHead: nhb + p * k, k: k,
                                                    margin: options.margin, temperature: options.adversarialTemperature,
                                                    out: gb + p * perPositive)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                // Apply in triple order (deterministic).
                entity.withUnsafeMutableBufferPointer { e in
                    relation.withUnsafeMutableBufferPointer { r in
                        entityAcc.withUnsafeMutableBufferPointer { ea in
                            relationAcc.withUnsafeMutableBufferPointer { ra in
                                grads.withUnsafeBufferPointer { g in
                                    let lr = options.learningRate
                                    for p in 0..<bn {
                                        let tr = order[b0 + p]
                                        let gp = g.baseAddress! + p * perPositive
                                        let h = Int(heads[tr]), t = Int(tails[tr])
                                        KGKernels.adagrad(e.baseAddress! + h * d, ea.baseAddress! + h, gp, d, lr)
                                        KGKernels.adagrad(e.baseAddress! + t * d, ea.baseAddress! + t, gp + d, d, lr)
                                        for j in 0..<k {
                                            let c = Int(negNodes[p * k + j])
                                            KGKernels.adagrad(e.baseAddress! + c * d, ea.baseAddress! + c, gp + (2 + j) * d, d, lr)
                                        }
                                        let ri = Int(rels[tr])
                                        KGKernels.adagrad(r.baseAddress! + ri * rw, ra.baseAddress! + ri, gp + (2 + k) * d, rw, lr)
                                    }
                                }
                            }
                        }
                    }
                }
                for p in 0..<bn { epochLoss += batchLoss[p] }
                b0 += bn
            }
            let mean = epochLoss / Double(m)
            losses.append(mean)
            progress(epoch + 1, mean)
        }
        let items = graph.nodesByKind[Int(NodeKind.item.rawValue)]
        let embeddings = KGEmbeddings(model: options.model, dimension: d, entities: entity, relations: relation,
                                      itemKeys: items.map { graph.keys[Int($0)] }, itemNodes: items)
        return (embeddings, KGEmbeddingReport(triples: m, entities: n, epochLosses: losses,
                                              seconds: Date().timeIntervalSince(start)))
    }
}

/// Distance and gradient kernels over raw pointers (no allocation in the training loop).
enum KGKernels {
    @inline(__always)
    static func distance(_ model: KGEmbeddingModel, _ h: UnsafePointer<Float>, _ r: UnsafePointer<Float>,
                         _ t: UnsafePointer<Float>, _ d: Int) -> Float {
        switch model {
        case .transE:
            var s: Float = 0
            for i in 0..<d {
                let x = h[i] + r[i] - t[i]
                s += x * x
            }
            return s.squareRoot()
        case .rotatE:
            let c = d / 2
            var s: Float = 0
            for i in 0..<c {
                let cs = cos(r[i]), sn = sin(r[i])
                let re = h[i] * cs - h[c + i] * sn - t[i]
                let im = h[i] * sn + h[c + i] * cs - t[c + i]
                s += (re * re + im * im).squareRoot()
            }
            return s
        }
    }

    /// Adds `scale · ∂d/∂(h, r, t)` into gh, gr, gt (used to check gradients against finite differences).
    static func accumulate(_ model: KGEmbeddingModel, _ h: UnsafePointer<Float>, _ r: UnsafePointer<Float>,
                           _ t: UnsafePointer<Float>, _ d: Int, scale: Float,
                           _ gh: UnsafeMutablePointer<Float>, _ gr: UnsafeMutablePointer<Float>, _ gt: UnsafeMutablePointer<Float>) {
        let rw = model == .transE ? d : d / 2
        var cs = [Float](repeating: 1, count: rw), sn = [Float](repeating: 0, count: rw), e = [Float](repeating: 0, count: d)
        if model == .rotatE { for i in 0..<rw { cs[i] = cos(r[i]); sn[i] = sin(r[i]) } }
        let dist = residual(model, h, r, cs, sn, t, d, &e)
        backward(model, e, dist, t, cs, sn, d, scale: scale, gh, gr, gt)
    }

    /// Residual `e = h∘r − t` (RotatE: complex, real parts then imaginary parts; TransE: `h + r − t`) written to
    /// `e`, with `cs`/`sn` the cosines and sines of RotatE's phases. Returns the distance.
    @inline(__always)
    static func residual(_ model: KGEmbeddingModel, _ h: UnsafePointer<Float>, _ r: UnsafePointer<Float>,
                         _ cs: UnsafePointer<Float>, _ sn: UnsafePointer<Float>, _ t: UnsafePointer<Float>, _ d: Int,
                         _ e: UnsafeMutablePointer<Float>) -> Float {
        switch model {
        case .transE:
            var s: Float = 0
            for i in 0..<d {
                let x = h[i] + r[i] - t[i]
                e[i] = x
                s += x * x
            }
            return s.squareRoot()
        case .rotatE:
            let c = d / 2
            var s: Float = 0
            for i in 0..<c {
                let re = h[i] * cs[i] - h[c + i] * sn[i] - t[i]
                let im = h[i] * sn[i] + h[c + i] * cs[i] - t[c + i]
                e[i] = re
                e[c + i] = im
                s += (re * re + im * im).squareRoot()
            }
            return s
        }
    }

    /// Adds `scale · ∂d/∂(h, r, t)` into gh, gr, gt from a stored residual.
    @inline(__always)
    static func backward(_ model: KGEmbeddingModel, _ e: UnsafePointer<Float>, _ distance: Float, _ t: UnsafePointer<Float>,
                         _ cs: UnsafePointer<Float>, _ sn: UnsafePointer<Float>, _ d: Int, scale: Float,
                         _ gh: UnsafeMutablePointer<Float>, _ gr: UnsafeMutablePointer<Float>, _ gt: UnsafeMutablePointer<Float>) {
        switch model {
        case .transE:
            let f = scale / max(distance, 1e-9)
            for i in 0..<d {
                let x = e[i] * f
                gh[i] += x
                gr[i] += x
                gt[i] -= x
            }
        case .rotatE:
            let c = d / 2
            for i in 0..<c {
                let re = e[i], im = e[c + i]
                let mod = max((re * re + im * im).squareRoot(), 1e-9)
                let a = scale * re / mod, b = scale * im / mod
                gh[i] += a * cs[i] + b * sn[i]
                gh[c + i] += -a * sn[i] + b * cs[i]
                gt[i] -= a
                gt[c + i] -= b
                // ∂|e|/∂θ = (−re·t_im + im·t_re) / |e|.
                gr[i] += -a * t[c + i] + b * t[i]
            }
        }
    }

    /// Computes the loss of one positive and its negatives, writing gradients to `out`:
    /// [h (d), t (d), negative entities (k × d), relation (rw)]. Returns the loss.
    static func gradient(_ model: KGEmbeddingModel, d: Int, entity: UnsafePointer<Float>, relation: UnsafePointer<Float>,
                         head: Int, tail: Int, negatives: UnsafePointer<Int32>, negativeIsHead: UnsafePointer<Bool>,
                         k: Int, margin: Float, temperature: Float, out: UnsafeMutablePointer<Float>) -> Double {
        let rw = model == .transE ? d : d / 2
        let total = (2 + k) * d + rw
        out.initialize(repeating: 0, count: total)
        let gh = out, gt = out + d, gr = out + (2 + k) * d
        let h = entity + head * d, t = entity + tail * d
        // Scratch: residuals of the positive and the k negatives, distances, weights, cos/sin of the phases.
        let scratchCount = (1 + k) * d + 2 * (1 + k) + 2 * rw
        return withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { buffer -> Double in
            let e = buffer.baseAddress!
            let dist = e + (1 + k) * d
            let weights = dist + (1 + k)
            let cs = weights + (1 + k), sn = cs + rw
            if model == .rotatE {
                for i in 0..<rw {
                    cs[i] = cos(relation[i])
                    sn[i] = sin(relation[i])
                }
            }
            dist[0] = residual(model, h, relation, cs, sn, t, d, e)
            var maxLogit = -Float.infinity
            for j in 0..<k {
                let c = entity + Int(negatives[j]) * d
                let ej = e + (1 + j) * d
                dist[1 + j] = negativeIsHead[j] ? residual(model, c, relation, cs, sn, t, d, ej)
                    : residual(model, h, relation, cs, sn, c, d, ej)
                maxLogit = max(maxLogit, -temperature * dist[1 + j])
            }
            var z: Float = 0
            for j in 0..<k {
                weights[j] = exp(-temperature * dist[1 + j] - maxLogit)
                z += weights[j]
            }
            // ∂/∂d⁺ of −log σ(γ − d⁺) = σ(d⁺ − γ).
            var loss = -Double(logSigmoid(margin - dist[0]))
            backward(model, e, dist[0], t, cs, sn, d, scale: sigmoid(dist[0] - margin), gh, gr, gt)
            for j in 0..<k {
                let p = weights[j] / z
                let dn = dist[1 + j]
                loss -= Double(p * logSigmoid(dn - margin))
                // ∂/∂d⁻ of −p log σ(d⁻ − γ) = −p σ(γ − d⁻).
                let scale = -p * sigmoid(margin - dn)
                let gc = out + (2 + j) * d
                let c = entity + Int(negatives[j]) * d
                if negativeIsHead[j] {
                    backward(model, e + (1 + j) * d, dn, t, cs, sn, d, scale: scale, gc, gr, gt)
                } else {
                    backward(model, e + (1 + j) * d, dn, c, cs, sn, d, scale: scale, gh, gr, gc)
                }
            }
            return loss
        }
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
    @inline(__always) static func logSigmoid(_ x: Float) -> Float { x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x)) }

    /// Row-wise Adagrad: `acc += mean(g²)`, `w −= lr · g / √acc`.
    @inline(__always)
    static func adagrad(_ w: UnsafeMutablePointer<Float>, _ acc: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ n: Int, _ lr: Float) {
        var s: Float = 0
        for i in 0..<n { s += g[i] * g[i] }
        guard s > 0 else { return }
        acc.pointee += s / Float(n)
        let f = lr / (acc.pointee.squareRoot() + 1e-8)
        for i in 0..<n { w[i] -= f * g[i] }
    }
}
