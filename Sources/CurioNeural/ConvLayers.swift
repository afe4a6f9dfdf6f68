import CurioMath

/// TensorFlow "SAME" padding for one spatial axis: the output has `ceil(input / stride)` positions and the
/// padding needed for that is split with the smaller half before (`total / 2`, rounded down) and the rest after.
struct SamePadding: Equatable {
    let output: Int
    let before: Int

    init(input: Int, kernel: Int, stride: Int) {
        output = (input + stride - 1) / stride
        let total = max((output - 1) * stride + kernel - input, 0)
        before = total / 2
    }
}

/// What happens to a convolution's output after the bias is added.
enum ConvActivation {
    case none
    case relu6
}

/// A 1×1 convolution over NHWC activations with batch norm folded in: one `sgemm` of the
/// `(images·height·width) × inChannels` activation matrix with the transposed `outChannels × inChannels`
/// weight matrix, then bias, activation and an optional residual in one pass.
struct PointwiseConv: Sendable {
    let inChannels: Int
    let outChannels: Int
    /// `outChannels × inChannels`, row-major.
    let weights: [Float]
    let bias: [Float]

    /// `output[p, :] = act(input[p, :] · Wᵀ + b) (+ residual[p, :])` for `pixels` rows.
    ///
    /// The rows are processed in chunks of about 256 KB of output, so that for each chunk the output is filled
    /// with the bias (plus the residual), the product accumulated onto it (`beta = 1`, which spares BLAS its
    /// zeroing pass) and the activation applied while it is still in cache.
    func apply(_ input: UnsafePointer<Float>, pixels: Int, output: UnsafeMutablePointer<Float>,
               activation: ConvActivation, residual: UnsafePointer<Float>? = nil) {
        let chunk = max(64, (1 << 16) / outChannels)
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                var start = 0
                while start < pixels {
                    let rows = min(chunk, pixels - start)
                    let out = output + start * outChannels
                    ConvEpilogue.fill(out, rows: rows, columns: outChannels, bias: b.baseAddress!,
                                      residual: residual.map { $0 + start * outChannels })
                    BLAS.sgemm(transB: true, m: rows, n: outChannels, k: inChannels,
                               a: input + start * inChannels, b: w.baseAddress!, beta: 1, c: out)
                    if activation == .relu6 { ConvEpilogue.clampReLU6(out, count: rows * outChannels) }
                    start += rows
                }
            }
        }
    }
}

/// A k×k depthwise convolution (one filter per channel) over NHWC activations with TF-SAME padding and batch
/// norm folded in, followed by ReLU6. A direct loop: for every output pixel the k² taps are accumulated
/// channel-vector by channel-vector, so the innermost loop runs over contiguous channels (vectorised).
struct DepthwiseConv: Sendable {
    let channels: Int
    let kernel: Int
    let stride: Int
    /// `kernel·kernel × channels`: tap-major, so each tap's channel weights are contiguous.
    let weights: [Float]
    let bias: [Float]

    /// Output size for an `height × width` input.
    func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (SamePadding(input: height, kernel: kernel, stride: stride).output,
         SamePadding(input: width, kernel: kernel, stride: stride).output)
    }

    /// Convolves `images` NHWC images of `height × width × channels` into `output`; ReLU6 applied.
    ///
    /// Plain loops over pointers: the compiler vectorises the channel loops in release builds, and unlike
    /// explicit SIMD types they stay fast in debug builds.
    @inline(never)
    func apply(_ input: UnsafePointer<Float>, images: Int, height: Int, width: Int, output: UnsafeMutablePointer<Float>) {
        let padY = SamePadding(input: height, kernel: kernel, stride: stride)
        let padX = SamePadding(input: width, kernel: kernel, stride: stride)
        let c = channels, k = kernel
        weights.withUnsafeBufferPointer { wBuffer in
            bias.withUnsafeBufferPointer { bBuffer in
                let w = wBuffer.baseAddress!, b = bBuffer.baseAddress!
                for n in 0..<images {
                    let image = input + n * height * width * c
                    for oy in 0..<padY.output {
                        let y0 = oy * stride - padY.before
                        let kyStart = max(0, -y0), kyEnd = min(k, height - y0)
                        for ox in 0..<padX.output {
                            let x0 = ox * stride - padX.before
                            let kxStart = max(0, -x0), kxEnd = min(k, width - x0)
                            let out = output + ((n * padY.output + oy) * padX.output + ox) * c
                            out.update(from: b, count: c)
                            for ky in kyStart..<kyEnd {
                                let row = image + ((y0 + ky) * width + x0) * c
                                let taps = w + ky * k * c
                                for kx in kxStart..<kxEnd {
                                    let v = row + kx * c, f = taps + kx * c
                                    for i in 0..<c { out[i] += v[i] * f[i] }
                                }
                            }
                            for i in 0..<c { out[i] = min(max(out[i], 0), 6) }
                        }
                    }
                }
            }
        }
    }
}

/// A dense k×k convolution with stride over NHWC activations (the network's stem), computed as im2col + `sgemm`:
/// every output pixel's receptive field (k·k·inChannels values, zero outside the image) becomes one row, and
/// the rows are multiplied by the transposed `outChannels × (k·k·inChannels)` weight matrix.
struct DenseConv: Sendable {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    /// `outChannels × (kernel·kernel·inChannels)`, with the patch in (ky, kx, inChannel) order.
    let weights: [Float]
    let bias: [Float]

    /// Output size for an `height × width` input.
    func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        (SamePadding(input: height, kernel: kernel, stride: stride).output,
         SamePadding(input: width, kernel: kernel, stride: stride).output)
    }

    /// Number of floats the im2col buffer needs for `images` inputs of `height × width`.
    func columnsCount(images: Int, height: Int, width: Int) -> Int {
        let out = outputSize(height: height, width: width)
        return images * out.height * out.width * kernel * kernel * inChannels
    }

    /// Convolves `images` NHWC inputs into `output` using `columns` (at least `columnsCount` floats) as scratch.
    @inline(never)
    func apply(_ input: UnsafePointer<Float>, images: Int, height: Int, width: Int,
               columns: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, activation: ConvActivation) {
        let padY = SamePadding(input: height, kernel: kernel, stride: stride)
        let padX = SamePadding(input: width, kernel: kernel, stride: stride)
        let k = kernel, ci = inChannels, patch = k * k * ci
        var row = columns
        for n in 0..<images {
            let image = input + n * height * width * ci
            for oy in 0..<padY.output {
                for ox in 0..<padX.output {
                    for ky in 0..<k {
                        let y = oy * stride - padY.before + ky
                        for kx in 0..<k {
                            let x = ox * stride - padX.before + kx
                            let dst = row + (ky * k + kx) * ci
                            if y >= 0, y < height, x >= 0, x < width {
                                dst.update(from: image + (y * width + x) * ci, count: ci)
                            } else {
                                dst.update(repeating: 0, count: ci)
                            }
                        }
                    }
                    row += patch
                }
            }
        }
        let pixels = images * padY.output * padX.output
        weights.withUnsafeBufferPointer { w in
            BLAS.sgemm(transB: true, m: pixels, n: outChannels, k: patch, a: columns, b: w.baseAddress!, c: output)
        }
        bias.withUnsafeBufferPointer { b in
            ConvEpilogue.apply(output, rows: pixels, columns: outChannels, bias: b.baseAddress!,
                               activation: activation, residual: nil)
        }
    }
}

/// The passes around a GEMM: bias, activation, residual.
enum ConvEpilogue {
    /// Fills each of `rows` rows with `bias`, plus the matching `residual` row when given.
    @inline(never)
    static func fill(_ data: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>,
                     residual: UnsafePointer<Float>?) {
        for r in 0..<rows {
            let row = data + r * columns
            if let residual {
                let add = residual + r * columns
                for j in 0..<columns { row[j] = bias[j] + add[j] }
            } else {
                for j in 0..<columns { row[j] = bias[j] }
            }
        }
    }

    /// `x = min(max(x, 0), 6)` over `count` values.
    @inline(never)
    static func clampReLU6(_ data: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { data[i] = min(max(data[i], 0), 6) }
    }

    @inline(never)
    static func apply(_ data: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>,
                      activation: ConvActivation, residual: UnsafePointer<Float>?) {
        for r in 0..<rows {
            let row = data + r * columns
            switch activation {
            case .relu6:
                for j in 0..<columns { row[j] = min(max(row[j] + bias[j], 0), 6) }
            case .none:
                for j in 0..<columns { row[j] += bias[j] }
            }
            if let residual {
                let add = residual + r * columns
                for j in 0..<columns { row[j] += add[j] }
            }
        }
    }
}

/// Batch norm in inference form folded into the preceding convolution:
/// `scale = γ / √(σ² + ε)`, weights of output channel `o` multiplied by `scale[o]`, bias `β − μ·scale`.
struct FoldedBatchNorm {
    let scale: [Float]
    let shift: [Float]

    init(weight: Tensor, bias: Tensor, runningMean: Tensor, runningVariance: Tensor, epsilon: Float) {
        var scale = [Float](repeating: 0, count: weight.count)
        var shift = [Float](repeating: 0, count: weight.count)
        for o in 0..<weight.count {
            let s = Double(weight.storage[o]) / (Double(runningVariance.storage[o]) + Double(epsilon)).squareRoot()
            scale[o] = Float(s)
            shift[o] = Float(Double(bias.storage[o]) - Double(runningMean.storage[o]) * s)
        }
        self.scale = scale
        self.shift = shift
    }
}
