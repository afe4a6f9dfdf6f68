import CurioCore
import CurioMath
import CurioNeural
import CurioStore
import Foundation

/// How `search` ranks items.
public enum SearchMode: String, Sendable, CaseIterable, Codable {
    /// Full-text BM25 over titles, makers, subjects, description and medium (SQLite FTS5).
    case lexical
    /// Cosine similarity between the query's embedding and the items' text embeddings.
    case semantic
    /// Reciprocal rank fusion of the lexical and semantic rankings (the default).
    case hybrid
}

/// The outcome of a search: the mode actually used (hybrid falls back to lexical when no text embeddings are
/// available), the hits with their items, and warnings for the user.
public struct SearchOutcome: Sendable {
    public var mode: SearchMode
    public var results: [(hit: SearchHit, item: Item)]
    public var warnings: [String]
}

/// What `embedItems` did.
public struct EmbedSummary: Sendable, Codable, Equatable {
    /// The model whose embeddings were computed.
    public var model: String
    /// Items in the collection.
    public var items: Int
    /// Items (re-)embedded now.
    public var embedded: Int
    /// Items whose stored embedding was still current.
    public var unchanged: Int
    /// Wall-clock seconds.
    public var seconds: Double
}

/// Errors of text search and embedding, with the command that fixes them.
public enum TextSearchError: Error, CustomStringConvertible, Sendable {
    /// The store cannot hold vectors.
    case vectorsUnsupported
    /// Semantic search was asked for but no item has a text embedding of the installed model.
    case notEmbedded(model: String)

    public var description: String {
        switch self {
        case .vectorsUnsupported: "This store cannot hold embeddings."
        case let .notEmbedded(model):
            "No item has a text embedding of \(model) yet. Run `curio embed` first."
        }
    }
}

/// Reciprocal rank fusion: each list contributes `1 / (k + rank)` (rank from 1) to an item's score.
public enum RankFusion {
    /// The usual constant from Cormack, Clarke & Büttcher (2009).
    public static let defaultK = 60.0

    /// Fused scores, best first (ties broken by id).
    public static func reciprocalRank(_ rankings: [[ItemID]], k: Double = defaultK) -> [(item: ItemID, score: Double)] {
        var scores: [ItemID: Double] = [:]
        for ranking in rankings {
            for (rank, item) in ranking.enumerated() { scores[item, default: 0] += 1 / (k + Double(rank + 1)) }
        }
        return scores.map { ($0.key, $0.value) }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
    }
}

/// The item text embeddings of one model, loaded into an exact vector index, with the store revision they reflect.
final class SemanticIndex: Sendable {
    let model: String
    let revision: Int
    let items: [ItemID]
    let index: any VectorIndex

    init(set: ItemVectorSet) {
        model = set.model
        revision = set.revision
        items = set.items
        index = ExactVectorIndex(vectors: Matrix(rows: set.count, columns: set.dimension, storage: set.values))
    }
}

extension Curio {
    /// Candidates taken from each ranking before fusion.
    static let fusionDepth = 100

    /// The text encoder (all-MiniLM-L6-v2), loaded once per `Curio` on first use.
    /// - Throws: ``NeuralError/modelMissing(name:hint:)`` when the model is not installed (exit 69).
    public func textEncoder() throws -> TextEncoder {
        try textSearch.encoder { try TextEncoder.installed() }
    }

    /// Uses `encoder` for embedding and semantic search instead of loading the installed model.
    public func useTextEncoder(_ encoder: TextEncoder) {
        textSearch.set(encoder)
    }

    private var vectorStore: any ItemVectorStore {
        get throws {
            guard let store = store as? any ItemVectorStore else { throw TextSearchError.vectorsUnsupported }
            return store
        }
    }

    /// Computes the text embedding of every item whose canonical text (``ItemText``) changed since it was last
    /// embedded with the same model, and stores it with the text's content hash. Unchanged items are skipped, so
    /// running it again after a small ingest only embeds the new or edited records.
    ///
    /// Work is committed every `chunkSize` items: an interrupted run keeps what it finished.
    /// - Parameter progress: called with (items embedded so far, items to embed) after every chunk.
    public func embedItems(chunkSize: Int = 1024, progress: (Int, Int) -> Void = { _, _ in }) throws -> EmbedSummary {
        let start = Date()
        let encoder = try textEncoder()
        let vectors = try vectorStore
        let stored = try vectors.vectorHashes(model: encoder.modelID)
        var pending: [(id: ItemID, text: String, hash: String)] = []
        var total = 0
        try store.forEachItem { item in
            total += 1
            let text = ItemText.text(for: item, label: label(of:))
            let hash = ItemText.contentHash(of: text)
            if stored[item.id] != hash { pending.append((item.id, text, hash)) }
        }
        logger.info("embedding item texts", metadata: ["model": "\(encoder.modelID)", "items": "\(total)",
                                                       "to_embed": "\(pending.count)"])
        progress(0, pending.count)
        var done = 0
        while done < pending.count {
            let chunk = pending[done..<min(pending.count, done + max(1, chunkSize))]
            let matrix = try encoder.encodeMatrix(chunk.map(\.text))
            let rows = chunk.enumerated().map { offset, entry in
                ItemVector(item: entry.id, contentHash: entry.hash, values: matrix.row(offset))
            }
            try vectors.writeVectors(rows, model: encoder.modelID, dimension: encoder.dimension)
            done += chunk.count
            progress(done, pending.count)
        }
        return EmbedSummary(model: encoder.modelID, items: total, embedded: pending.count,
                            unchanged: total - pending.count, seconds: Date().timeIntervalSince(start))
    }

    /// Searches the collection.
    ///
    /// - `lexical`: BM25 (FTS5); scores are BM25 scores.
    /// - `semantic`: the query is embedded and compared with every item's text embedding; scores are cosines.
    /// - `hybrid`: reciprocal rank fusion (k = 60) of the top 100 of both; scores are fused RRF scores. When the
    ///   model is not installed or nothing is embedded yet, hybrid answers lexically and says so in `warnings`.
    ///
    /// A non-empty `visual` filter keeps only items whose image descriptors pass it (`curio embed` computes them);
    /// the rankings are then taken over the matching items only, so `limit` results come back whenever that many
    /// match.
    /// - Throws: for `semantic`, ``NeuralError/modelMissing(name:hint:)`` or ``TextSearchError/notEmbedded(model:)``.
    public func search(_ text: String, mode: SearchMode, limit: Int,
                       visual: VisualSearchFilter = VisualSearchFilter()) throws -> SearchOutcome {
        let limit = max(0, limit)
        let allowed: Set<ItemID>? = visual.isEmpty ? nil : try items(matching: visual)
        switch mode {
        case .lexical:
            let hits = Array(try lexicalHits(text, limit: limit, allowed: allowed).prefix(limit))
            return SearchOutcome(mode: .lexical, results: try attachItems(hits), warnings: [])
        case .semantic:
            let ranked = try semanticRanking(text, limit: limit, allowed: allowed)
            return SearchOutcome(mode: .semantic, results: try attachItems(ranked.map {
                SearchHit(item: $0.item, score: Double($0.score))
            }), warnings: [])
        case .hybrid:
            let lexical = try lexicalHits(text, limit: max(limit, Self.fusionDepth), allowed: allowed)
            let semantic: [(item: ItemID, score: Float)]
            do {
                semantic = try semanticRanking(text, limit: max(limit, Self.fusionDepth), allowed: allowed)
            } catch let error as NeuralError {
                return try lexicalFallback(text, lexical, limit: limit, reason: error.description)
            } catch let error as TextSearchError {
                return try lexicalFallback(text, lexical, limit: limit, reason: error.description)
            }
            let snippets = Dictionary(lexical.map { ($0.item, $0.snippet) }, uniquingKeysWith: { a, _ in a })
            let fused = RankFusion.reciprocalRank([lexical.map(\.item), semantic.map(\.item)]).prefix(limit)
            let hits = fused.map { SearchHit(item: $0.item, score: $0.score, snippet: snippets[$0.item] ?? nil) }
            return SearchOutcome(mode: .hybrid, results: try attachItems(hits), warnings: [])
        }
    }

    /// Lexical hits, best first: the top `limit`, or, with `allowed`, the top `limit` among those items.
    private func lexicalHits(_ text: String, limit: Int, allowed: Set<ItemID>?) throws -> [SearchHit] {
        guard let allowed else { return try store.searchText(text, limit: limit) }
        if allowed.isEmpty { return [] }
        // Every match is ranked (FTS5 scores them all anyway), then filtered.
        let all = try store.searchText(text, limit: Self.filteredLexicalDepth)
        return Array(all.lazy.filter { allowed.contains($0.item) }.prefix(limit))
    }

    /// How many lexical matches a filtered search looks through.
    static let filteredLexicalDepth = 1_000_000

    /// The `limit` items whose text embeddings are closest to the embedding of `text`, best first; with `allowed`,
    /// only those items are ranked.
    public func semanticRanking(_ text: String, limit: Int, allowed: Set<ItemID>? = nil) throws -> [(item: ItemID, score: Float)] {
        // Check for stored embeddings before loading the model, so that a collection without any stays cheap.
        let model = textSearch.modelID
        let vectors = try vectorStore
        let revision = try vectors.vectorRevision(model: model)
        guard revision > 0 else { throw TextSearchError.notEmbedded(model: model) }
        let semantic = try textSearch.index(model: model, revision: revision) { try vectors.vectors(model: model) }
        guard semantic.index.count > 0 else { throw TextSearchError.notEmbedded(model: model) }
        if let allowed, allowed.isEmpty { return [] }
        let query = try textEncoder().encode(text)
        let hits: [(index: Int, score: Float)]
        if let allowed {
            hits = semantic.index.search(query, k: limit) { !allowed.contains(semantic.items[$0]) }
        } else {
            hits = semantic.index.search(query, k: limit)
        }
        return hits.map { (semantic.items[$0.index], $0.score) }
    }

    private func lexicalFallback(_ text: String, _ lexical: [SearchHit], limit: Int, reason: String) throws -> SearchOutcome {
        logger.warning("hybrid search answered lexically", metadata: ["reason": "\(reason)"])
        return SearchOutcome(mode: .lexical, results: try attachItems(Array(lexical.prefix(limit))),
                             warnings: ["Semantic search unavailable, showing lexical results: \(reason)"])
    }

    private func attachItems(_ hits: [SearchHit]) throws -> [(hit: SearchHit, item: Item)] {
        let items = try store.items(ids: hits.map(\.item))
        return hits.compactMap { hit in items[hit.item].map { (hit, $0) } }
    }
}
