import Foundation

/// Element-wise and row-wise kernels of a transformer: GELU, LayerNorm, softmax, and the fast `exp` they use.
///
/// All work in place on contiguous row-major `Float` buffers, with no allocation. Matrix products are not here:
/// they go to `BLAS.sgemm`.
public enum TensorKernels {
    /// `e^x` for `Float`, within 2 ulp over the whole range (`x < −87` gives ≈ 1e-38, `x > 88` saturates):
    /// Cody–Waite reduction `x = n·ln 2 + r`, `|r| ≤ ln 2 / 2`, then a degree-7 polynomial for `e^r` and an
    /// exponent-bit scale by `2^n`. Branch-free, so loops over it vectorise.
    @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let x = Swift.min(Swift.max(x, -87.0), 88.0)
        let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
        let r = x - n * 0.693_145_751_953_125 - n * 1.428_606_765_330_187e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: Int32(n) &+ 127) << 23)
        return p * scale
    }

    /// The error function, with absolute error below 1.5e-7 (Abramowitz & Stegun 7.1.26), i.e. about one unit in
    /// the last place of `1 + erf(x)`, the quantity GELU uses.
    @inline(__always)
    public static func erf(_ x: Float) -> Float {
        let a = Swift.abs(x)
        let t = 1 / (1 + 0.327_591_1 * a)
        var p: Float = 1.061_405_429
        p = p * t - 1.453_152_027
        p = p * t + 1.421_413_741
        p = p * t - 0.284_496_736
        p = p * t + 0.254_829_592
        let y = 1 - p * t * exp(-a * a)
        return x < 0 ? -y : y
    }

    /// GELU in its exact (erf) form, as BERT defines it: `x · ½ · (1 + erf(x / √2))` — not the tanh approximation.
    @inline(__always)
    public static func gelu(_ x: Float) -> Float {
        0.5 * x * (1 + erf(x * 0.707_106_781_186_547_5))
    }

    /// `x[r, c] = gelu(x[r, c] + bias[c])` over a rows×width block.
    public static func addBiasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * width
            for c in 0..<width { row[c] = gelu(row[c] + bias[c]) }
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
    public static func addLayerNorm(_ input: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                                    residual: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
                                    rows: Int, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                                    epsilon: Float) {
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
        }
    }

    /// Softmax of each row of a rows×width block, in place (max-subtracted, so it never overflows).
    public static func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let row = x + r * width
            var m = row[0]
            for c in 1..<width where row[c] > m { m = row[c] }
            for c in 0..<width { row[c] = exp(row[c] - m) }
            let inverse = 1 / sum(row, width)
            for c in 0..<width { row[c] *= inverse }
        }
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
