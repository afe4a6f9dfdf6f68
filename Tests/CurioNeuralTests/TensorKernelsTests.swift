import Foundation
import Testing
@testable import CurioNeural

@Suite("Transformer kernels")
struct TensorKernelsTests {
    @Test func expIsAccurateOverTheFloatRange() {
        var worst: Double = 0
        var x: Float = -87
        while x <= 88 {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, Swift.abs(Double(TensorKernels.exp(x)) - exact) / exact)
            x += 0.0137
        }
        #expect(worst < 3e-7, "worst relative error \(worst)")
        #expect(TensorKernels.exp(-1000) < 1e-37)
        #expect(TensorKernels.exp(0) == 1)
    }

    @Test func geluMatchesTheExactErfFormula() {
        var worstAbsolute: Double = 0, worstRelative: Double = 0, worstErf: Double = 0
        var x: Float = -12
        while x <= 12 {
            let exact = 0.5 * Double(x) * Foundation.erfc(-Double(x) / 2.0.squareRoot())
            let error = Swift.abs(Double(TensorKernels.gelu(x)) - exact)
            worstAbsolute = max(worstAbsolute, error)
            if Swift.abs(x) <= 3 && exact != 0 { worstRelative = max(worstRelative, error / Swift.abs(exact)) }
            worstErf = max(worstErf, Swift.abs(Double(TensorKernels.erf(x)) - Foundation.erf(Double(x))))
            x += 0.000_37
        }
        #expect(worstAbsolute < 4e-7, "gelu absolute error \(worstAbsolute)")
        #expect(worstRelative < 2e-6, "gelu relative error \(worstRelative)")
        #expect(worstErf < 4e-7, "erf error \(worstErf)")
        #expect(TensorKernels.gelu(0) == 0)
        // The tanh approximation differs from the erf form by up to ~1e-3 near x = ±2; make sure we are not it.
        let tanhForm = 0.5 * 2.0 * (1 + tanh(0.797_884_56 * (2.0 + 0.044_715 * 8.0)))
        #expect(Swift.abs(Double(TensorKernels.gelu(2)) - 1.954_499_7) < 1e-6 && Swift.abs(tanhForm - 1.954_499_7) > 1e-5)
    }

    @Test func softmaxRowsSumToOneAndSurviveLargeInputs() {
        var x: [Float] = [1, 2, 3, 1000, 1000, -1000, 0.5, 0.5, 0.5]
        x.withUnsafeMutableBufferPointer { TensorKernels.softmaxRows($0.baseAddress!, rows: 3, width: 3) }
        for r in 0..<3 { #expect(Swift.abs(x[(r * 3)..<(r * 3 + 3)].reduce(0, +) - 1) < 1e-6) }
        #expect(Swift.abs(x[3] - 0.5) < 1e-6)
        #expect(x[5] < 1e-30)
        #expect(Swift.abs(x[2] - 0.665_240_96) < 1e-6)
    }

    @Test func layerNormWithBiasAndResidual() {
        var input: [Float] = [1, 2, 3, 4]
        let bias: [Float] = [1, 1, 1, 1]
        var residual: [Float] = [0, 0, 0, 4]   // row becomes 2, 3, 4, 9
        let gamma: [Float] = [1, 1, 2, 1], beta: [Float] = [0, 0, 0, 1]
        input.withUnsafeMutableBufferPointer { i in
            residual.withUnsafeMutableBufferPointer { r in
                TensorKernels.addLayerNorm(i.baseAddress!, bias: bias, residual: r.baseAddress!, output: r.baseAddress!,
                                           rows: 1, width: 4, gamma: gamma, beta: beta, epsilon: 1e-12)
            }
        }
        let values: [Double] = [2, 3, 4, 9]
        let mean = values.reduce(0, +) / 4
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4).squareRoot()
        let expected = zip(values, [(1.0, 0.0), (1, 0), (2, 0), (1, 1)]).map { ($0 - mean) / sd * $1.0 + $1.1 }
        for k in 0..<4 { #expect(Swift.abs(Double(residual[k]) - expected[k]) < 1e-5) }
    }

    @Test func l2NormalisationLeavesZeroVectorsAlone() {
        var v: [Float] = [3, 4], zero: [Float] = [0, 0]
        v.withUnsafeMutableBufferPointer { TensorKernels.normalizeL2($0.baseAddress!, count: 2) }
        zero.withUnsafeMutableBufferPointer { TensorKernels.normalizeL2($0.baseAddress!, count: 2) }
        #expect(v == [0.6, 0.8])
        #expect(zero == [0, 0])
    }
}
