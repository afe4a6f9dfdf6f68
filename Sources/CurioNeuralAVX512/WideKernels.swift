// The transformer's element-wise and row-wise kernels written over 16-lane vectors, in a module compiled for
// AVX-512 (see Package.swift). Nothing here may run on a CPU without AVX-512: CurioNeural calls these functions only
// after checking the CPU's features (`TensorKernels.wideKernelsAvailable`) and otherwise uses its portable kernels.
// For the same reason the module holds no global state and no types, only functions over raw pointers.
// x86-64 only: on other architectures the module is empty (Package.swift passes the AVX-512 flags on Linux).
#if arch(x86_64)

/// Sixteen lanes: one AVX-512 register.
public typealias Lanes = SIMD16<Float>

// Lane-wise min/max are written as compare-and-replace: the standard library's `pointwiseMin`/`clamped` handle NaN
// lane by lane and compile to scalar code.

/// `a · b + c` with one rounding.
@inline(__always)
func fma(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
    c.addingProduct(a, b)
}

@inline(__always)
func load(_ p: UnsafePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always)
func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}

/// `e^x` lane by lane, within 2 ulp over the range the kernels use (`x < −87` gives ≈ 1e-38, `x > 88` saturates).
/// Same method as `TensorKernels.exp`: `x = n·ln 2 + r` (Cody–Waite, two-part ln 2), degree-7 Taylor polynomial of
/// `e^r` on `|r| ≤ ln 2 / 2`, and `2^n` built in the exponent bits; `n` is rounded by adding 1.5·2²³ and read back
/// from the low mantissa bits.
@inline(__always)
public func wideExp(_ x: Lanes) -> Lanes {
    let high = Lanes(repeating: 88)
    return wideExpUpTo88(x.replacing(with: high, where: x .> high))
}

/// ``wideExp(_:)`` for lanes that cannot exceed 88, without the upper clamp: softmax's `x − max ≤ 0` and erfc's
/// `−a² + P(t) ≤ 0`, where a compare and a blend are a tenth of the work.
@inline(__always)
public func wideExpUpTo88(_ x: Lanes) -> Lanes {
    let low = Lanes(repeating: -87)
    let x = x.replacing(with: low, where: x .< low)
    let shifted = fma(x, Lanes(repeating: 1.442_695_04), Lanes(repeating: 12_582_912))
    let n = shifted - 12_582_912
    var r = x.addingProduct(-n, Lanes(repeating: 0.693_145_751_953_125))
    r = r.addingProduct(-n, Lanes(repeating: 1.428_606_765_330_187e-6))
    var p = Lanes(repeating: 1.0 / 5040)
    p = fma(p, r, Lanes(repeating: 1.0 / 720))
    p = fma(p, r, Lanes(repeating: 1.0 / 120))
    p = fma(p, r, Lanes(repeating: 1.0 / 24))
    p = fma(p, r, Lanes(repeating: 1.0 / 6))
    p = fma(p, r, Lanes(repeating: 0.5))
    p = fma(p, r, Lanes(repeating: 1))
    p = fma(p, r, Lanes(repeating: 1))
    let bits = unsafeBitCast(shifted, to: SIMD16<UInt32>.self)
    let scale = unsafeBitCast((bits &- 0x4B40_0000 &+ 127) &<< 23, to: Lanes.self)
    return p * scale
}

/// `erfc(a)` for `a ≥ 0` lane by lane, relative error below 1.2e-7: `t · exp(−a² + P(t))`, `t = 1 / (1 + a/2)`,
/// with the degree-9 Chebyshev fit `P` of Numerical Recipes' `erfcc` (the same as `TensorKernels.erfcNonNegative`).
@inline(__always)
public func wideErfcNonNegative(_ a: Lanes) -> Lanes {
    let t = 1 / fma(a, Lanes(repeating: 0.5), Lanes(repeating: 1))
    var p = Lanes(repeating: 0.170_872_77)
    p = fma(p, t, Lanes(repeating: -0.822_152_23))
    p = fma(p, t, Lanes(repeating: 1.488_515_87))
    p = fma(p, t, Lanes(repeating: -1.135_203_98))
    p = fma(p, t, Lanes(repeating: 0.278_868_07))
    p = fma(p, t, Lanes(repeating: -0.186_288_06))
    p = fma(p, t, Lanes(repeating: 0.096_784_18))
    p = fma(p, t, Lanes(repeating: 0.374_091_96))
    p = fma(p, t, Lanes(repeating: 1.000_023_68))
    p = fma(p, t, Lanes(repeating: -1.265_512_23))
    return t * wideExpUpTo88(fma(-a, a, p))
}

/// Exact (erf) GELU lane by lane: `x · ½ · (1 + erf(x/√2))`, with `1 + erf(z)` evaluated as `erfc(−z)` for `z < 0`
/// and `2 − erfc(z)` otherwise (no cancellation; absolute error below 4e-7).
@inline(__always)
public func wideGELU(_ x: Lanes) -> Lanes {
    let z = x * 0.707_106_781_186_547_5
    let negative = z .< 0
    let e = wideErfcNonNegative(z.replacing(with: -z, where: negative))
    let onePlusErf = (2 - e).replacing(with: e, where: negative)
    return x * 0.5 * onePlusErf
}

/// `x[r, c] = gelu(x[r, c] + bias[c])` over a rows×width block (`bias` may be nil).
public func addBiasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>?) {
    let vectorWidth = width & ~15
    for r in 0..<rows {
        let row = x + r * width
        var c = 0
        while c < vectorWidth {
            var y = load(row + c)
            if let bias { y += load(bias + c) }
            store(wideGELU(y), row + c)
            c += 16
        }
        if c < width { applyToTail(row + c, count: width - c, bias: bias.map { $0 + c }, wideGELU) }
    }
}

/// Applies a lane-wise function to `count < 16` values (plus `bias`), through one partly filled vector.
@inline(__always)
func applyToTail(_ p: UnsafeMutablePointer<Float>, count: Int, bias: UnsafePointer<Float>?, _ f: (Lanes) -> Lanes) {
    var v = Lanes()
    for k in 0..<count { v[k] = p[k] + (bias?[k] ?? 0) }
    let y = f(v)
    for k in 0..<count { p[k] = y[k] }
}

/// Softmax of each row of a rows×width block, in place (max-subtracted, so it never overflows).
public func softmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    guard width > 0 else { return }
    let vectorWidth = width & ~15, tail = width - vectorWidth
    for r in 0..<rows {
        let row = x + r * width
        // Maximum.
        var m = Lanes(repeating: row[0])
        var c = 0
        while c < vectorWidth { let y = load(row + c); m = m.replacing(with: y, where: y .> m); c += 16 }
        var mx = m.max()
        for k in vectorWidth..<width { mx = Swift.max(mx, row[k]) }
        // Exponentials and their sum.
        let shift = Lanes(repeating: mx)
        var s = Lanes()
        c = 0
        while c < vectorWidth {
            let e = wideExp(load(row + c) - shift)
            store(e, row + c)
            s += e
            c += 16
        }
        var total = s.sum()
        if tail > 0 {
            var v = Lanes(repeating: -100)  // exp(-87) after clamping: ≈ 1.6e-38, and these lanes are dropped
            for k in 0..<tail { v[k] = row[vectorWidth + k] }
            let e = wideExp(v - shift)
            for k in 0..<tail { row[vectorWidth + k] = e[k]; total += e[k] }
        }
        // Normalise.
        let inverse = Lanes(repeating: 1 / total)
        c = 0
        while c < vectorWidth { store(load(row + c) * inverse, row + c); c += 16 }
        let scalarInverse = 1 / total
        for k in vectorWidth..<width { row[k] *= scalarInverse }
    }
}

/// Softmax numerators of each row, in place: `x[r, c] = e^(x[r, c] − max_c x[r, c])` for `c < width`, rows `stride`
/// floats apart, and `inverseSums[r] = 1 / Σ_c x[r, c]` — the division is left to the caller, who scales the (much
/// narrower) product the rows are multiplied into. `stride` is a multiple of 16 and at least `width`, so every row is
/// whole vectors: the padding after each row's `width` values is overwritten (with values near zero).
public func softmaxNumerators(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                              inverseSums: UnsafeMutablePointer<Float>) {
    guard width > 0 else { return }
    let end = (width + 15) & ~15, last = end - 16
    let lane = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let padding = lane .>= SIMD16<Int32>(repeating: Int32(width - last))
    let lowest = Lanes(repeating: -Float.greatestFiniteMagnitude)
    for r in 0..<rows {
        let row = x + r * stride
        // Padding lanes can never be the maximum, and their exponentials (clamped at e^-87) vanish in the sum.
        store(load(row + last).replacing(with: lowest, where: padding), row + last)
        var m = load(row)
        var c = 16
        while c < end { let y = load(row + c); m = m.replacing(with: y, where: y .> m); c += 16 }
        let shift = Lanes(repeating: m.max())
        var s = Lanes()
        c = 0
        while c < end {
            let e = wideExpUpTo88(load(row + c) - shift)
            store(e, row + c)
            s += e
            c += 16
        }
        inverseSums[r] = 1 / s.sum()
    }
}

/// `x[r, c] *= factors[r]` for `c < width`, rows `stride` floats apart.
public func scaleRows(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                      factors: UnsafePointer<Float>) {
    let vectorWidth = width & ~15
    for r in 0..<rows {
        let row = x + r * stride
        let f = Lanes(repeating: factors[r])
        var c = 0
        while c < vectorWidth { store(load(row + c) * f, row + c); c += 16 }
        while c < width { row[c] *= factors[r]; c += 1 }
    }
}

/// Residual connection and LayerNorm in one pass over each row:
/// `output[r] = LayerNorm(input[r] + bias + residual[r]) · gamma + beta`, biased variance, `epsilon` inside the
/// square root (PyTorch's definition). `input` is used as scratch; `output` may alias `residual`. With `refill`,
/// each row of `input` is then overwritten with `refill` (`width` values) while it is still in cache — the next
/// product into `input` accumulates onto it (its bias), which saves BLAS a separate pass to zero its output.
public func addLayerNorm(_ input: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                         residual: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
                         rows: Int, width: Int, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                         epsilon: Float, refill: UnsafePointer<Float>? = nil) {
    let vectorWidth = width & ~15
    let inverseWidth = 1 / Float(width)
    for r in 0..<rows {
        let v = input + r * width
        let res = residual.map { $0 + r * width }
        // Sum the parts and accumulate the row sum.
        var s = Lanes()
        var c = 0
        while c < vectorWidth {
            var y = load(v + c)
            if let bias { y += load(bias + c) }
            if let res { y += load(res + c) }
            store(y, v + c)
            s += y
            c += 16
        }
        var total = s.sum()
        for k in vectorWidth..<width {
            v[k] += (bias?[k] ?? 0) + (res?[k] ?? 0)
            total += v[k]
        }
        let mean = total * inverseWidth
        // Variance about the mean (two-pass, as accurate as PyTorch's).
        let meanLanes = Lanes(repeating: mean)
        var q = Lanes()
        c = 0
        while c < vectorWidth { let d = load(v + c) - meanLanes; q = q.addingProduct(d, d); c += 16 }
        var squares = q.sum()
        for k in vectorWidth..<width { let d = v[k] - mean; squares += d * d }
        let scale = 1 / (squares * inverseWidth + epsilon).squareRoot()
        let out = output + r * width
        let scaleLanes = Lanes(repeating: scale)
        c = 0
        while c < vectorWidth {
            let y = (load(v + c) - meanLanes) * scaleLanes
            store(fma(y, load(gamma + c), load(beta + c)), out + c)
            c += 16
        }
        for k in vectorWidth..<width { out[k] = (v[k] - mean) * scale * gamma[k] + beta[k] }
        if let refill { v.update(from: refill, count: width) }
    }
}
#endif
