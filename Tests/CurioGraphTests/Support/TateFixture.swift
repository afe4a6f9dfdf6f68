import CurioCore
import CurioIngest
import Foundation

/// The Tate collection dump in `shared/data/tate`, read with CurioIngest's `TateImporter` (the records Curio
/// actually stores), located beside the repository from this file's path.
struct TateCollection: Sendable {
    var items: [Item] = []
    var agents: [Agent] = []
    var concepts: [Concept] = []

    /// `shared/data/tate` beside the repository.
    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/tate")
    }

    /// The full collection, read once per test process.
    static let shared: TateCollection? = try? TateCollection.load(directory: directory)

    static func load(directory: URL) throws -> TateCollection {
        var out = TateCollection()
        try TateImporter().read(directory) { chunk in
            out.items.append(contentsOf: chunk.records.items)
            out.agents.append(contentsOf: chunk.records.agents)
            out.concepts.append(contentsOf: chunk.records.concepts)
        }
        return out
    }
}
