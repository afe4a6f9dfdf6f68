#if arch(x86_64)
import CurioNeuralAVX512
import Foundation
import Testing
@testable import CurioNeural

/// The AVX-512 kernels against Foundation's `exp`/`erfc` and against the portable kernels. Skipped on CPUs without
/// AVX-512 (where the encoder does not use them either).
@Suite("AVX-512 kernels", .enabled(if: TensorKernels.wideKernelsAvailable, "no AVX-512 on this CPU, or CURIO_PORTABLE_KERNELS=1"))
struct WideKernelsTests {
    /// Deterministic values in `range` (a linear congruential sequence).
    static func values(_ count: Int, in range: ClosedRange<Float>, seed: UInt32 = 7) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return range.lowerBound + (range.upperBound - range.lowerBound) * Float(state >> 8) / Float(1 << 24)
        }
    }

    @Test func wideExpIsAccurateOverTheFloatRange() {
        var worst: Double = 0
        var x: Float = -87
        while x <= 88 {
            let lanes = Lanes((0..<16).map { x + Float($0) * 0.000_9 })
            let e = wideExp(lanes)
            for k in 0..<16 where lanes[k] <= 88 {  // above 88 the kernel saturates by design
                let exact = Foundation.exp(Double(lanes[k]))
                worst = max(worst, Swift.abs(Double(e[k]) - exact) / exact)
            }
            x += 0.0137
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
        let edges = wideExp(Lanes([-1000, -88, 0, 89, 1000, 1, -1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(edges[0] < 1e-37 && edges[1] < 1e-37)
        #expect(edges[2] == 1)
        #expect(edges[3].isFinite && edges[4].isFinite && edges[4] > 1e38)
    }

    @Test func wideGELUMatchesTheExactErfFormula() {
        var worstAbsolute: Double = 0, worstRelative: Double = 0
        var x: Float = -12
        while x <= 12 {
            let lanes = Lanes((0..<16).map { x + Float($0) * 0.000_023 })
            let g = wideGELU(lanes)
            for k in 0..<16 {
                let exact = 0.5 * Double(lanes[k]) * Foundation.erfc(-Double(lanes[k]) / 2.0.squareRoot())
                let error = Swift.abs(Double(g[k]) - exact)
                worstAbsolute = max(worstAbsolute, error)
                if Swift.abs(lanes[k]) <= 3 && exact != 0 { worstRelative = max(worstRelative, error / Swift.abs(exact)) }
            }
            x += 0.000_37
        }
        #expect(worstAbsolute < 4e-7, "gelu absolute error \(worstAbsolute)")
        #expect(worstRelative < 2e-6, "gelu relative error \(worstRelative)")
        #expect(wideGELU(Lanes(repeating: 0)) == Lanes(repeating: 0))
        #expect(Swift.abs(wideGELU(Lanes(repeating: 2))[0] - 1.954_499_7) < 1e-6)
    }

    @Test(arguments: [1, 7, 16, 18, 33, 1536])
    func addBiasGELUMatchesThePortableKernelWithAndWithoutBias(width: Int) {
        let rows = 3
        let input = Self.values(rows * width, in: -6...6), bias = Self.values(width, in: -1...1, seed: 11)
        for withBias in [true, false] {
            var wide = input, portable = input
            bias.withUnsafeBufferPointer { b in
                let b = withBias ? b.baseAddress : nil
                wide.withUnsafeMutableBufferPointer { CurioNeuralAVX512.addBiasGELU($0.baseAddress!, rows: rows, width: width, bias: b) }
                portable.withUnsafeMutableBufferPointer {
                    TensorKernels.portableAddBiasGELU($0.baseAddress!, rows: rows, width: width, bias: b)
                }
            }
            let worst = zip(wide, portable).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-6, "width \(width), bias \(withBias): differs by \(worst)")
        }
    }

    @Test(arguments: [1, 2, 9, 16, 18, 31, 128, 256])
    func softmaxMatchesThePortableKernel(width: Int) {
        let rows = 4
        var input = Self.values(rows * width, in: -30...30)
        input[0] = 1000  // an outlier must not overflow
        var wide = input, portable = input
        wide.withUnsafeMutableBufferPointer { CurioNeuralAVX512.softmaxRows($0.baseAddress!, rows: rows, width: width) }
        portable.withUnsafeMutableBufferPointer { TensorKernels.portableSoftmaxRows($0.baseAddress!, rows: rows, width: width) }
        let worst = zip(wide, portable).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-6, "width \(width): differs by \(worst)")
        for r in 0..<rows {
            let sum = wide[(r * width)..<((r + 1) * width)].reduce(0, +)
            #expect(Swift.abs(sum - 1) < 1e-5)
        }
    }

    @Test(arguments: [1, 9, 16, 17, 64, 129, 200])
    func softmaxNumeratorsOverPaddedRowsMatchThePortableKernel(width: Int) {
        let rows = 5, stride = (width + 15) & ~15
        var input = Self.values(rows * stride, in: -30...30)
        input[0] = 1000  // an outlier must not overflow
        var wide = input, portable = input
        var wideSums = [Float](repeating: 0, count: rows), portableSums = wideSums
        CurioNeuralAVX512.softmaxNumerators(&wide, rows: rows, width: width, stride: stride, inverseSums: &wideSums)
        TensorKernels.portableSoftmaxNumerators(&portable, rows: rows, width: width, stride: stride,
                                                inverseSums: &portableSums)
        for r in 0..<rows {
            // Scaled by the inverse sums, each row is the softmax of its `width` inputs (the padding is ignored).
            let row = Array(input[(r * stride)..<(r * stride + width)])
            let m = row.max()!
            let total = row.reduce(0.0) { $0 + Foundation.exp(Double($1 - m)) }
            for c in 0..<width {
                let exact = Foundation.exp(Double(row[c] - m)) / total
                let w = Double(wide[r * stride + c] * wideSums[r]), p = Double(portable[r * stride + c] * portableSums[r])
                #expect(Swift.abs(w - exact) < 1e-6 && Swift.abs(p - exact) < 1e-6, "width \(width), row \(r), column \(c)")
            }
        }
    }

    @Test func scaleRowsScalesOnlyTheGivenWidth() {
        let rows = 3, width = 20, stride = 24
        var x = Self.values(rows * stride, in: -2...2)
        let before = x, factors: [Float] = [2, 0.5, -1]
        CurioNeuralAVX512.scaleRows(&x, rows: rows, width: width, stride: stride, factors: factors)
        for r in 0..<rows {
            for c in 0..<stride {
                let expected = c < width ? before[r * stride + c] * factors[r] : before[r * stride + c]
                #expect(x[r * stride + c] == expected)
            }
        }
    }

    @Test func layerNormRefillsItsInputRowsAfterNormalising() {
        let rows = 4, width = 384
        let input = Self.values(rows * width, in: -4...4), residual = Self.values(rows * width, in: -2...2, seed: 3)
        let gamma = Self.values(width, in: 0.5...1.5, seed: 9), beta = Self.values(width, in: -0.2...0.2, seed: 13)
        let refill = Self.values(width, in: -1...1, seed: 17)
        var plainInput = input, refilledInput = input
        var plain = residual, refilled = residual
        CurioNeuralAVX512.addLayerNorm(&plainInput, bias: nil, residual: plain, output: &plain, rows: rows,
                                       width: width, gamma: gamma, beta: beta, epsilon: 1e-12)
        CurioNeuralAVX512.addLayerNorm(&refilledInput, bias: nil, residual: refilled, output: &refilled, rows: rows,
                                       width: width, gamma: gamma, beta: beta, epsilon: 1e-12, refill: refill)
        #expect(plain == refilled)
        for r in 0..<rows { #expect(Array(refilledInput[(r * width)..<((r + 1) * width)]) == refill) }
    }

    @Test(arguments: [4, 16, 21, 384])
    func layerNormMatchesThePortableKernel(width: Int) {
        let rows = 5
        let input = Self.values(rows * width, in: -4...4), residual = Self.values(rows * width, in: -2...2, seed: 3)
        let bias = Self.values(width, in: -1...1, seed: 5)
        let gamma = Self.values(width, in: 0.5...1.5, seed: 9), beta = Self.values(width, in: -0.2...0.2, seed: 13)
        var wideInput = input, portableInput = input
        var wide = [Float](repeating: 0, count: rows * width), portable = wide
        CurioNeuralAVX512.addLayerNorm(&wideInput, bias: bias, residual: residual, output: &wide, rows: rows,
                                       width: width, gamma: gamma, beta: beta, epsilon: 1e-12)
        TensorKernels.portableAddLayerNorm(&portableInput, bias: bias, residual: residual, output: &portable,
                                           rows: rows, width: width, gamma: gamma, beta: beta, epsilon: 1e-12)
        let worst = zip(wide, portable).map { Swift.abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-5, "width \(width): differs by \(worst)")
    }
}
#endif
