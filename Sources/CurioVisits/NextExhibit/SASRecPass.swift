import CurioMath
import Foundation

/// Zero-initialised float buffers owned together and freed together.
final class FloatArena {
    private var pointers: [UnsafeMutablePointer<Float>] = []

    func make(_ count: Int) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
        pointers.append(p)
        return p
    }

    deinit { for p in pointers { p.deallocate() } }
}

/// One forward (and optionally backward) pass of SASRec over a batch of right-padded item sequences.
///
/// Architecture (pre-layer-norm Transformer decoder, single head):
///
///     x₀ = dropout(E[s]·√d + P[pos]) ⊙ m
///     per block:  h = LN₁(x);  Q, K, V = h·W{q,k,v} + b{q,k,v}
///                 A = softmax(QKᵀ/√d, causal);  x₁ = x + dropout(A·V)
///                 h₂ = LN₂(x₁);  x = (x₁ + dropout(ReLU(h₂W₁ + b₁)W₂ + b₂)) ⊙ m
///     z = LN_f(x);  logits = z·Eᵀ (item embeddings shared with the input)
///
/// `m` masks padding positions. The loss is the mean cross-entropy of the true next item over all items not yet
/// seen in the sequence (full softmax) at every position that has a target. The backward pass is written out by hand; matrix products go
/// through BLAS sgemm. Not thread-safe: one pass object per thread.
final class SASRecPass {
    struct BlockBuffers {
        var xhat1, rstd1, h, q, k, v, att, o, drop1, x1, xhat2, rstd2, h2, u, r, f, drop2, out: UnsafeMutablePointer<Float>
    }

    let layout: SASRecLayout
    let batch: Int
    let rows: Int
    private let arena = FloatArena()
    /// Item index + 1 per slot (0 = padding), and the next item (+1) to predict (0 = none).
    var ids: [Int32]
    var targets: [Int32]
    /// Valid length of each sequence (slots 0..<length are items).
    var lengths: [Int]
    private let x0, drop0, xhatF, rstdF, z, logits: UnsafeMutablePointer<Float>
    /// Per-block activations (internal so that tests can check for ReLU kinks).
    var blocks: [BlockBuffers] = []
    // Backward scratch.
    private let dx, dxIn, dz, g, df, dr, du, dh, dq, dk, dv, dAtt: UnsafeMutablePointer<Float>
    private(set) var targetCount = 0

    init(layout: SASRecLayout, batch: Int) {
        self.layout = layout
        self.batch = batch
        rows = batch * layout.length
        let T = rows, d = layout.d, L = layout.length
        ids = [Int32](repeating: 0, count: T)
        targets = [Int32](repeating: 0, count: T)
        lengths = [Int](repeating: 0, count: batch)
        x0 = arena.make(T * d)
        drop0 = arena.make(T * d)
        xhatF = arena.make(T * d)
        rstdF = arena.make(T)
        z = arena.make(T * d)
        logits = arena.make(T * layout.classes)
        for _ in layout.blocks {
            blocks.append(BlockBuffers(
                xhat1: arena.make(T * d), rstd1: arena.make(T), h: arena.make(T * d), q: arena.make(T * d),
                k: arena.make(T * d), v: arena.make(T * d), att: arena.make(batch * L * L), o: arena.make(T * d),
                drop1: arena.make(T * d), x1: arena.make(T * d), xhat2: arena.make(T * d), rstd2: arena.make(T),
                h2: arena.make(T * d), u: arena.make(T * d), r: arena.make(T * d), f: arena.make(T * d),
                drop2: arena.make(T * d), out: arena.make(T * d)))
        }
        dx = arena.make(T * d)
        dxIn = arena.make(T * d)
        dz = arena.make(T * d)
        g = arena.make(T * d)
        df = arena.make(T * d)
        dr = arena.make(T * d)
        du = arena.make(T * d)
        dh = arena.make(T * d)
        dq = arena.make(T * d)
        dk = arena.make(T * d)
        dv = arena.make(T * d)
        dAtt = arena.make(L * L)
    }

    /// Loads sequences (vocabulary indices, at most `length` each) and their next items (same length, -1 = none).
    func load(_ sequences: [[Int]], next: [[Int]]) {
        let L = layout.length
        for i in 0..<rows {
            ids[i] = 0
            targets[i] = 0
        }
        targetCount = 0
        for b in 0..<batch {
            let seq = b < sequences.count ? sequences[b] : []
            lengths[b] = min(seq.count, L)
            for (t, item) in seq.prefix(L).enumerated() {
                ids[b * L + t] = Int32(item + 1)
                if b < next.count, t < next[b].count, next[b][t] >= 0 {
                    targets[b * L + t] = Int32(next[b][t] + 1)
                    targetCount += 1
                }
            }
        }
    }

    // MARK: Forward

    /// Runs the network; with `dropout > 0` draws fresh dropout masks from `rng`.
    func forward(_ P: UnsafePointer<Float>, dropout: Float, rng: inout SeededRandom) {
        let d = layout.d, L = layout.length, T = rows
        let scale = Float(d).squareRoot()
        let keep = 1 / (1 - dropout)
        for t in 0..<T {
            let id = Int(ids[t])
            let row = x0 + t * d, mask = drop0 + t * d
            if id == 0 {
                for j in 0..<d { row[j] = 0; mask[j] = 0 }
                continue
            }
            let e = P + layout.embedding + id * d, p = P + layout.position + (t % L) * d
            for j in 0..<d {
                let m: Float = dropout > 0 ? (rng.nextFloat() < dropout ? 0 : keep) : 1
                mask[j] = m
                row[j] = (e[j] * scale + p[j]) * m
            }
        }
        var x = UnsafeMutablePointer(mutating: x0)
        let inv = 1 / scale
        for (kb, k) in layout.blocks.enumerated() {
            let bb = blocks[kb]
            Self.layerNorm(x, rows: T, d: d, gain: P + k.ln1Gain, bias: P + k.ln1Bias, out: bb.h, xhat: bb.xhat1, rstd: bb.rstd1)
            Self.affine(bb.h, P + k.wq, P + k.bq, bb.q, rows: T, d: d)
            Self.affine(bb.h, P + k.wk, P + k.bk, bb.k, rows: T, d: d)
            Self.affine(bb.h, P + k.wv, P + k.bv, bb.v, rows: T, d: d)
            for b in 0..<batch {
                let base = b * L * d
                let att = bb.att + b * L * L
                let n = lengths[b]
                BLAS.sgemm(transB: true, m: L, n: L, k: d, alpha: inv, a: bb.q + base, b: bb.k + base, c: att)
                for i in 0..<L {
                    let row = att + i * L
                    guard i < n else {
                        for j in 0..<L { row[j] = 0 }
                        continue
                    }
                    var maximum = -Float.infinity
                    for j in 0...i { maximum = max(maximum, row[j]) }
                    var sum: Float = 0
                    for j in 0...i {
                        row[j] = expf(row[j] - maximum)
                        sum += row[j]
                    }
                    for j in 0...i { row[j] /= sum }
                    for j in (i + 1)..<L { row[j] = 0 }
                }
                BLAS.sgemm(m: L, n: d, k: L, a: att, b: bb.v + base, c: bb.o + base)
            }
            for i in 0..<(T * d) {
                let m: Float = dropout > 0 ? (rng.nextFloat() < dropout ? 0 : keep) : 1
                bb.drop1[i] = m
                bb.x1[i] = x[i] + bb.o[i] * m
            }
            Self.layerNorm(bb.x1, rows: T, d: d, gain: P + k.ln2Gain, bias: P + k.ln2Bias, out: bb.h2, xhat: bb.xhat2, rstd: bb.rstd2)
            Self.affine(bb.h2, P + k.w1, P + k.b1, bb.u, rows: T, d: d)
            for i in 0..<(T * d) { bb.r[i] = max(bb.u[i], 0) }
            Self.affine(bb.r, P + k.w2, P + k.b2, bb.f, rows: T, d: d)
            for t in 0..<T {
                let valid: Float = ids[t] == 0 ? 0 : 1
                for j in 0..<d {
                    let i = t * d + j
                    let m: Float = dropout > 0 ? (rng.nextFloat() < dropout ? 0 : keep) : 1
                    bb.drop2[i] = m
                    bb.out[i] = (bb.x1[i] + bb.f[i] * m) * valid
                }
            }
            x = bb.out
        }
        Self.layerNorm(x, rows: T, d: d, gain: P + layout.finalGain, bias: P + layout.finalBias, out: z, xhat: xhatF, rstd: rstdF)
    }

    /// The final hidden state at slot `row` (after ``forward(_:dropout:rng:)``).
    func hidden(row: Int) -> UnsafePointer<Float> { UnsafePointer(z + row * layout.d) }

    /// Scores of every item (vocabulary order) at slot `row`: the hidden state against each item embedding.
    func itemScores(_ P: UnsafePointer<Float>, row: Int) -> [Float] {
        let d = layout.d, n = layout.classes - 1
        var out = [Float](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { o in
            BLAS.sgemv(m: n, n: d, a: P + layout.embedding + d, x: z + row * d, y: o.baseAddress!)
        }
        return out
    }

    // MARK: Loss

    /// Mean cross-entropy over slots with a target (full softmax over items); leaves d(loss)/d(logits) in place.
    func loss(_ P: UnsafePointer<Float>) -> Double {
        let d = layout.d, C = layout.classes, T = rows, L = layout.length
        BLAS.sgemm(transB: true, m: T, n: C, k: d, a: z, b: P + layout.embedding, c: logits)
        var total = 0.0
        let count = Float(max(1, targetCount))
        for t in 0..<T {
            let row = logits + t * C
            let y = Int(targets[t])
            guard y > 0 else {
                for j in 0..<C { row[j] = 0 }
                continue
            }
            // Items already seen earlier in this visit cannot be next (visits rarely double back, and evaluation
            // and serving exclude them): mask them out of the softmax.
            let start = t - t % L
            for s in start...t where ids[s] > 0 && Int(ids[s]) != y { row[Int(ids[s])] = -.infinity }
            var maximum = -Float.infinity
            for j in 1..<C { maximum = max(maximum, row[j]) }
            var sum: Float = 0
            for j in 1..<C {
                row[j] = expf(row[j] - maximum)
                sum += row[j]
            }
            total -= Double(logf(row[y] / sum))
            row[0] = 0
            for j in 1..<C { row[j] = row[j] / sum / count }
            row[y] -= 1 / count
        }
        return total / Double(max(1, targetCount))
    }

    // MARK: Backward

    /// Accumulates d(loss)/d(parameters) into `G` (after ``loss(_:)``).
    func backward(_ P: UnsafePointer<Float>, _ G: UnsafeMutablePointer<Float>) {
        let d = layout.d, C = layout.classes, T = rows, L = layout.length
        let scale = Float(d).squareRoot(), inv = 1 / scale
        // Output layer: logits = z·Eᵀ.
        BLAS.sgemm(m: T, n: d, k: C, a: logits, b: P + layout.embedding, c: dz)
        BLAS.sgemm(transA: true, m: C, n: d, k: T, a: logits, b: z, beta: 1, c: G + layout.embedding)
        clear(dx, T * d)
        Self.layerNormBackward(dz, rows: T, d: d, gain: P + layout.finalGain, xhat: xhatF, rstd: rstdF,
                               dx: dx, dGain: G + layout.finalGain, dBias: G + layout.finalBias)
        for kb in stride(from: layout.blocks.count - 1, through: 0, by: -1) {
            let k = layout.blocks[kb], bb = blocks[kb]
            // out = (x1 + f ⊙ drop2) ⊙ valid
            for t in 0..<T {
                let valid: Float = ids[t] == 0 ? 0 : 1
                for j in 0..<d { g[t * d + j] = dx[t * d + j] * valid }
            }
            for i in 0..<(T * d) { df[i] = g[i] * bb.drop2[i] }
            // f = r·W2 + b2
            BLAS.sgemm(transB: true, m: T, n: d, k: d, a: df, b: P + k.w2, c: dr)
            BLAS.sgemm(transA: true, m: d, n: d, k: T, a: bb.r, b: df, beta: 1, c: G + k.w2)
            Self.columnSums(df, rows: T, d: d, into: G + k.b2)
            // r = relu(u), u = h2·W1 + b1
            for i in 0..<(T * d) { du[i] = bb.u[i] > 0 ? dr[i] : 0 }
            BLAS.sgemm(transB: true, m: T, n: d, k: d, a: du, b: P + k.w1, c: dh)
            BLAS.sgemm(transA: true, m: d, n: d, k: T, a: bb.h2, b: du, beta: 1, c: G + k.w1)
            Self.columnSums(du, rows: T, d: d, into: G + k.b1)
            // x1 feeds both the residual (g) and LN2.
            for i in 0..<(T * d) { dxIn[i] = g[i] }
            Self.layerNormBackward(dh, rows: T, d: d, gain: P + k.ln2Gain, xhat: bb.xhat2, rstd: bb.rstd2,
                                   dx: dxIn, dGain: G + k.ln2Gain, dBias: G + k.ln2Bias)
            // dxIn now holds d/dx1; x1 = x + o ⊙ drop1.
            for i in 0..<(T * d) { g[i] = dxIn[i] * bb.drop1[i] }  // g := d/do
            for b in 0..<batch {
                let base = b * L * d
                let att = bb.att + b * L * L
                let n = lengths[b]
                // o = A·V
                BLAS.sgemm(transB: true, m: L, n: L, k: d, a: g + base, b: bb.v + base, c: dAtt)
                BLAS.sgemm(transA: true, m: L, n: d, k: L, a: att, b: g + base, c: dv + base)
                // softmax backward, causal rows only
                for i in 0..<L {
                    let a = att + i * L, da = dAtt + i * L
                    guard i < n else {
                        for j in 0..<L { da[j] = 0 }
                        continue
                    }
                    var dot: Float = 0
                    for j in 0...i { dot += a[j] * da[j] }
                    for j in 0...i { da[j] = a[j] * (da[j] - dot) }
                    for j in (i + 1)..<L { da[j] = 0 }
                }
                BLAS.sgemm(m: L, n: d, k: L, alpha: inv, a: dAtt, b: bb.k + base, c: dq + base)
                BLAS.sgemm(transA: true, m: L, n: d, k: L, alpha: inv, a: dAtt, b: bb.q + base, c: dk + base)
            }
            // Q, K, V = h·W + b
            BLAS.sgemm(transB: true, m: T, n: d, k: d, a: dq, b: P + k.wq, c: dh)
            BLAS.sgemm(transB: true, m: T, n: d, k: d, a: dk, b: P + k.wk, beta: 1, c: dh)
            BLAS.sgemm(transB: true, m: T, n: d, k: d, a: dv, b: P + k.wv, beta: 1, c: dh)
            BLAS.sgemm(transA: true, m: d, n: d, k: T, a: bb.h, b: dq, beta: 1, c: G + k.wq)
            BLAS.sgemm(transA: true, m: d, n: d, k: T, a: bb.h, b: dk, beta: 1, c: G + k.wk)
            BLAS.sgemm(transA: true, m: d, n: d, k: T, a: bb.h, b: dv, beta: 1, c: G + k.wv)
            Self.columnSums(dq, rows: T, d: d, into: G + k.bq)
            Self.columnSums(dk, rows: T, d: d, into: G + k.bk)
            Self.columnSums(dv, rows: T, d: d, into: G + k.bv)
            // x feeds the residual (dxIn) and LN1.
            Self.layerNormBackward(dh, rows: T, d: d, gain: P + k.ln1Gain, xhat: bb.xhat1, rstd: bb.rstd1,
                                   dx: dxIn, dGain: G + k.ln1Gain, dBias: G + k.ln1Bias)
            for i in 0..<(T * d) { dx[i] = dxIn[i] }
        }
        // x0 = (E[s]·√d + P[pos]) ⊙ drop0
        for t in 0..<T {
            let id = Int(ids[t])
            guard id > 0 else { continue }
            let ge = G + layout.embedding + id * d, gp = G + layout.position + (t % L) * d
            for j in 0..<d {
                let v = dx[t * d + j] * drop0[t * d + j]
                ge[j] += v * scale
                gp[j] += v
            }
        }
    }

    private func clear(_ p: UnsafeMutablePointer<Float>, _ n: Int) { p.update(repeating: 0, count: n) }

    // MARK: Kernels

    /// out = x·W + b for T rows of width d (W is d×d, row-major, applied on the right).
    static func affine(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                       _ out: UnsafeMutablePointer<Float>, rows: Int, d: Int) {
        for t in 0..<rows { for j in 0..<d { out[t * d + j] = b[j] } }
        BLAS.sgemm(m: rows, n: d, k: d, a: x, b: w, beta: 1, c: out)
    }

    static let epsilon: Float = 1e-6

    static func layerNorm(_ x: UnsafePointer<Float>, rows: Int, d: Int, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                          out: UnsafeMutablePointer<Float>, xhat: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>) {
        let n = Float(d)
        for t in 0..<rows {
            let row = x + t * d
            var mean: Float = 0
            for j in 0..<d { mean += row[j] }
            mean /= n
            var variance: Float = 0
            for j in 0..<d {
                let c = row[j] - mean
                variance += c * c
            }
            variance /= n
            let r = 1 / (variance + epsilon).squareRoot()
            rstd[t] = r
            for j in 0..<d {
                let h = (row[j] - mean) * r
                xhat[t * d + j] = h
                out[t * d + j] = h * gain[j] + bias[j]
            }
        }
    }

    /// Adds d(loss)/dx to `dx` and accumulates the gain and bias gradients.
    static func layerNormBackward(_ dy: UnsafePointer<Float>, rows: Int, d: Int, gain: UnsafePointer<Float>,
                                  xhat: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                  dGain: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>) {
        let n = Float(d)
        for t in 0..<rows {
            var meanDh: Float = 0, meanDhX: Float = 0
            for j in 0..<d {
                let i = t * d + j
                let dh = dy[i] * gain[j]
                meanDh += dh
                meanDhX += dh * xhat[i]
                dGain[j] += dy[i] * xhat[i]
                dBias[j] += dy[i]
            }
            meanDh /= n
            meanDhX /= n
            let r = rstd[t]
            for j in 0..<d {
                let i = t * d + j
                dx[i] += r * (dy[i] * gain[j] - meanDh - xhat[i] * meanDhX)
            }
        }
    }

    static func columnSums(_ x: UnsafePointer<Float>, rows: Int, d: Int, into out: UnsafeMutablePointer<Float>) {
        for t in 0..<rows { for j in 0..<d { out[j] += x[t * d + j] } }
    }
}
