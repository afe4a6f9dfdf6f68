import CurioCore
import Foundation
import Testing
@testable import CurioPolicy

@Suite("Exposure and beyond-accuracy metrics")
struct PolicyMetricsTests {
    @Test func giniMatchesHandComputedValues() {
        #expect(PolicyMetrics.gini([1, 1, 1, 1]) == 0)
        #expect(abs(PolicyMetrics.gini([0, 0, 0, 1]) - 0.75) < 1e-12)
        // (2·(1·1 + 2·2 + 3·3))/(3·6) − 4/3 = 28/18 − 24/18 = 2/9
        #expect(abs(PolicyMetrics.gini([1, 2, 3]) - 2.0 / 9.0) < 1e-12)
        #expect(PolicyMetrics.gini([]) == 0)
    }

    @Test func positionWeightsFollowTheLogDiscount() {
        #expect(ExposureLedger.weight(rank: 1) == 1)
        #expect(abs(ExposureLedger.weight(rank: 3) - 0.5) < 1e-12)
    }

    @Test func calibrationKLByHand() {
        func item(_ id: String, _ year: Int) -> Item {
            Item(id: ItemID(id), source: "t", title: id, date: DateRange(text: "\(year)", startYear: year, endYear: year))
        }
        let catalogue = PolicyCatalogue(items: [item("a", 1850), item("b", 1860), item("c", 1750)], agents: [:])
        // History: two 19th-century items → p = {19: 1}; list: one 19th and one 18th → q = {19: 0.5, 18: 0.5}.
        let kl = PolicyMetrics.calibrationKL(history: [0, 1], list: [0, 2], attribute: .century, catalogue: catalogue)
        // q̃(19) = 0.99·0.5 + 0.01·1 = 0.505; KL = 1 · log(1 / 0.505)
        #expect(abs(kl - log(1 / 0.505)) < 1e-9)
    }

    @Test func intraListDiversityByHand() {
        let (catalogue, _) = syntheticCatalogue(count: 4, makers: 4)
        // Vectors: e_i + 0.2 e_{i+1}, normalised; items 0 and 2 are orthogonal.
        #expect(abs(PolicyMetrics.intraListDiversity([0, 2], catalogue: catalogue) - 1) < 1e-6)
        let cos01 = 0.2 / 1.04
        #expect(abs(PolicyMetrics.intraListDiversity([0, 1], catalogue: catalogue) - (1 - cos01)) < 1e-6)
    }

    @Test func popularityLiftByHand() {
        let (catalogue, _) = syntheticCatalogue(count: 10, makers: 2, withVectors: false)
        // popularity of item i is 10 − i: history {0,1} mean 9.5; list {8,9} mean 1.5 → lift (1.5 − 9.5)/9.5
        let lift = PolicyMetrics.popularityLift(lists: [[8, 9]], histories: [[0, 1]], catalogue: catalogue)
        #expect(abs(lift - (1.5 - 9.5) / 9.5) < 1e-12)
    }

    @Test func unknownMakersFormTheirOwnGroup() {
        let item = Item(id: "X", source: "t", title: "Anonymous", makers: [])
        let catalogue = PolicyCatalogue(items: [item], agents: [:])
        #expect(catalogue.values(of: .makerGender, at: 0) == [GroupAttribute.unknownValue])
        #expect(catalogue.values(of: .licence, at: 0) == [GroupAttribute.unknownValue])
    }
}
