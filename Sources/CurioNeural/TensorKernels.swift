import CurioNeuralAVX512
import Foundation

/// Element-wise and row-wise kernels of a transformer: GELU, LayerNorm, softmax, and the fast `exp` they use.
///
/// All work in place on contiguous row-major `Float` buffers, with no allocation. Matrix products are not here:
/// they go to `BLAS.sgemm`.
///
/// GELU, softmax and LayerNorm have two implementations: the portable ones below (scalar code that the compiler
/// vectorises 4 wide, baseline x86-64 or ARM), and 16-lane versions in the `CurioNeuralAVX512` module, compiled for
/// AVX-512, which the public entry points use when ``wideKernelsAvailable`` — 4–5× faster for the GELU, which was a
/// sixth of the encoder's time. Both compute the same formulas; results differ only by rounding (FMA).
public enum TensorKernels {
    /// Whether this CPU runs the AVX-512 kernels (AVX-512 F, DQ, BW and VL, read once from `/proc/cpuinfo`).
    /// Setting the environment variable `CURIO_PORTABLE_KERNELS=1` forces the portable kernels.
    public static let wideKernelsAvailable: Bool = {
        if ProcessInfo.processInfo.environment["CURIO_PORTABLE_KERNELS"] == "1" { return false }
        #if arch(x86_64)
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(line.split(separator: " ").map(String.init))
        return flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl", "fma"])
        #else
        return false
        #endif
    }()

    /// `e^x` for `Float`, within 2 ulp over the whole range (`x < −87` gives ≈ 1e-38, `x > 88` saturates):
    /// Cody–Waite reduction `x = n·ln 2 + r`, `|r| ≤ ln 2 / 2`, then a degree-7 polynomial for `e^r` and an
    /// exponent-bit scale by `2^n`. Written without branches, traps or library calls so that loops over it
    /// vectorise: `n` is rounded by adding and subtracting 1.5·2²³, and its integer value is read back from the
    /// low mantissa bits of that sum.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        var x = x
        x = x < -87 ? -87 : x
        x = x > 88 ? 88 : x
        let shifted = x * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        let r = x - n * 0.693_145_751_953_125 - n * 1.428_606_765_330_187e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) << 23)
        return p * scale
    }

    /// The complementary error function for `a ≥ 0`, with relative error below 1.2e-7 (the Chebyshev fit of
    /// Numerical Recipes' `erfcc`: `t · exp(−a² + P(t))`, `t = 1 / (1 + a/2)`).
    @inline(__always)
    static func erfcNonNegative(_ a: Float) -> Float {
        let t = 1 / (1 + 0.5 * a)
        var p: Float = 0.170_872_77
        p = p * t - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        return t * exp(p - a * a)
    }

    /// The error function (absolute error below 4e-7).
    @inline(__always)
    static func erf(_ x: Float) -> Float {
        let y = 1 - erfcNonNegative(Swift.abs(x))
        return x < 0 ? -y : y
    }

    /// GELU in its exact (erf) form, as BERT defines it: `x · ½ · (1 + erf(x / √2))` — not the tanh approximation.
    ///
    /// `1 + erf(z)` is evaluated as `erfc(−z)` for `z < 0` and `2 − erfc(z)` otherwise, so it never suffers the
    /// cancellation of adding 1 to an approximate erf: absolute error below 4e-7 over all inputs (relative below
    /// 2e-6 for |x| ≤ 3), under the rounding error of the matrix product that feeds it.
    @inline(__always)
    public static func gelu(_ x: Float) -> Float {
        let z = x * 0.707_106_781_186_547_5
        let e = erfcNonNegative(Swift.abs(z))
        return 0.5 * x * (z < 0 ? e : 2 - e)
    }

    /// `x[r, c] = gelu(x[r, c] + bias[c])` over a rows×width block (no bias added when `bias` is nil).
    public static func addBiasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>?) {
        #if arch(x86_64)
        if wideKernelsAvailable {
            CurioNeuralAVX512.addBiasGELU(x, rows: rows, width: width, bias: bias)
            return
        }
        #endif
        portableAddBiasGELU(x, rows: rows, width: width, bias: bias)
    }

    /// ``addBiasGELU(_:rows:width:bias:)`` in portable code.
    static func portableAddBiasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>?) {
        for r in 0..<rows {
            let row = x + r * width
            if let bias {
                for c in 0..<width { row[c] = gelu(row[c] + bias[c]) }
            } else {
                for c in 0..<width { row[c] = gelu(row[c]) }
            }
        }
    }

    /// `x[r, c] += bias[c]` over a rows×width block.
    public static func addBias(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * width
            for c in 0..<width { row[c] += bias[c] }
        }
    }

    /// Residual connection and LayerNorm in one pass over each row:
    /// `output[r] = LayerNorm(input[r] + bias + residual[r]) · gamma + beta`, with the biased variance and `epsilon`
    /// inside the square root, as PyTorch computes it. `input` is used as scratch; `output` may alias `residual`.
    /// With `refill`, each row of `input` is afterwards overwritten with `refill` (`width` values) while it is still
    /// in cache: the bias of the next product into `input`, which then accumulates onto it (BLAS `beta` = 1)
    /// instead of BLAS zeroing its output in a separate pass.
    public static func addLayerNorm(_ input: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                                    residual: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
                                    rows: Int, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                    epsilon: Float, refill: UnsafePointer<Float>? = nil) {
        #if arch(x86_64)
        if wideKernelsAvailable {
            CurioNeuralAVX512.addLayerNorm(input, bias: bias, residual: residual, output: output, rows: rows,
                                           width: width, gamma: gamma, beta: beta, epsilon: epsilon, refill: refill)
            return
        }
        #endif
        portableAddLayerNorm(input, bias: bias, residual: residual, output: output, rows: rows, width: width,
                             gamma: gamma, beta: beta, epsilon: epsilon, refill: refill)
    }

    /// ``addLayerNorm(_:bias:residual:output:rows:width:gamma:beta:epsilon:)`` in portable code.
    static func portableAddLayerNorm(_ input: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                                     residual: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
                                     rows: Int, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                     epsilon: Float, refill: UnsafePointer<Float>? = nil) {
        let inverseWidth = 1 / Float(width)
        for r in 0..<rows {
            let v = input + r * width
            if let bias { for c in 0..<width { v[c] += bias[c] } }
            if let residual {
                let res = residual + r * width
                for c in 0..<width { v[c] += res[c] }
            }
            let mean = sum(v, width) * inverseWidth
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            var c = 0
            while c + 4 <= width {
                let d0 = v[c] - mean, d1 = v[c + 1] - mean, d2 = v[c + 2] - mean, d3 = v[c + 3] - mean
                s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3
                c += 4
            }
            while c < width { let d = v[c] - mean; s0 += d * d; c += 1 }
            let variance = (s0 + s1 + s2 + s3) * inverseWidth
            let scale = 1 / (variance + epsilon).squareRoot()
            let out = output + r * width
            for c in 0..<width { out[c] = (v[c] - mean) * scale * gamma[c] + beta[c] }
            if let refill { v.update(from: refill, count: width) }
        }
    }

    /// Softmax of each row of a rows×width block, in place (max-subtracted, so it never overflows).
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        #if arch(x86_64)
        if wideKernelsAvailable {
            CurioNeuralAVX512.softmaxRows(x, rows: rows, width: width)
            return
        }
        #endif
        portableSoftmaxRows(x, rows: rows, width: width)
    }

    /// ``softmaxRows(_:rows:width:)`` in portable code.
    static func portableSoftmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        guard width > 0 else { return }
        for r in 0..<rows {
            let row = x + r * width
            let inverse = portableNumerators(row, width: width)
            for c in 0..<width { row[c] *= inverse }
        }
    }

    /// One row's softmax numerators `e^(x − max)` in place; returns `1 / Σ`. Exponentials and their sum in one pass,
    /// four lanes so the loop maps onto vector registers.
    @inline(__always)
    static func portableNumerators(_ row: UnsafeMutablePointer<Float>, width: Int) -> Float {
        let m = maximum(row, width)
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var c = 0
        while c + 4 <= width {
            let e0 = exp(row[c] - m), e1 = exp(row[c + 1] - m), e2 = exp(row[c + 2] - m), e3 = exp(row[c + 3] - m)
            row[c] = e0; row[c + 1] = e1; row[c + 2] = e2; row[c + 3] = e3
            s0 += e0; s1 += e1; s2 += e2; s3 += e3
            c += 4
        }
        while c < width { let e = exp(row[c] - m); row[c] = e; s0 += e; c += 1 }
        return 1 / ((s0 + s1) + (s2 + s3))
    }

    /// Softmax numerators of each row, in place: `x[r, c] = e^(x[r, c] − max_c x[r, c])` for `c < width`, rows
    /// `stride` floats apart, and `inverseSums[r] = 1 / Σ_c x[r, c]`. The division is left to the caller: attention
    /// scales the `length × headSize` product of these rows with the values instead of the `length × length` rows
    /// themselves. `stride` must be a multiple of 16 and at least `width`; the padding after each row's `width`
    /// values is scratch (the 16-lane kernel overwrites it).
    public static func softmaxNumerators(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                                         inverseSums: UnsafeMutablePointer<Float>) {
        precondition(stride >= width && stride % 16 == 0, "softmax rows must be padded to whole 16-float vectors")
        #if arch(x86_64)
        if wideKernelsAvailable {
            CurioNeuralAVX512.softmaxNumerators(x, rows: rows, width: width, stride: stride, inverseSums: inverseSums)
            return
        }
        #endif
        portableSoftmaxNumerators(x, rows: rows, width: width, stride: stride, inverseSums: inverseSums)
    }

    /// ``softmaxNumerators(_:rows:width:stride:inverseSums:)`` in portable code.
    static func portableSoftmaxNumerators(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                                          inverseSums: UnsafeMutablePointer<Float>) {
        guard width > 0 else { return }
        for r in 0..<rows { inverseSums[r] = portableNumerators(x + r * stride, width: width) }
    }

    /// `x[r, c] *= factors[r]` for `c < width`, rows `stride` floats apart.
    public static func scaleRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                                 factors: UnsafePointer<Float>) {
        #if arch(x86_64)
        if wideKernelsAvailable {
            CurioNeuralAVX512.scaleRows(x, rows: rows, width: width, stride: stride, factors: factors)
            return
        }
        #endif
        for r in 0..<rows {
            let row = x + r * stride, f = factors[r]
            for c in 0..<width { row[c] *= f }
        }
    }

    /// Largest of `count ≥ 1` values, with four independent lanes.
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var m0 = x[0], m1 = x[0], m2 = x[0], m3 = x[0]
        var c = 0
        while c + 4 <= count {
            m0 = x[c] > m0 ? x[c] : m0
            m1 = x[c + 1] > m1 ? x[c + 1] : m1
            m2 = x[c + 2] > m2 ? x[c + 2] : m2
            m3 = x[c + 3] > m3 ? x[c + 3] : m3
            c += 4
        }
        while c < count { m0 = x[c] > m0 ? x[c] : m0; c += 1 }
        m0 = m1 > m0 ? m1 : m0
        m2 = m3 > m2 ? m3 : m2
        return m2 > m0 ? m2 : m0
    }

    /// Sum of `count` values with four independent accumulators.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var c = 0
        while c + 4 <= count {
            s0 += x[c]; s1 += x[c + 1]; s2 += x[c + 2]; s3 += x[c + 3]
            c += 4
        }
        while c < count { s0 += x[c]; c += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Scales a vector to unit Euclidean length in place (left unchanged when it is all zeros).
    public static func normalizeL2(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var s0: Float = 0, s1: Float = 0
        var c = 0
        while c + 2 <= count { s0 += x[c] * x[c]; s1 += x[c + 1] * x[c + 1]; c += 2 }
        if c < count { s0 += x[c] * x[c] }
        let norm = (s0 + s1).squareRoot()
        // sentence-transformers divides by max(norm, 1e-12).
        let inverse = 1 / Swift.max(norm, 1e-12)
        for i in 0..<count { x[i] *= inverse }
    }
}
