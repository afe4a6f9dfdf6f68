import CurioCore
import CurioNeural
import Foundation
import Testing
@testable import CurioImaging

/// CurioImaging's decode + resize feeding the EfficientNet-Lite0 encoder reproduces the PyTorch reference
/// (`../shared/fixtures/efficientnet_lite0/`): same top-1 class, at least 4 of the top 5, feature cosine ≥ 0.99.
@Suite struct ModelPreprocessingTests {
    struct Case: Decodable, Sendable {
        struct Score: Decodable, Sendable { let `class`: Int }
        let name: String
        let image: String
        let input: String
        let features_1280: [Float]
        let top5: [Score]
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        let url = ImagingFixtures.sharedModelFixtures.appendingPathComponent("reference.json")
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.cases
    }()

    static let encoder: Result<ImageEncoder, any Error> = Result { try ImageEncoder.installed() }

    static func modelInput(_ file: String) throws -> RGBImage {
        let p = ImageEncoder.preprocessing
        let path = ImagingFixtures.sharedModelFixtures.appendingPathComponent(file).path
        return try ImageLoader.modelInput.load(file: path, size: .shorterSide(p.shorterSide, centreCrop: p.cropSize))
    }

    @Test func preprocessedPixelsAreCloseToTheReferenceTensor() throws {
        try #require(Self.cases.count == 5, "missing ../shared/fixtures/efficientnet_lite0/reference.json")
        for reference in Self.cases {
            let image = try Self.modelInput(reference.image)
            #expect(image.width == 224 && image.height == 224)
            let data = try Data(contentsOf: ImagingFixtures.sharedModelFixtures.appendingPathComponent(reference.input))
            let plane = 224 * 224
            var total: Double = 0
            data.withUnsafeBytes { raw in
                for p in 0..<plane {
                    for c in 0..<3 {
                        let value = Float(bitPattern: raw.loadUnaligned(fromByteOffset: (c * plane + p) * 4, as: UInt32.self)) * 128 + 127
                        total += abs(Double(value) - Double(image.pixels[p * 3 + c]))
                    }
                }
            }
            let meanDifference = total / Double(3 * plane)
            #expect(meanDifference < 0.5, "\(reference.name): mean pixel difference \(meanDifference)")
        }
    }

    @Test func endToEndMatchesTheReferenceClassesAndFeatures() throws {
        try #require(Self.cases.count == 5, "missing ../shared/fixtures/efficientnet_lite0/reference.json")
        let encoder = try Self.encoder.get()
        let images = try Self.cases.map { try Self.modelInput($0.image) }
        let features = try encoder.features(for: images)
        let classes = try encoder.classify(images, top: 5)
        for (n, reference) in Self.cases.enumerated() {
            let expected = reference.top5.map(\.class)
            let found = classes[n].map(\.classIndex)
            #expect(found.first == expected.first, "\(reference.name): top-1 \(found) vs \(expected)")
            #expect(Set(found).intersection(expected).count >= 4, "\(reference.name): top-5 \(found) vs \(expected)")
            let a = features[n], b = reference.features_1280
            let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let norms = (a.reduce(0.0) { $0 + Double($1 * $1) } * b.reduce(0.0) { $0 + Double($1 * $1) }).squareRoot()
            let cosine = dot / norms
            #expect(cosine >= 0.99, "\(reference.name): feature cosine \(cosine)")
        }
    }
}
