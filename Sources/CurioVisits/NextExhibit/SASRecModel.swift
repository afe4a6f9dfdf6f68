import CurioCore
import CurioMath
import Foundation

/// One training epoch of SASRec.
public struct SASRecEpoch: Sendable, Codable, Equatable {
    public var epoch: Int
    /// Mean training cross-entropy.
    public var loss: Double
    /// NDCG@10 on the validation sessions (nil without validation).
    public var validationNDCG: Double?
    public var seconds: Double
}

/// A trained self-attentive sequential model (SASRec) over a vocabulary of items: given the items seen so far in
/// a visit, scores every item as the next one. See ``SASRecPass`` for the architecture and ``SASRecTrainer`` for
/// training.
public struct SASRecModel: NextExhibitModel, Codable {
    public var name: String { "sasrec" }
    public let vocabulary: ItemVocabulary
    public let configuration: SASRecConfiguration
    /// All weights, flat (layout in ``SASRecLayout``).
    public let parameters: [Float]
    /// log(1 + training count) per item, used when the visit has no history yet.
    public let popularity: [Float]
    /// Per-epoch training log.
    public let epochs: [SASRecEpoch]
    /// The epoch whose weights were kept (best validation NDCG@10, or the last).
    public let bestEpoch: Int

    var layout: SASRecLayout { SASRecLayout(items: vocabulary.count, configuration: configuration) }

    init(vocabulary: ItemVocabulary, configuration: SASRecConfiguration, parameters: [Float], popularity: [Float],
         epochs: [SASRecEpoch], bestEpoch: Int) {
        self.vocabulary = vocabulary
        self.configuration = configuration
        self.parameters = parameters
        self.popularity = popularity
        self.epochs = epochs
        self.bestEpoch = bestEpoch
    }

    /// Checks that a decoded model is consistent.
    /// - Throws: ``VisitError/badModel(reason:)``.
    public func validated() throws -> SASRecModel {
        try configuration.validate()
        let expected = layout.count
        guard parameters.count == expected else {
            throw VisitError.badModel(reason: "has \(parameters.count) weights, expected \(expected) for \(vocabulary.count) items")
        }
        guard popularity.count == vocabulary.count else {
            throw VisitError.badModel(reason: "popularity has \(popularity.count) entries for \(vocabulary.count) items")
        }
        guard parameters.allSatisfy(\.isFinite) else { throw VisitError.badModel(reason: "has non-finite weights") }
        return self
    }

    public func scores(after history: [ItemID]) -> [Float] {
        let indices = history.compactMap { vocabulary.index[$0] }
        guard !indices.isEmpty else { return popularity }
        let window = Array(indices.suffix(configuration.maxLength))
        let pass = SASRecPass(layout: layout, batch: 1)
        pass.load([window], next: [])
        var rng = SeededRandom(seed: 0)
        return parameters.withUnsafeBufferPointer { p in
            pass.forward(p.baseAddress!, dropout: 0, rng: &rng)
            return pass.itemScores(p.baseAddress!, row: window.count - 1)
        }
    }

    /// Scores after every prefix in one causal pass while the session fits in ``SASRecConfiguration/maxLength``.
    public func scoresForPrefixes(of items: [ItemID], positions: [Int]) -> [[Float]] {
        let known = items.enumerated().compactMap { k, id in vocabulary.index[id].map { (k, $0) } }
        let L = configuration.maxLength
        // For each position, the number of known items before it.
        var before = [Int](repeating: 0, count: items.count + 1)
        var c = 0
        for k in 0...items.count {
            before[k] = c
            if k < items.count, vocabulary.index[items[k]] != nil { c += 1 }
        }
        let sequence = known.map(\.1)
        let pass = SASRecPass(layout: layout, batch: 1)
        var rng = SeededRandom(seed: 0)
        let head = Array(sequence.prefix(L))
        pass.load([head], next: [])
        return parameters.withUnsafeBufferPointer { p -> [[Float]] in
            let P = p.baseAddress!
            if !head.isEmpty { pass.forward(P, dropout: 0, rng: &rng) }
            return positions.map { position in
                let n = before[min(position, items.count)]
                if n == 0 { return popularity }
                if n <= L { return pass.itemScores(P, row: n - 1) }
                let window = Array(sequence[(n - L)..<n])
                let single = SASRecPass(layout: layout, batch: 1)
                single.load([window], next: [])
                single.forward(P, dropout: 0, rng: &rng)
                return single.itemScores(P, row: L - 1)
            }
        }
    }
}

/// Trains ``SASRecModel``s with Adam on mini-batches of visit sessions, full-softmax cross-entropy on every next
/// item, dropout, and early stopping on the most recent training sessions. Seeded and deterministic.
public struct SASRecTrainer: Sendable {
    public var configuration: SASRecConfiguration

    public init(configuration: SASRecConfiguration = SASRecConfiguration()) {
        self.configuration = configuration
    }

    /// Trains on `sessions`.
    /// - Parameter progress: called after every epoch.
    /// - Throws: ``VisitError/badParameter(name:reason:)`` for bad settings or when no session has two known items.
    public func train(sessions: [VisitSession], vocabulary: ItemVocabulary,
                      progress: ((SASRecEpoch) -> Void)? = nil) throws -> SASRecModel {
        let c = configuration
        try c.validate()
        guard vocabulary.count > 0 else { throw VisitError.badParameter(name: "vocabulary", reason: "is empty") }
        let ordered = sessions.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let sequences = ordered.map { $0.items.compactMap { vocabulary.index[$0] } }.filter { $0.count >= 2 }
        guard !sequences.isEmpty else {
            throw VisitError.badParameter(name: "sessions", reason: "no session has two or more known items to learn from")
        }
        var popularity = [Float](repeating: 0, count: vocabulary.count)
        for s in sequences { for i in s { popularity[i] += 1 } }
        popularity = popularity.map { log1p($0) }

        var validation: [VisitSession] = []
        var training = sequences
        if c.validationFraction > 0, sequences.count >= 20 {
            let n = max(2, Int(Double(sequences.count) * c.validationFraction))
            training = Array(sequences.dropLast(n))
            let withTwo = ordered.filter { $0.items.compactMap { vocabulary.index[$0] }.count >= 2 }
            validation = Array(withTwo.suffix(n))
        }
        // Windows of at most L+1 items (stride L), each giving L next-item targets.
        let L = c.maxLength
        var examples: [(input: [Int], next: [Int])] = []
        for s in training {
            var start = 0
            while start < s.count - 1 {
                let window = Array(s[start..<min(s.count, start + L + 1)])
                examples.append((Array(window.dropLast()), Array(window.dropFirst())))
                start += L
            }
        }
        let layout = SASRecLayout(items: vocabulary.count, configuration: c)
        var parameters = layout.initialParameters(seed: c.seed)
        var gradient = [Float](repeating: 0, count: layout.count)
        var m = [Float](repeating: 0, count: layout.count), v = [Float](repeating: 0, count: layout.count)
        let beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8
        var step = 0
        var rng = SeededRandom(seed: c.seed, stream: 0x7EA1)
        let batch = min(c.batchSize, examples.count)
        let pass = SASRecPass(layout: layout, batch: batch)
        var log: [SASRecEpoch] = []
        var best = parameters, bestScore = -1.0, bestEpoch = 0, stale = 0
        for epoch in 1...c.epochs {
            let started = Date()
            var order = Array(examples.indices)
            rng.shuffle(&order)
            var lossSum = 0.0, batches = 0
            var offset = 0
            while offset < order.count {
                let chunk = order[offset..<min(order.count, offset + batch)]
                offset += batch
                pass.load(chunk.map { examples[$0].input }, next: chunk.map { examples[$0].next })
                for i in 0..<gradient.count { gradient[i] = 0 }
                let loss = parameters.withUnsafeBufferPointer { p -> Double in
                    pass.forward(p.baseAddress!, dropout: c.dropout, rng: &rng)
                    let l = pass.loss(p.baseAddress!)
                    gradient.withUnsafeMutableBufferPointer { g in pass.backward(p.baseAddress!, g.baseAddress!) }
                    return l
                }
                if c.l2 > 0 {
                    for i in (layout.embedding + layout.d)..<(layout.embedding + layout.classes * layout.d) {
                        gradient[i] += c.l2 * parameters[i]
                    }
                }
                step += 1
                let correction1 = 1 - powf(beta1, Float(step)), correction2 = 1 - powf(beta2, Float(step))
                let rate = c.learningRate * correction2.squareRoot() / correction1
                for i in 0..<parameters.count {
                    let gi = gradient[i]
                    m[i] = beta1 * m[i] + (1 - beta1) * gi
                    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                    parameters[i] -= rate * m[i] / (v[i].squareRoot() + epsilon)
                }
                lossSum += loss
                batches += 1
            }
            var score: Double?
            if !validation.isEmpty {
                let candidate = SASRecModel(vocabulary: vocabulary, configuration: c, parameters: parameters,
                                            popularity: popularity, epochs: [], bestEpoch: epoch)
                score = NextExhibitEvaluation.evaluate(candidate, on: validation, k: 10).ndcg
            }
            let record = SASRecEpoch(epoch: epoch, loss: lossSum / Double(max(1, batches)), validationNDCG: score,
                                     seconds: Date().timeIntervalSince(started))
            log.append(record)
            progress?(record)
            if let score {
                if score > bestScore + 1e-6 {
                    bestScore = score
                    best = parameters
                    bestEpoch = epoch
                    stale = 0
                } else {
                    stale += 1
                    if stale >= c.patience { break }
                }
            } else {
                best = parameters
                bestEpoch = epoch
            }
        }
        return SASRecModel(vocabulary: vocabulary, configuration: c, parameters: best, popularity: popularity,
                           epochs: log, bestEpoch: bestEpoch)
    }

    /// Loss and exact gradient for a batch without dropout (used by the gradient check).
    static func lossAndGradient(parameters: [Float], layout: SASRecLayout, sequences: [[Int]],
                                next: [[Int]]) -> (loss: Double, gradient: [Float]) {
        let pass = SASRecPass(layout: layout, batch: sequences.count)
        pass.load(sequences, next: next)
        var rng = SeededRandom(seed: 0)
        var gradient = [Float](repeating: 0, count: layout.count)
        let loss = parameters.withUnsafeBufferPointer { p -> Double in
            pass.forward(p.baseAddress!, dropout: 0, rng: &rng)
            let l = pass.loss(p.baseAddress!)
            gradient.withUnsafeMutableBufferPointer { g in pass.backward(p.baseAddress!, g.baseAddress!) }
            return l
        }
        return (loss, gradient)
    }

    /// Loss only (for finite differences).
    static func loss(parameters: [Float], layout: SASRecLayout, sequences: [[Int]], next: [[Int]]) -> Double {
        let pass = SASRecPass(layout: layout, batch: sequences.count)
        pass.load(sequences, next: next)
        var rng = SeededRandom(seed: 0)
        return parameters.withUnsafeBufferPointer { p -> Double in
            pass.forward(p.baseAddress!, dropout: 0, rng: &rng)
            return pass.loss(p.baseAddress!)
        }
    }
}
