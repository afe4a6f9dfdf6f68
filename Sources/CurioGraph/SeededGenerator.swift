/// A small, fast, seedable random number generator (SplitMix64), so training runs are reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n` (n > 0), by rejection-free multiply-shift (bias below 2⁻³²).
    @inline(__always)
    public mutating func index(_ n: Int) -> Int {
        Int((UInt64(truncatingIfNeeded: next() >> 32) &* UInt64(n)) >> 32)
    }

    /// A uniform `Float` in [0, 1).
    @inline(__always)
    public mutating func unitFloat() -> Float { Float(next() >> 40) * (1.0 / Float(1 << 24)) }
}
