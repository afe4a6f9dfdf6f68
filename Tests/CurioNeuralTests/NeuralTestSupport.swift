import Foundation
import Testing
@testable import CurioNeural

/// Shared locations and fixtures for the CurioNeural tests.
enum NeuralTestSupport {
    /// `../shared` beside the repository root.
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared").standardized

    /// This test target's committed fixtures.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// One reference case from `shared/fixtures/minilm/reference.json`.
    struct ReferenceCase: Decodable, Sendable {
        let text: String
        let input_ids: [Int32]
        let embedding: [Float]
        let mean_pooled_unnormalized: [Float]
    }

    private struct ReferenceFile: Decodable { let cases: [ReferenceCase] }

    /// The 40 MiniLM reference cases.
    static let referenceCases: [ReferenceCase] = {
        let url = shared.appendingPathComponent("fixtures/minilm/reference.json")
        guard let data = try? Data(contentsOf: url),
              let file = try? JSONDecoder().decode(ReferenceFile.self, from: data) else { return [] }
        return file.cases
    }()

    /// The installed MiniLM model directory; throws "not installed … run `make models`" when absent, so tests
    /// that need the model fail loudly rather than skip.
    static func miniLMDirectory() throws -> URL {
        try ModelLocator().modelDirectory(of: ModelRegistry.miniLM)
    }

    /// A fresh, unique temporary directory (tests run in parallel and must not share files).
    static func temporaryDirectory(_ label: String = #function) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("curio-neural-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
