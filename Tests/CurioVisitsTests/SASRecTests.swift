import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioVisits

@Suite struct SASRecTests {
    static func tinyConfiguration(blocks: Int = 2) -> SASRecConfiguration {
        var c = SASRecConfiguration()
        c.dimension = 8
        c.maxLength = 5
        c.blocks = blocks
        c.dropout = 0
        return c
    }

    @Test(arguments: [1, 2])
    func analyticGradientMatchesFiniteDifferences(blocks: Int) {
        let layout = SASRecLayout(items: 6, configuration: Self.tinyConfiguration(blocks: blocks))
        // Sequences of different lengths (padding exercised), targets at most positions.
        let sequences = [[0, 3, 5], [2, 1, 4, 0, 5], [4]]
        let next = [[3, 5, 1], [1, -1, 0, 5, 2], [2]]
        // Move every weight off its initial value so that gains, biases and every path matter. Finite differences
        // are meaningless across a ReLU kink, so use the first perturbation whose feed-forward pre-activations all
        // stay clear of zero.
        var params: [Float] = []
        var rng = SeededRandom(seed: 0)
        for seed in UInt64(11)... {
            rng = SeededRandom(seed: seed)
            params = layout.initialParameters(seed: 3)
            for i in layout.embedding + layout.d..<params.count { params[i] += Float(rng.normal()) * 0.1 }
            if Self.smallestPreActivation(params, layout, sequences) > 0.05 { break }
        }
        let (loss, gradient) = SASRecTrainer.lossAndGradient(parameters: params, layout: layout, sequences: sequences, next: next)
        #expect(loss.isFinite && loss > 0)
        let h: Float = 5e-3
        var checked = 0, worst = 0.0
        for tensor in layout.tensors {
            var picks = Set<Int>()
            while picks.count < min(5, tensor.size) { picks.insert(tensor.offset + rng.nextInt(below: tensor.size)) }
            // Row 0 of the item embedding is padding and must get no gradient.
            if tensor.name == "item_embedding" { picks = picks.filter { $0 >= layout.d } }
            for i in picks.sorted() {
                var plus = params, minus = params
                plus[i] += h
                minus[i] -= h
                let numeric = (SASRecTrainer.loss(parameters: plus, layout: layout, sequences: sequences, next: next)
                    - SASRecTrainer.loss(parameters: minus, layout: layout, sequences: sequences, next: next)) / Double(2 * h)
                let analytic = Double(gradient[i])
                let error = abs(numeric - analytic) / max(1e-2, abs(numeric) + abs(analytic))
                worst = max(worst, error)
                #expect(error < 0.03, "\(tensor.name)[\(i - tensor.offset)]: analytic \(analytic) vs numeric \(numeric)")
                checked += 1
            }
        }
        #expect(checked > 40)
        for j in 0..<layout.d { #expect(gradient[layout.embedding + j] == 0) }
    }

    /// The smallest |u| over feed-forward pre-activations of real (non-padding) positions.
    static func smallestPreActivation(_ params: [Float], _ layout: SASRecLayout, _ sequences: [[Int]]) -> Float {
        let pass = SASRecPass(layout: layout, batch: sequences.count)
        pass.load(sequences, next: [])
        var rng = SeededRandom(seed: 0)
        params.withUnsafeBufferPointer { pass.forward($0.baseAddress!, dropout: 0, rng: &rng) }
        var smallest = Float.infinity
        for block in pass.blocks {
            for (b, s) in sequences.enumerated() {
                for t in 0..<s.count {
                    for j in 0..<layout.d { smallest = min(smallest, abs(block.u[(b * layout.length + t) * layout.d + j])) }
                }
            }
        }
        return smallest
    }

    /// Sessions following a fixed cycle 0→1→…→(n−1)→0 with random starts: the next item is fully determined by the
    /// last one, but every item is equally popular.
    static func cyclicSessions(items: Int, sessions: Int, seed: UInt64) -> [VisitSession] {
        var rng = SeededRandom(seed: seed)
        return (0..<sessions).map { s in
            let start = rng.nextInt(below: items)
            let length = 3 + rng.nextInt(below: 5)
            let ids = (0..<length).map { ItemID("i\((start + $0) % items)") }
            return VisitSession(visitor: VisitorID("v\(s)"), id: "s\(s)", items: ids,
                                start: Date(timeIntervalSince1970: Double(s) * 60))
        }
    }

    @Test func learnsASequentialPatternThatPopularityCannot() throws {
        let sessions = Self.cyclicSessions(items: 12, sessions: 240, seed: 5)
        let split = try NextExhibitEvaluation.split(sessions, testFraction: 0.2)
        let vocabulary = ItemVocabulary(sessions: sessions)
        var c = SASRecConfiguration()
        c.dimension = 16
        c.maxLength = 8
        c.blocks = 1
        c.epochs = 25
        c.batchSize = 32
        c.dropout = 0.1
        c.learningRate = 5e-3
        c.validationFraction = 0
        let model = try SASRecTrainer(configuration: c).train(sessions: split.train, vocabulary: vocabulary)
        let popularity = PopularityNextModel(sessions: split.train, vocabulary: vocabulary)
        let sasrec = NextExhibitEvaluation.evaluate(model, on: split.test, k: 3)
        let baseline = NextExhibitEvaluation.evaluate(popularity, on: split.test, k: 3)
        #expect(model.epochs.last!.loss < model.epochs.first!.loss)
        #expect(sasrec.hitRate > 0.9, "SASRec HR@3 \(sasrec.hitRate)")
        #expect(sasrec.ndcg > baseline.ndcg + 0.4, "SASRec \(sasrec.ndcg) vs popularity \(baseline.ndcg)")
    }

    @Test func trainingIsDeterministicForASeed() throws {
        let sessions = Self.cyclicSessions(items: 8, sessions: 40, seed: 2)
        let vocabulary = ItemVocabulary(sessions: sessions)
        var c = Self.tinyConfiguration(blocks: 1)
        c.epochs = 3
        c.dropout = 0.2
        c.batchSize = 8
        let a = try SASRecTrainer(configuration: c).train(sessions: sessions, vocabulary: vocabulary)
        let b = try SASRecTrainer(configuration: c).train(sessions: sessions, vocabulary: vocabulary)
        #expect(a.parameters == b.parameters)
        c.seed = 43
        let other = try SASRecTrainer(configuration: c).train(sessions: sessions, vocabulary: vocabulary)
        #expect(other.parameters != a.parameters)
    }

    @Test func onePassPrefixScoresEqualPerPrefixScores() throws {
        let sessions = Self.cyclicSessions(items: 8, sessions: 30, seed: 4)
        let vocabulary = ItemVocabulary(sessions: sessions)
        var c = Self.tinyConfiguration()
        c.epochs = 2
        c.maxLength = 4
        let model = try SASRecTrainer(configuration: c).train(sessions: sessions, vocabulary: vocabulary)
        let items: [ItemID] = ["i1", "i2", "unknown", "i3", "i4", "i5", "i6"]
        let positions = Array(0...items.count)
        let fast = model.scoresForPrefixes(of: items, positions: positions)
        for (k, p) in positions.enumerated() {
            let slow = model.scores(after: Array(items[..<p]))
            #expect(zip(fast[k], slow).allSatisfy { abs($0 - $1) < 1e-4 }, "prefix \(p)")
        }
    }

    @Test func savedModelsRoundTripAndBadOnesAreRejected() throws {
        let sessions = Self.cyclicSessions(items: 6, sessions: 20, seed: 9)
        let vocabulary = ItemVocabulary(sessions: sessions)
        var c = Self.tinyConfiguration(blocks: 1)
        c.epochs = 1
        let model = try SASRecTrainer(configuration: c).train(sessions: sessions, vocabulary: vocabulary)
        let data = try JSONEncoder().encode(model)
        let back = try JSONDecoder().decode(SASRecModel.self, from: data).validated()
        #expect(back.scores(after: ["i1", "i2"]) == model.scores(after: ["i1", "i2"]))
        var broken = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        broken["parameters"] = [1.0, 2.0]
        let bad = try JSONDecoder().decode(SASRecModel.self, from: JSONSerialization.data(withJSONObject: broken))
        #expect(throws: VisitError.self) { try bad.validated() }
        var config = c
        config.dimension = 0
        #expect(throws: VisitError.self) { try SASRecTrainer(configuration: config).train(sessions: sessions, vocabulary: vocabulary) }
        #expect(throws: VisitError.self) {
            try SASRecTrainer(configuration: c).train(sessions: [VisitSession(visitor: "v", id: "s", items: ["x"], start: Date())],
                                                      vocabulary: vocabulary)
        }
    }

    @Test func blendingWithTheBaselineGivesADistributionAndChecksVocabularies() throws {
        let sessions = Self.cyclicSessions(items: 8, sessions: 60, seed: 6)
        let vocabulary = ItemVocabulary(sessions: sessions)
        var c = Self.tinyConfiguration(blocks: 1)
        c.epochs = 2
        let sasrec = try SASRecTrainer(configuration: c).train(sessions: sessions, vocabulary: vocabulary)
        let baseline = TransitionNextModel(sessions: sessions, vocabulary: vocabulary)
        let blend = try BlendedNextModel.fit(sequence: sasrec, baseline: baseline, validation: Array(sessions.suffix(10)))
        #expect(blend.weight >= 0.1 && blend.weight <= 0.9)
        let scores = blend.scores(after: ["i1", "i2"])
        #expect(abs(scores.reduce(0, +) - 1) < 1e-4)
        #expect(blend.scores(after: []) == baseline.scores(after: []))
        let other = TransitionNextModel(sessions: sessions, vocabulary: ItemVocabulary(items: ["x"]))
        #expect(throws: VisitError.self) { try BlendedNextModel(sequence: sasrec, baseline: other, weight: 0.5) }
        #expect(throws: VisitError.self) { try BlendedNextModel(sequence: sasrec, baseline: baseline, weight: 1.5) }
    }
}
