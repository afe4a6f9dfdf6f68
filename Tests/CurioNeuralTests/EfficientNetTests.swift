import CurioMath
import Foundation
import Testing
@testable import CurioNeural

/// One case of `shared/fixtures/efficientnet_lite0/reference.json`.
struct EfficientNetReferenceCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Score: Decodable, Sendable { let `class`: Int; let logit: Float }
    let name: String
    let image: String
    let input: String
    let features_1280: [Float]
    let top5: [Score]

    var testDescription: String { name }

    static let directory = NeuralTestSupport.shared.appendingPathComponent("fixtures/efficientnet_lite0")

    /// All reference cases (empty when the shared fixtures are missing, which the count test reports).
    static let all: [EfficientNetReferenceCase] = {
        struct File: Decodable { let cases: [EfficientNetReferenceCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("reference.json")),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()

    /// The exact input tensor the reference saw (3×224×224 little-endian float32).
    func inputTensor() throws -> [Float] {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent(input))
        return data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}

/// The shared encoder (loading the checkpoint once for all tests).
enum SharedImageEncoder {
    static let encoder: Result<ImageEncoder, any Error> = Result { try ImageEncoder.installed() }
    static func get() throws -> ImageEncoder { try encoder.get() }
}

@Suite struct EfficientNetTests {
    @Test func referenceFixturesArePresent() {
        #expect(EfficientNetReferenceCase.all.count == 5, "missing ../shared/fixtures/efficientnet_lite0/reference.json")
    }

    @Test func samePaddingMatchesTensorFlow() {
        #expect(SamePadding(input: 224, kernel: 3, stride: 2).output == 112 && SamePadding(input: 224, kernel: 3, stride: 2).before == 0)
        #expect(SamePadding(input: 56, kernel: 5, stride: 2).output == 28 && SamePadding(input: 56, kernel: 5, stride: 2).before == 1)
        #expect(SamePadding(input: 14, kernel: 5, stride: 1).output == 14 && SamePadding(input: 14, kernel: 5, stride: 1).before == 2)
        #expect(SamePadding(input: 7, kernel: 3, stride: 1).output == 7 && SamePadding(input: 7, kernel: 3, stride: 1).before == 1)
        #expect(SamePadding(input: 15, kernel: 3, stride: 2).output == 8 && SamePadding(input: 15, kernel: 3, stride: 2).before == 1)
    }

    /// The whole network on the exact tensors PyTorch saw, all five cases in one batch.
    @Test func networkReproducesTheReferenceFromItsInputTensors() throws {
        let encoder = try SharedImageEncoder.get()
        let cases = EfficientNetReferenceCase.all
        try #require(cases.count == 5)
        let inputs = try cases.flatMap { try $0.inputTensor() }
        let (features, logits) = try encoder.run(normalizedCHW: inputs)
        for (n, reference) in cases.enumerated() {
            let row = features.row(n)
            let maxDiff = zip(row, reference.features_1280).map { abs($0 - $1) }.max() ?? .infinity
            #expect(maxDiff <= 1e-3, "\(reference.name): features differ by up to \(maxDiff)")
            let scores = logits.row(n)
            for score in reference.top5 {
                #expect(abs(scores[score.class] - score.logit) <= 1e-2,
                        "\(reference.name): class \(score.class) logit \(scores[score.class]) vs \(score.logit)")
            }
            let top5 = TopK.select(scores, k: 5).map(\.index)
            #expect(top5 == reference.top5.map(\.class), "\(reference.name): top-5 \(top5)")
        }
    }

    @Test func batchedAndSingleImageRunsAgree() throws {
        var encoder = try SharedImageEncoder.get()
        let cases = EfficientNetReferenceCase.all
        try #require(cases.count >= 3)
        let inputs = try cases.prefix(3).flatMap { try $0.inputTensor() }
        encoder.batchSize = 2
        encoder.parallelism = 2
        let batched = try encoder.run(normalizedCHW: inputs).features
        encoder.parallelism = 1
        encoder.batchSize = 1
        let single = try encoder.run(normalizedCHW: Array(inputs[(2 * 150_528)...])).features
        let diff = zip(batched.row(2), single.row(0)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(diff <= 1e-4)
    }

    @Test func wrongInputSizesAreRejected() throws {
        let encoder = try SharedImageEncoder.get()
        #expect(throws: NeuralError.self) { try encoder.run(normalizedCHW: [Float](repeating: 0, count: 100)) }
    }

    @Test func missingTensorIsNamed() throws {
        let checkpoint = try TorchCheckpoint(path: TorchPickleTests.fixture("tiny-legacy.pth"))
        #expect(throws: NeuralError.missingTensor(file: checkpoint.path, name: "_conv_stem.weight")) {
            try EfficientNetLite0(checkpoint: checkpoint)
        }
    }
}
