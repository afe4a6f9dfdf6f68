import Foundation

/// Ranking metrics for one visitor's list, and catalogue-level metrics over all lists.
///
/// Relevance is binary (an item is relevant when it is among the visitor's held-out targets). Definitions:
/// - `recall@k = |top-k ∩ T| / |T|`
/// - `hr@k` (hit rate) `= 1` when `|top-k ∩ T| > 0`
/// - `precision@k = |top-k ∩ T| / k`
/// - `ndcg@k = Σ_{r ≤ k, item_r ∈ T} 1/log2(r + 1) / Σ_{r ≤ min(|T|, k)} 1/log2(r + 1)`
/// - `mrr = 1 / rank of the first relevant item` (0 when none is in the evaluated list)
/// - `coverage@k`: distinct items recommended in anyone's top-k / catalogue size
/// - `novelty@k`: mean self-information `−log2((n_i + 1)/(U + 1))` of recommended items (n_i training visitors of
///   item i, U training visitors)
/// - `ild@k`: intra-list diversity, `1 − mean pairwise cosine` of the list's content vectors
/// - `exposure_gini@k`: Gini coefficient of how often each catalogue item appears in top-k lists (0 = equal
///   exposure, 1 = one item gets everything)
public enum RankingMetrics {
    /// Number of relevant items in the first `k` positions.
    public static func hits(_ ranking: [Int], _ targets: Set<Int>, k: Int) -> Int {
        ranking.prefix(k).reduce(0) { $0 + (targets.contains($1) ? 1 : 0) }
    }

    public static func recall(_ ranking: [Int], _ targets: Set<Int>, k: Int) -> Double {
        targets.isEmpty ? 0 : Double(hits(ranking, targets, k: k)) / Double(targets.count)
    }

    public static func precision(_ ranking: [Int], _ targets: Set<Int>, k: Int) -> Double {
        k <= 0 ? 0 : Double(hits(ranking, targets, k: k)) / Double(k)
    }

    public static func hitRate(_ ranking: [Int], _ targets: Set<Int>, k: Int) -> Double {
        hits(ranking, targets, k: k) > 0 ? 1 : 0
    }

    public static func ndcg(_ ranking: [Int], _ targets: Set<Int>, k: Int) -> Double {
        guard !targets.isEmpty, k > 0 else { return 0 }
        var dcg = 0.0
        for (r, item) in ranking.prefix(k).enumerated() where targets.contains(item) { dcg += 1 / log2(Double(r) + 2) }
        var ideal = 0.0
        for r in 0..<min(k, targets.count) { ideal += 1 / log2(Double(r) + 2) }
        return dcg / ideal
    }

    public static func reciprocalRank(_ ranking: [Int], _ targets: Set<Int>) -> Double {
        for (r, item) in ranking.enumerated() where targets.contains(item) { return 1 / Double(r + 1) }
        return 0
    }

    /// Distinct items in all top-k lists divided by the catalogue size.
    public static func coverage(_ rankings: [[Int]], k: Int, catalogueSize: Int) -> Double {
        guard catalogueSize > 0 else { return 0 }
        var seen = Set<Int>()
        for list in rankings { seen.formUnion(list.prefix(k)) }
        return Double(seen.count) / Double(catalogueSize)
    }

    /// Mean self-information of the items in one list.
    public static func novelty(_ ranking: [Int], k: Int, itemUserCounts: [Int], userCount: Int) -> Double {
        let list = ranking.prefix(k)
        guard !list.isEmpty else { return 0 }
        var total = 0.0
        for i in list {
            let n = i < itemUserCounts.count ? itemUserCounts[i] : 0
            total += -log2(Double(n + 1) / Double(userCount + 1))
        }
        return total / Double(list.count)
    }

    /// `1 − mean pairwise similarity` over the list (0 for lists shorter than 2).
    public static func intraListDiversity(_ ranking: [Int], k: Int, similarity: (Int, Int) -> Float) -> Double {
        let list = Array(ranking.prefix(k))
        guard list.count >= 2 else { return 0 }
        var sum = 0.0
        var pairs = 0
        for a in 0..<list.count {
            for b in (a + 1)..<list.count {
                sum += Double(similarity(list[a], list[b]))
                pairs += 1
            }
        }
        return 1 - sum / Double(pairs)
    }

    /// Gini coefficient of non-negative values (0 when all equal or all zero).
    public static func gini(_ values: [Double]) -> Double {
        let n = values.count
        let total = values.reduce(0, +)
        guard n > 0, total > 0 else { return 0 }
        let sorted = values.sorted()
        var weighted = 0.0
        for (i, x) in sorted.enumerated() { weighted += Double(2 * (i + 1) - n - 1) * x }
        return weighted / (Double(n) * total)
    }

    /// Gini of item exposure: how many top-k lists each catalogue item appears in.
    public static func exposureGini(_ rankings: [[Int]], k: Int, catalogueSize: Int) -> Double {
        var counts = [Double](repeating: 0, count: catalogueSize)
        for list in rankings { for i in list.prefix(k) where i >= 0 && i < catalogueSize { counts[i] += 1 } }
        return gini(counts)
    }
}
