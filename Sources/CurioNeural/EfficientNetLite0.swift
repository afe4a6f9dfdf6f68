import CurioMath

/// EfficientNet-Lite0 (ImageNet-1k) for inference, with weights read from a PyTorch state dict whose keys follow
/// `efficientnet_pytorch` (`_conv_stem`, `_bn0`, `_blocks.N._expand_conv|_bn0|_depthwise_conv|_bn1|_project_conv|_bn2`,
/// `_conv_head`, `_bn1`, `_fc`).
///
/// Network: stem 3×3/2 conv 3→32 + BN + ReLU6; 16 MBConv blocks ([1×1 expand + BN + ReLU6] → k×k depthwise + BN +
/// ReLU6 → 1×1 project + BN, residual when stride 1 and channels match; no squeeze-and-excitation); head 1×1 conv
/// 320→1280 + BN + ReLU6; global average pooling → 1280 features; linear 1280→1000 → logits. Convolutions use
/// TensorFlow "SAME" padding. Batch norm (ε = 1e-3) is folded into the convolution weights when loading.
///
/// Activations are NHWC (images × height × width × channels): a 1×1 convolution over a whole batch is then a
/// single `sgemm` (rows = every pixel of every image), and depthwise loops run over contiguous channels.
public struct EfficientNetLite0: Sendable {
    /// One MBConv block's shape.
    public struct BlockSpec: Sendable, Hashable {
        /// Depthwise kernel size.
        public let kernel: Int
        /// Depthwise stride.
        public let stride: Int
        /// Input channels.
        public let inChannels: Int
        /// Channels after expansion (= input channels when there is no expansion).
        public let midChannels: Int
        /// Output channels.
        public let outChannels: Int
        /// Whether the block has a 1×1 expansion convolution.
        public var expands: Bool { midChannels != inChannels }
        /// Whether the block's input is added to its output.
        public var hasResidual: Bool { stride == 1 && inChannels == outChannels }
    }

    /// The published EfficientNet-Lite0 block table (expansion 1 for the first block, 6 elsewhere).
    public static let blockSpecs: [BlockSpec] = [
        (3, 1, 32, 32, 16), (3, 2, 16, 96, 24), (3, 1, 24, 144, 24), (5, 2, 24, 144, 40), (5, 1, 40, 240, 40),
        (3, 2, 40, 240, 80), (3, 1, 80, 480, 80), (3, 1, 80, 480, 80), (5, 1, 80, 480, 112), (5, 1, 112, 672, 112),
        (5, 1, 112, 672, 112), (5, 2, 112, 672, 192), (5, 1, 192, 1152, 192), (5, 1, 192, 1152, 192),
        (5, 1, 192, 1152, 192), (3, 1, 192, 1152, 320),
    ].map { BlockSpec(kernel: $0.0, stride: $0.1, inChannels: $0.2, midChannels: $0.3, outChannels: $0.4) }

    /// Input side in pixels.
    public static let inputSize = 224
    /// Length of the pooled feature vector.
    public static let featureCount = 1280
    /// Number of ImageNet classes.
    public static let classCount = 1000
    /// Batch-norm epsilon used by the reference implementation.
    public static let batchNormEpsilon: Float = 1e-3

    struct Block: Sendable {
        let spec: BlockSpec
        let expand: PointwiseConv?
        let depthwise: DepthwiseConv
        let project: PointwiseConv
    }

    let stem: DenseConv
    let blocks: [Block]
    let head: PointwiseConv
    /// `classCount × featureCount`, row-major.
    let classifierWeights: [Float]
    let classifierBias: [Float]

    /// Builds the network from a checkpoint, checking every tensor's presence and shape.
    /// - Throws: `NeuralError.missingTensor` / `.shapeMismatch` naming the tensor.
    public init(checkpoint: TorchCheckpoint) throws {
        func bn(_ prefix: String, _ channels: Int) throws -> FoldedBatchNorm {
            FoldedBatchNorm(weight: try checkpoint.tensor(prefix + ".weight", shape: [channels]),
                            bias: try checkpoint.tensor(prefix + ".bias", shape: [channels]),
                            runningMean: try checkpoint.tensor(prefix + ".running_mean", shape: [channels]),
                            runningVariance: try checkpoint.tensor(prefix + ".running_var", shape: [channels]),
                            epsilon: Self.batchNormEpsilon)
        }
        func convBias(_ name: String, _ channels: Int) throws -> [Float]? {
            checkpoint.entry(name) == nil ? nil : try checkpoint.tensor(name, shape: [channels]).storage
        }
        func pointwise(_ conv: String, _ norm: String, in cin: Int, out cout: Int) throws -> PointwiseConv {
            let w = try checkpoint.tensor(conv + ".weight", shape: [cout, cin, 1, 1])
            let folded = try bn(norm, cout)
            let rawBias = try convBias(conv + ".bias", cout)
            var weights = w.storage
            var bias = folded.shift
            for o in 0..<cout {
                for i in 0..<cin { weights[o * cin + i] *= folded.scale[o] }
                if let rawBias { bias[o] += rawBias[o] * folded.scale[o] }
            }
            return PointwiseConv(inChannels: cin, outChannels: cout, weights: weights, bias: bias)
        }

        // Stem: [32, 3, 3, 3] (out, in, ky, kx) → rows of (ky, kx, in) patches.
        let stemWeight = try checkpoint.tensor("_conv_stem.weight", shape: [32, 3, 3, 3])
        let stemNorm = try bn("_bn0", 32)
        let stemBias = try convBias("_conv_stem.bias", 32)
        var stemWeights = [Float](repeating: 0, count: 32 * 27)
        var stemShift = stemNorm.shift
        for o in 0..<32 {
            for ci in 0..<3 { for ky in 0..<3 { for kx in 0..<3 {
                stemWeights[o * 27 + (ky * 3 + kx) * 3 + ci] = stemWeight.storage[((o * 3 + ci) * 3 + ky) * 3 + kx] * stemNorm.scale[o]
            } } }
            if let stemBias { stemShift[o] += stemBias[o] * stemNorm.scale[o] }
        }
        stem = DenseConv(inChannels: 3, outChannels: 32, kernel: 3, stride: 2, weights: stemWeights, bias: stemShift)

        var blocks: [Block] = []
        for (i, spec) in Self.blockSpecs.enumerated() {
            let p = "_blocks.\(i)."
            let expand = spec.expands
                ? try pointwise(p + "_expand_conv", p + "_bn0", in: spec.inChannels, out: spec.midChannels) : nil
            // Depthwise [mid, 1, k, k] → tap-major [k·k, mid].
            let k = spec.kernel, mid = spec.midChannels
            let dw = try checkpoint.tensor(p + "_depthwise_conv.weight", shape: [mid, 1, k, k])
            let dwNorm = try bn(p + "_bn1", mid)
            let dwBias = try convBias(p + "_depthwise_conv.bias", mid)
            var dwWeights = [Float](repeating: 0, count: k * k * mid)
            var dwShift = dwNorm.shift
            for c in 0..<mid {
                for t in 0..<(k * k) { dwWeights[t * mid + c] = dw.storage[c * k * k + t] * dwNorm.scale[c] }
                if let dwBias { dwShift[c] += dwBias[c] * dwNorm.scale[c] }
            }
            let depthwise = DepthwiseConv(channels: mid, kernel: k, stride: spec.stride, weights: dwWeights, bias: dwShift)
            let project = try pointwise(p + "_project_conv", p + "_bn2", in: mid, out: spec.outChannels)
            blocks.append(Block(spec: spec, expand: expand, depthwise: depthwise, project: project))
        }
        self.blocks = blocks
        head = try pointwise("_conv_head", "_bn1", in: 320, out: Self.featureCount)
        classifierWeights = try checkpoint.tensor("_fc.weight", shape: [Self.classCount, Self.featureCount]).storage
        classifierBias = try checkpoint.tensor("_fc.bias", shape: [Self.classCount]).storage
    }

    /// Scratch memory for running `images` inputs at once; reuse it across calls on one thread.
    final class Workspace {
        let images: Int
        /// Block inputs/outputs (ping-pong).
        var a: [Float]
        var b: [Float]
        /// Expanded and depthwise activations.
        var expanded: [Float]
        var depthwised: [Float]
        /// im2col rows of the stem.
        var columns: [Float]

        init(network: EfficientNetLite0, images: Int) {
            self.images = images
            var side = EfficientNetLite0.inputSize
            let stemOut = network.stem.outputSize(height: side, width: side)
            side = stemOut.height
            var maxIO = side * side * 32, maxMid = 0
            for block in network.blocks {
                maxMid = max(maxMid, side * side * block.spec.midChannels)
                side = block.depthwise.outputSize(height: side, width: side).height
                maxIO = max(maxIO, side * side * block.spec.outChannels)
            }
            maxMid = max(maxMid, side * side * EfficientNetLite0.featureCount)
            a = [Float](repeating: 0, count: images * maxIO)
            b = [Float](repeating: 0, count: images * maxIO)
            expanded = [Float](repeating: 0, count: images * maxMid)
            depthwised = [Float](repeating: 0, count: images * maxMid)
            columns = [Float](repeating: 0, count: network.stem.columnsCount(images: images, height: EfficientNetLite0.inputSize,
                                                                                width: EfficientNetLite0.inputSize))
        }
    }

    /// Runs `count` NHWC inputs (each 224×224×3, normalised) and writes `count × 1280` pooled features and, when
    /// `logits` is given, `count × 1000` class scores. `workspace` must hold at least `count` images.
    func forward(_ input: UnsafePointer<Float>, count: Int, workspace: Workspace,
                 features: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>?) {
        precondition(count <= workspace.images)
        var side = Self.inputSize
        workspace.a.withUnsafeMutableBufferPointer { aBuffer in
        workspace.b.withUnsafeMutableBufferPointer { bBuffer in
        workspace.expanded.withUnsafeMutableBufferPointer { eBuffer in
        workspace.depthwised.withUnsafeMutableBufferPointer { dBuffer in
        workspace.columns.withUnsafeMutableBufferPointer { colBuffer in
            var x = aBuffer.baseAddress!, y = bBuffer.baseAddress!
            let e = eBuffer.baseAddress!, d = dBuffer.baseAddress!
            stem.apply(input, images: count, height: side, width: side, columns: colBuffer.baseAddress!, output: x,
                       activation: .relu6)
            side = stem.outputSize(height: side, width: side).height
            for block in blocks {
                let inPixels = count * side * side
                let expanded: UnsafePointer<Float>
                if let expand = block.expand {
                    expand.apply(x, pixels: inPixels, output: e, activation: .relu6)
                    expanded = UnsafePointer(e)
                } else {
                    expanded = UnsafePointer(x)
                }
                block.depthwise.apply(expanded, images: count, height: side, width: side, output: d)
                side = block.depthwise.outputSize(height: side, width: side).height
                block.project.apply(d, pixels: count * side * side, output: y, activation: .none,
                                    residual: block.spec.hasResidual ? UnsafePointer(x) : nil)
                swap(&x, &y)
            }
            // Head, then global average pooling of each image's side×side positions.
            head.apply(x, pixels: count * side * side, output: e, activation: .relu6)
            let positions = side * side, f = Self.featureCount
            let scale = 1 / Float(positions)
            for n in 0..<count {
                let out = features + n * f
                out.update(repeating: 0, count: f)
                for p in 0..<positions {
                    let row = e + (n * positions + p) * f
                    for j in 0..<f { out[j] += row[j] }
                }
                for j in 0..<f { out[j] *= scale }
            }
        } } } } }
        if let logits {
            classifierWeights.withUnsafeBufferPointer { w in
                BLAS.sgemm(transB: true, m: count, n: Self.classCount, k: Self.featureCount,
                           a: features, b: w.baseAddress!, c: logits)
            }
            classifierBias.withUnsafeBufferPointer { b in
                ConvEpilogue.apply(logits, rows: count, columns: Self.classCount, bias: b.baseAddress!,
                                   activation: .none, residual: nil)
            }
        }
    }
}
