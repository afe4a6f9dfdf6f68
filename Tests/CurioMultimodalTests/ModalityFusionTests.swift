import CurioCore
import CurioMath
import Foundation
import Testing
@testable import CurioMultimodal

@Suite struct ModalityFusionTests {
    static func vectors(_ rows: [(String, [Float])]) -> ModalityVectors {
        ModalityVectors(items: rows.map { ItemID($0.0) }, vectors: Matrix(rows: rows.count, columns: rows[0].1.count,
                                                                          storage: rows.flatMap(\.1)))
    }

    @Test func itemsMissingAModalityStillGetUnitVectorsComparableWithEveryone() throws {
        // a: text + image; b: text only (no image); c: image only (a sparse record); d: graph only.
        let text = Self.vectors([("a", [1, 0, 0]), ("b", [0.9, 0.1, 0])])
        let image = Self.vectors([("a", [1, 0, 0]), ("c", [0.95, 0.05, 0])])
        let graph = Self.vectors([("a", [0, 1]), ("d", [0, 1])])
        let fused = try FusedItemVectors(text: text, image: image, graph: graph, weights: .default)
        #expect(fused.items == ["a", "b", "c", "d"])
        for r in 0..<fused.count {
            let row = fused.vectors.row(r)
            #expect(abs(row.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
        #expect(fused.modalities[0] == [.text, .image, .graph])
        #expect(fused.modalities[1] == [.text])
        #expect(fused.modalities[2] == [.image])
        #expect(fused.modalities[3] == [.graph])
        // The image-only item is found from the text-only one through the shared text space.
        let fromB = try #require(fused.similar(to: "b", k: 3))
        #expect(fromB.first?.item == "c")
        // The graph-only item is reachable from a, which shares its graph block.
        let fromD = try #require(fused.similar(to: "d", k: 1))
        #expect(fromD.first?.item == "a")
        #expect(fused.similar(to: "zzz", k: 3) == nil)
    }

    @Test func cosineOfFullyDescribedItemsIsTheWeightedSumOfModalityCosines() throws {
        let text = Self.vectors([("a", [1, 0]), ("b", [0, 1])])
        let image = Self.vectors([("a", [1, 0]), ("b", [1, 0])])
        let graph = Self.vectors([("a", [1, 0]), ("b", [0.6, 0.8])])
        let w = FusionWeights(text: 0.5, image: 0.5, graph: 1)
        let fused = try FusedItemVectors(text: text, image: image, graph: graph, weights: w)
        let a = fused.vectors.row(0), b = fused.vectors.row(1)
        let cos = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        // content: a = (1,0), b = normalise(0.5·(0,1) + 0.5·(1,0)) → cos √½; shares ½ and ½.
        let expected = 0.5 * Float(0.5).squareRoot() + 0.5 * 0.6
        #expect(abs(cos - expected) < 1e-5)
    }

    @Test func textAndImageMustShareASpace() {
        let text = Self.vectors([("a", [1, 0, 0])])
        let image = Self.vectors([("a", [1, 0])])
        #expect(throws: MultimodalError.dimensionMismatch(modality: "projected image", expected: 3, actual: 2)) {
            try FusedItemVectors(text: text, image: image, graph: nil, weights: .default)
        }
    }

    @Test func weightsAreLearnedFromVisitsWhenTheGraphPredictsTheNextObject() throws {
        // 60 items; text is noise, the graph pairs item 2i with 2i+1, and visitors move within those pairs.
        var rng = SeededRandom(seed: 5)
        var textRows: [(String, [Float])] = [], graphRows: [(String, [Float])] = []
        for i in 0..<60 {
            textRows.append(("i\(i)", (0..<8).map { _ in Float(rng.normal()) }))
            var g = [Float](repeating: 0, count: 30)
            g[i / 2] = 1
            g[(i / 2 + 1) % 30] = 0.2
            graphRows.append(("i\(i)", g))
        }
        let cases = (0..<30).map { NextItemCase(query: ItemID("i\(2 * $0)"), target: ItemID("i\(2 * $0 + 1)")) }
        let choice = try FusionWeightLearner.choose(text: Self.vectors(textRows), image: nil, graph: Self.vectors(graphRows),
                                                    cases: cases)
        #expect(choice.source == "learned")
        #expect(choice.weights.image == 0)
        #expect(choice.weights.graph > choice.weights.text)
        #expect(choice.ndcg >= choice.defaultNDCG)
        #expect(choice.ndcg > 0.9)
        // Image absent: the grid only spans text and graph (11 points at step 0.1).
        #expect(choice.grid.count == 11)

        let few = try FusionWeightLearner.choose(text: Self.vectors(textRows), image: nil, graph: Self.vectors(graphRows),
                                                 cases: Array(cases.prefix(5)))
        #expect(few.source == "default" && few.weights == .default)
    }
}
