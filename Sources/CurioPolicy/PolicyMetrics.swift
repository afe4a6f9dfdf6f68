import CurioCore
import Foundation

/// Exposure and beyond-accuracy metrics for curators: who and what gets seen, and at what cost.
public enum PolicyMetrics {
    /// Gini coefficient of non-negative values (0 = perfectly even, → 1 = all on one).
    /// Items never shown count as zeros, so pass one value per catalogue item.
    public static func gini(_ values: [Double]) -> Double {
        let n = values.count
        guard n > 1 else { return 0 }
        let sorted = values.sorted()
        let total = sorted.reduce(0, +)
        guard total > 0 else { return 0 }
        var weighted = 0.0
        for (i, v) in sorted.enumerated() { weighted += Double(i + 1) * v }
        return (2 * weighted) / (Double(n) * total) - Double(n + 1) / Double(n)
    }

    /// KL divergence KL(p ‖ q̃) between the visitor's attribute distribution `p` (from history) and the list's `q`,
    /// smoothed as q̃ = (1 − α) q + α p (Steck 2018), α = 0.01.
    public static func calibrationKL(history: [Int], list: [Int], attribute: GroupAttribute, catalogue: PolicyCatalogue) -> Double {
        func distribution(_ indices: [Int]) -> [String: Double] {
            var d: [String: Double] = [:]
            for i in indices {
                let vs = catalogue.values(of: attribute, at: i)
                for v in vs { d[v, default: 0] += 1 / Double(vs.count) }
            }
            let total = d.values.reduce(0, +)
            if total > 0 { for k in d.keys { d[k]! /= total } }
            return d
        }
        let p = distribution(history), q = distribution(list)
        let alpha = GreedySelectionStage.calibrationSmoothing
        var kl = 0.0
        for (g, pg) in p where pg > 0 {
            kl += pg * log(pg / ((1 - alpha) * (q[g] ?? 0) + alpha * pg))
        }
        return kl
    }

    /// Intra-list diversity: 1 − mean pairwise cosine similarity of the items' content vectors.
    public static func intraListDiversity(_ list: [Int], catalogue: PolicyCatalogue) -> Double {
        guard list.count > 1, catalogue.dimension > 0 else { return 0 }
        var sum = 0.0, pairs = 0.0
        for a in 0..<list.count {
            for b in (a + 1)..<list.count {
                sum += Double(catalogue.similarity(list[a], list[b]))
                pairs += 1
            }
        }
        return 1 - sum / pairs
    }

    /// Popularity lift (Abdollahpouri et al.): relative change of the mean popularity of recommended items
    /// over the mean popularity of the visitors' own items. Negative means the lists reach further into the long tail.
    public static func popularityLift(lists: [[Int]], histories: [[Int]], catalogue: PolicyCatalogue) -> Double {
        func meanPopularity(_ groups: [[Int]]) -> Double {
            var s = 0.0, n = 0.0
            for g in groups { for i in g { s += catalogue.popularity[i]; n += 1 } }
            return n > 0 ? s / n : 0
        }
        let base = meanPopularity(histories)
        guard base > 0 else { return 0 }
        return (meanPopularity(lists) - base) / base
    }

    /// Live exposure report from a ledger: share per group vs target, Gini over items, coverage.
    public static func exposureReport(ledger: ExposureLedger, catalogue: PolicyCatalogue, policy: Policy?,
                                      attributes: [GroupAttribute] = [.makerGender]) -> ExposureReport {
        var attrs = attributes
        if let a = policy?.exposure?.attribute, !attrs.contains(a) { attrs.append(a) }
        var groups: [ExposureReport.GroupShare] = []
        for a in attrs {
            let exposure = ledger.groupExposure(a)
            let total = exposure.values.reduce(0, +)
            let known = total - (exposure[GroupAttribute.unknownValue] ?? 0)
            let targets = policy?.exposure?.attribute == a ? policy?.exposure : nil
            let denominator = targets?.denominator == .all ? total : known
            for (value, e) in exposure.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                let share = value == GroupAttribute.unknownValue ? (total > 0 ? e / total : 0) : (denominator > 0 ? e / denominator : 0)
                let t = targets?.targets[value]
                groups.append(.init(attribute: a.name, value: value, exposure: e, share: share,
                                    targetMin: t?.min, targetMax: t?.max,
                                    withinTarget: t.map { s in (s.min.map { share >= $0 - (targets?.tolerance ?? 0) } ?? true)
                                        && (s.max.map { share <= $0 + (targets?.tolerance ?? 0) } ?? true) }))
            }
        }
        let items = ledger.itemExposure()
        var perItem = [Double](repeating: 0, count: catalogue.count)
        for (i, e) in items where i < perItem.count { perItem[i] = e }
        return ExposureReport(requests: ledger.requestCount, totalExposure: ledger.totalExposure,
                              exposureGini: gini(perItem),
                              coverage: catalogue.count > 0 ? Double(items.count) / Double(catalogue.count) : 0,
                              groups: groups)
    }
}

/// Exposure delivered so far, as served at `GET /v1/metrics/exposure`.
public struct ExposureReport: Sendable, Codable, Equatable {
    public struct GroupShare: Sendable, Codable, Equatable {
        public var attribute: String
        public var value: String
        public var exposure: Double
        /// Share of exposure (over items whose value is known, unless the policy says `all`; `unknown` over all).
        public var share: Double
        public var targetMin: Double?
        public var targetMax: Double?
        /// Whether the share is within the target ± tolerance (nil when the group has no target).
        public var withinTarget: Bool?
    }
    public var requests: Int
    public var totalExposure: Double
    public var exposureGini: Double
    public var coverage: Double
    public var groups: [GroupShare]
}
