import Foundation

/// A fast, seedable pseudo-random generator (xoshiro256**), seeded through SplitMix64.
///
/// Same seed, same sequence, on every platform: Curio's training runs and simulations take a seed and are
/// reproducible. Not cryptographically secure.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator whose whole state is derived from `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// A generator for an independent stream: the same seed with a different `stream` gives unrelated numbers.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03 &+ 0x8CB9_2BA7_2F3D_8DD7))
    }

    @inlinable @inline(__always)
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [0, 1) with 24 random bits.
    @inlinable @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// Uniform integer in `0..<bound` (Lemire's nearly divisionless method); `bound` must be positive.
    @inlinable @inline(__always)
    public mutating func nextInt(below bound: Int) -> Int {
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { nextDouble() < p }

    /// A standard normal draw (Box–Muller, one value per call).
    public mutating func normal() -> Double {
        var u = nextDouble()
        while u <= .leastNormalMagnitude { u = nextDouble() }
        let v = nextDouble()
        return (-2 * Foundation.log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A normal draw with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// A log-normal draw: `exp(N(mu, sigma²))`.
    public mutating func logNormal(mu: Double, sigma: Double) -> Double { exp(normal(mean: mu, standardDeviation: sigma)) }

    /// An exponential draw with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        var u = nextDouble()
        while u <= .leastNormalMagnitude { u = nextDouble() }
        return -mean * Foundation.log(u)
    }

    /// A gamma draw with the given shape and unit scale (Marsaglia–Tsang; shapes below 1 by boosting).
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape > 0, "gamma shape must be positive")
        if shape < 1 {
            let u = max(nextDouble(), .leastNormalMagnitude)
            return gamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(max(u, .leastNormalMagnitude)) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }

    /// A Dirichlet draw with the given concentration parameters (all positive); the result sums to 1.
    public mutating func dirichlet(_ alphas: [Double]) -> [Double] {
        var draws = alphas.map { gamma(shape: $0) }
        let total = draws.reduce(0, +)
        if total <= 0 { return [Double](repeating: 1 / Double(max(1, alphas.count)), count: alphas.count) }
        for i in draws.indices { draws[i] /= total }
        return draws
    }

    /// A Poisson draw with the given mean (Knuth's method below 30, a rounded normal approximation above).
    public mutating func poisson(mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 30 { return max(0, Int((normal(mean: mean, standardDeviation: mean.squareRoot())).rounded())) }
        let limit = exp(-mean)
        var k = 0
        var p = nextDouble()
        while p > limit {
            k += 1
            p *= nextDouble()
        }
        return k
    }

    /// Number of failures before the first success with success probability `p` (mean `(1 − p) / p`).
    public mutating func geometric(successProbability p: Double) -> Int {
        if p >= 1 { return 0 }
        let u = max(nextDouble(), .leastNormalMagnitude)
        return Int(Foundation.log(u) / Foundation.log(1 - p))
    }

    /// A negative-binomial draw with the given mean and dispersion `r` (variance `mean + mean²/r`),
    /// as a gamma–Poisson mixture.
    public mutating func negativeBinomial(mean: Double, dispersion r: Double) -> Int {
        if mean <= 0 { return 0 }
        let rate = gamma(shape: r) * mean / r
        return poisson(mean: rate)
    }

    /// Shuffles `array` in place (Fisher–Yates) with this generator.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
