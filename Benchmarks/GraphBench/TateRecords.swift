import CurioCore
import CurioIngest
import Foundation

/// The Tate collection read with CurioIngest's `TateImporter`: the same records `curio ingest --format tate` stores.
struct TateCollection: Sendable {
    var items: [Item] = []
    var agents: [Agent] = []
    var concepts: [Concept] = []

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
