import Foundation
import Testing
@testable import CurioRecommend

@Suite struct RankingMetricsTests {
    // Ranking [7, 3, 9, 1, 5], relevant {3, 5, 8}.
    let ranking = [7, 3, 9, 1, 5]
    let targets: Set<Int> = [3, 5, 8]

    @Test func recallPrecisionAndHitRateMatchHandComputedValues() {
        #expect(RankingMetrics.recall(ranking, targets, k: 1) == 0)
        #expect(RankingMetrics.recall(ranking, targets, k: 2) == 1.0 / 3)
        #expect(RankingMetrics.recall(ranking, targets, k: 5) == 2.0 / 3)
        #expect(RankingMetrics.precision(ranking, targets, k: 5) == 2.0 / 5)
        #expect(RankingMetrics.hitRate(ranking, targets, k: 1) == 0)
        #expect(RankingMetrics.hitRate(ranking, targets, k: 2) == 1)
    }

    @Test func ndcgMatchesHandComputedValue() {
        // DCG@5 = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778
        // IDCG@5 (3 relevant) = 1 + 0.63093 + 0.5 = 2.13093 → 0.47762
        #expect(abs(RankingMetrics.ndcg(ranking, targets, k: 5) - 0.477_62) < 1e-5)
        // @2: DCG = 0.63093, IDCG = 1.63093 → 0.38685
        #expect(abs(RankingMetrics.ndcg(ranking, targets, k: 2) - 0.386_85) < 1e-5)
        #expect(RankingMetrics.ndcg([3], [3], k: 10) == 1)
        #expect(RankingMetrics.ndcg(ranking, [], k: 5) == 0)
    }

    @Test func reciprocalRankIsOneOverTheFirstHit() {
        #expect(RankingMetrics.reciprocalRank(ranking, targets) == 0.5)
        #expect(RankingMetrics.reciprocalRank(ranking, [42]) == 0)
    }

    @Test func coverageCountsDistinctRecommendedItems() {
        #expect(RankingMetrics.coverage([[0, 1, 2], [1, 2, 3]], k: 2, catalogueSize: 10) == 0.3)
    }

    @Test func giniIsZeroForEqualExposureAndHighForConcentration() {
        #expect(RankingMetrics.gini([1, 1, 1, 1]) == 0)
        // Sorted [0, 0, 0, 4]: Σ(2i − n − 1)x = (8 − 4 − 1)·4 = 12; 12 / (4·4) = 0.75.
        #expect(RankingMetrics.gini([0, 4, 0, 0]) == 0.75)
        // [1, 2, 3]: (−2·1 + 0·2 + 2·3) / (3·6) = 4/18.
        #expect(abs(RankingMetrics.gini([3, 1, 2]) - 4.0 / 18) < 1e-12)
        #expect(RankingMetrics.exposureGini([[0], [0]], k: 1, catalogueSize: 2) == 0.5)
    }

    @Test func noveltyIsMeanSelfInformation() {
        // 3 training visitors; item 0 seen by 3 → −log2(4/4) = 0; item 1 by 0 → −log2(1/4) = 2.
        #expect(RankingMetrics.novelty([0, 1], k: 2, itemUserCounts: [3, 0], userCount: 3) == 1)
    }

    @Test func intraListDiversityIsOneMinusMeanPairwiseSimilarity() {
        let sim: (Int, Int) -> Float = { a, b in (a + b) % 2 == 0 ? 1 : 0 }
        // Pairs of [0, 1, 2]: (0,1)=0, (0,2)=1, (1,2)=0 → 1 − 1/3.
        #expect(abs(RankingMetrics.intraListDiversity([0, 1, 2], k: 3, similarity: sim) - 2.0 / 3) < 1e-12)
        #expect(RankingMetrics.intraListDiversity([0], k: 3, similarity: sim) == 0)
    }
}

@Suite struct SignificanceTestsTests {
    let a = [0.5, 0.2, 0.9, 0.4, 0.7, 0.3, 0.8, 0.6]
    let b = [0.4, 0.25, 0.6, 0.35, 0.5, 0.3, 0.55, 0.45]

    @Test func pairedTTestMatchesScipy() {
        let r = SignificanceTests.pairedTTest(a, b)
        #expect(abs(r.statistic - 2.886_751_345_948_128_7) < 1e-9)
        #expect(abs(r.pValue - 0.023_424_636_054_437_478) < 1e-9)
    }

    @Test func exactWilcoxonMatchesScipy() {
        // One zero difference is dropped; 7 remain, one negative of rank 1 → W+ = 27, p = 2·2/128.
        let r = SignificanceTests.wilcoxonSignedRank(a, b)
        #expect(r.count == 7)
        #expect(r.statistic == 27)
        #expect(abs(r.pValue - 0.031_25) < 1e-12)
    }

    @Test func approximateWilcoxonWithTiesMatchesScipy() {
        let x = [0.09, 0.24, 0.8, 0.58, 0.09, 0.43, 0.48, 0.16, 0.73, 0.11, 0.39, 0.52, 0.43, 0.59, 0.74, 0.96, 0.28, 0.65,
                 0.7, 0.29, 0.0, 0.97, 0.3, 0.31, 0.89, 0.59, 0.47, 0.77, 0.03, 0.71, 0.37, 0.09, 0.66, 0.93, 0.21, 0.63, 0.3,
                 0.74, 0.72, 0.22]
        let y = [0.66, 0.53, 0.55, 0.66, 0.34, 0.61, 0.7, 0.08, 0.68, 0.32, 0.38, 0.12, 0.56, 0.23, 0.7, 0.22, 0.45, 0.32,
                 0.49, 0.16, 0.14, 0.6, 0.6, 0.45, 0.74, 0.16, 0.68, 0.14, 0.77, 0.5, 0.49, 0.78, 0.63, 0.63, 0.04, 0.3, 0.07,
                 0.15, 0.17, 0.69]
        #expect(abs(SignificanceTests.pairedTTest(x, y).pValue - 0.453_876_104_308_976_8) < 1e-9)
        #expect(abs(SignificanceTests.wilcoxonSignedRank(x, y).pValue - 0.389_622_967_785_034_7) < 1e-6)
    }

    @Test func identicalModelsAreNotSignificant() {
        #expect(SignificanceTests.pairedTTest(a, a).pValue == 1)
        #expect(SignificanceTests.wilcoxonSignedRank(a, a).pValue == 1)
    }

    @Test func incompleteBetaMatchesKnownValues() {
        // I_0.5(a, a) = 0.5 by symmetry; I_x(1, 1) = x.
        #expect(abs(SignificanceTests.regularizedIncompleteBeta(x: 0.5, a: 3, b: 3) - 0.5) < 1e-12)
        #expect(abs(SignificanceTests.regularizedIncompleteBeta(x: 0.3, a: 1, b: 1) - 0.3) < 1e-12)
    }
}
