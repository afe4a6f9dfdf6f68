import Foundation

/// Paired significance tests over per-visitor metric values of two models.
public enum SignificanceTests {
    /// Result of a test.
    public struct Result: Sendable, Hashable, Codable {
        /// Test statistic (t for the t-test, z or W+ for Wilcoxon).
        public var statistic: Double
        /// Two-sided p-value.
        public var pValue: Double
        /// Number of pairs used.
        public var count: Int
    }

    /// Paired two-sided t-test of mean(a − b) = 0. Returns p = 1 when all differences are equal to zero, and
    /// p = 0 when they are identical and non-zero.
    public static func pairedTTest(_ a: [Double], _ b: [Double]) -> Result {
        let n = min(a.count, b.count)
        guard n >= 2 else { return Result(statistic: 0, pValue: 1, count: n) }
        let d = (0..<n).map { a[$0] - b[$0] }
        let mean = d.reduce(0, +) / Double(n)
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        if variance == 0 { return Result(statistic: mean == 0 ? 0 : .infinity, pValue: mean == 0 ? 1 : 0, count: n) }
        let t = mean / (variance / Double(n)).squareRoot()
        let nu = Double(n - 1)
        let p = regularizedIncompleteBeta(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return Result(statistic: t, pValue: min(1, max(0, p)), count: n)
    }

    /// Wilcoxon signed-rank test (two-sided) of the paired differences; zero differences are dropped (Wilcox's
    /// method) and tied absolute differences get average ranks. Exact null distribution for up to 25 non-zero
    /// differences without ties; otherwise the normal approximation with tie and continuity corrections.
    /// The statistic is W+, the sum of ranks of positive differences.
    public static func wilcoxonSignedRank(_ a: [Double], _ b: [Double]) -> Result {
        let n0 = min(a.count, b.count)
        let d = (0..<n0).map { a[$0] - b[$0] }.filter { $0 != 0 }
        let n = d.count
        guard n > 0 else { return Result(statistic: 0, pValue: 1, count: 0) }
        let order = d.indices.sorted { abs(d[$0]) < abs(d[$1]) }
        var ranks = [Double](repeating: 0, count: n)
        var tieCorrection = 0.0
        var hasTies = false
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && abs(d[order[j + 1]]) == abs(d[order[i]]) { j += 1 }
            let average = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = average }
            let t = Double(j - i + 1)
            if t > 1 {
                hasTies = true
                tieCorrection += t * t * t - t
            }
            i = j + 1
        }
        var wPlus = 0.0
        for k in 0..<n where d[k] > 0 { wPlus += ranks[k] }
        let total = Double(n * (n + 1)) / 2
        if n <= 25 && !hasTies {
            // Exact: count subsets of {1…n} by rank sum.
            let maxSum = n * (n + 1) / 2
            var counts = [Double](repeating: 0, count: maxSum + 1)
            counts[0] = 1
            for r in 1...n {
                for s in stride(from: maxSum, through: r, by: -1) { counts[s] += counts[s - r] }
            }
            let all = pow(2, Double(n))
            let w = Int(min(wPlus, total - wPlus).rounded())
            var tail = 0.0
            for s in 0...w { tail += counts[s] }
            return Result(statistic: wPlus, pValue: min(1, 2 * tail / all), count: n)
        }
        let mean = total / 2
        let product = n * (n + 1) * (2 * n + 1)
        let variance: Double = Double(product) / 24 - tieCorrection / 48
        guard variance > 0 else { return Result(statistic: wPlus, pValue: 1, count: n) }
        let z = (abs(wPlus - mean) - 0.5) / variance.squareRoot()
        let p = erfc(max(0, z) / 2.0.squareRoot())
        return Result(statistic: wPlus, pValue: min(1, p), count: n)
    }

    /// The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz).
    public static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logGammas + logPowers
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedIncompleteBeta(x: 1 - x, a: b, b: a)
        }
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            f *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            f *= delta
            if abs(delta - 1) < 1e-14 { break }
        }
        return exp(logFront) * f / a
    }
}
