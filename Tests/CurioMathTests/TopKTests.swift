import Testing
@testable import CurioMath

@Suite struct TopKTests {
    /// The specification: entries that are not NaN (and, for `largest`, not −∞), best first, ties by the lower index.
    func reference(_ scores: [Float], k: Int, keepingMinusInfinity: Bool = false) -> [(index: Int, score: Float)] {
        let kept = scores.enumerated().filter { keepingMinusInfinity ? !$0.element.isNaN : $0.element > -Float.infinity }
            .map { (index: $0.offset, score: $0.element) }
        return Array(kept.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }.prefix(max(0, k)))
    }

    func same(_ a: [(index: Int, score: Float)], _ b: [(index: Int, score: Float)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.index == $1.index && $0.score == $1.score }
    }

    @Test func largestKeepsTheBestEntriesBestFirstWithTiesByLowerIndex() {
        let scores: [Float] = [0.5, 2, 2, -1, 7, 2, 0.5, 7]
        let top = TopK.largest(scores, k: 4)
        #expect(top.map(\.index) == [4, 7, 1, 2])
        #expect(top.map(\.score) == [7, 7, 2, 2])
    }

    @Test func largestSkipsNaNAndMinusInfinityAndReturnsFewerWhenFewRemain() {
        let scores: [Float] = [.nan, -.infinity, 3, .nan, .infinity, -.infinity, 1]
        let top = TopK.largest(scores, k: 10)
        #expect(top.map(\.index) == [4, 2, 6])
        #expect(TopK.largest([], k: 3).isEmpty)
        #expect(TopK.largest([1, 2], k: 0).isEmpty)
    }

    @Test func largestAgreesWithAFullSortOnRandomScoresWithManyTies() {
        var random = SeededRandom(seed: 11)
        for trial in 0..<200 {
            let n = Int.random(in: 0...700, using: &random)
            // Few distinct values, so ties are everywhere; some entries masked as a server does.
            let scores: [Float] = (0..<n).map { _ in
                let r = Int.random(in: 0..<20, using: &random)
                return r == 0 ? -.infinity : (r == 1 ? .nan : Float(Int.random(in: 0..<12, using: &random)) / 4)
            }
            let k = [1, 5, 16, 17, 200, n + 3][trial % 6]
            #expect(same(TopK.largest(scores, k: k), reference(scores, k: k)), "trial \(trial), n \(n), k \(k)")
            #expect(same(TopK.select(scores, k: k), reference(scores, k: k, keepingMinusInfinity: true)), "trial \(trial), n \(n), k \(k)")
        }
    }

    @Test func largestFindsLateWinnersInAscendingScores() {
        // Every entry beats the k-th best so far (the worst order for a running heap).
        let scores = (0..<20_000).map { Float($0 / 3) }
        let top = TopK.largest(scores, k: 200)
        #expect(same(top, reference(scores, k: 200)))
        #expect(top.first?.index == 19_998 && top.last?.index == 19_802)
        #expect(TopK.largest(Array(scores.prefix(1_000)), k: 3).map(\.index) == [999, 996, 997])
    }

    @Test func largestOverACatalogueSizedArrayMatchesAFullSort() {
        // Catalogue-sized inputs take the block-maxima path; masked (−∞) runs, NaN and ties included, and a tail
        // shorter than a block.
        var random = SeededRandom(seed: 29)
        for (trial, n) in [5_003, 16_000, 69_202].enumerated() {
            let scores: [Float] = (0..<n).map { i in
                if (i / 700) % 5 == 3 { return -.infinity }
                let r = Int.random(in: 0..<1_000, using: &random)
                return r == 0 ? .nan : Float(Int.random(in: 0..<400, using: &random)) / 16 + (i > n - 40 ? 30 : 0)
            }
            for k in [1, 10, 200, 1_000] {
                #expect(same(TopK.largest(scores, k: k), reference(scores, k: k)), "trial \(trial), k \(k)")
            }
        }
        // Most of the catalogue at one score (zero), a few dozen above it, a masked stretch first: the answer is the
        // few above, then the lowest-indexed zeros.
        var flat = [Float](repeating: 0, count: 69_202)
        for i in 0..<3_000 { flat[i] = -.infinity }
        for i in stride(from: 5_011, to: 69_202, by: 1_301) { flat[i] = Float(i % 7 + 1) }
        #expect(same(TopK.largest(flat, k: 200), reference(flat, k: 200)))
        #expect(TopK.largest(flat, k: 200).last?.index == 3_149)
        // Fewer usable entries than k: all of them.
        var sparse = [Float](repeating: -.infinity, count: 40_000)
        for i in stride(from: 7, to: 40_000, by: 997) { sparse[i] = Float(i % 13) }
        #expect(same(TopK.largest(sparse, k: 200), reference(sparse, k: 200)))
    }
}
