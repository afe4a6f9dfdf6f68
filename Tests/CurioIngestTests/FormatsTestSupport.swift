import CurioCore
import Foundation
@testable import CurioIngest

/// Test helpers shared by the format importer tests.
enum Fixtures {
    /// The fixtures folder next to this file.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The repository root (two levels above the test target folder).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared` beside the repository root, where CI puts the shared data.
    static let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static func url(_ relative: String) -> URL { folder.appendingPathComponent(relative) }
}

/// A fresh temporary folder, removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("curio-formats-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }

    /// Writes `text` gzip-compressed, using the system gzip tool.
    @discardableResult
    func writeGzip(_ name: String, _ text: String) throws -> URL {
        let plain = try write(String(name.dropLast(3)), text)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-f", plain.path]
        try process.run()
        process.waitUntilExit()
        return url.appendingPathComponent(name)
    }
}

/// Runs an importer and collects every chunk it delivers.
func collectChunks(_ importer: some Importer, _ url: URL) throws -> [ImportChunk] {
    var chunks: [ImportChunk] = []
    try importer.read(url) { chunks.append($0) }
    return chunks
}

extension Array where Element == ImportChunk {
    var items: [Item] { flatMap(\.records.items) }
    var agents: [Agent] { flatMap(\.records.agents) }
    var concepts: [Concept] { flatMap(\.records.concepts) }
    var events: [Event] { flatMap(\.events) }
    /// Skipped records and dropped values together, in chunk order.
    var problems: [RecordProblem] { flatMap { $0.problems + $0.warnings } }
}
