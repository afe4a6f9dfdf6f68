import CurioCore
import CurioNeural
import CurioStore
import Foundation

/// The engine facade: one object that the CLI, the HTTP server and Swift apps use to reach a collection.
///
/// ```swift
/// let curio = try Curio.open(at: "curio.db")
/// let item = try curio.item("N05742")
/// ```
/// `Curio` is `Sendable`; share one instance between threads (the store serialises writes and reads in parallel).
public final class Curio: Sendable {
    /// The store everything is read from and written to.
    public let store: any CollectionStore
    /// Where the database lives (for messages), when it is a file.
    public let databasePath: String?
    /// Where the facade logs (discarded unless the application passes a logger).
    public let logger: Logger
    private let conceptLabels: ConceptLabelCache
    /// Recommendation serving state (snapshot, models, policies, exposure ledger), created on first use.
    let recommendationSlot = RecommendationServiceSlot()
    /// The text encoder and semantic index, loaded on first use (see TextSearch.swift).
    let textSearch = EncoderCache<TextEncoder>(defaultModelID: ModelRegistry.miniLM.modelID)
    /// Text, image, projected-image, graph and fused vectors, loaded on first use (see Curio+Multimodal.swift).
    let multimodal = MultimodalCache()
    /// The image encoder, loaded on first use (see ImageEmbedding.swift).
    let imageEncoding = EncoderCache<ImageEncoder>(defaultModelID: ImageEmbedding.modelID)

    /// Wraps an already open store.
    public init(store: any CollectionStore, databasePath: String? = nil, logger: Logger = .disabled) {
        self.store = store
        self.databasePath = databasePath
        self.logger = logger
        conceptLabels = ConceptLabelCache(store: store)
    }

    /// Creates the database at `path`, or opens it and brings its schema up to date when it exists.
    /// - Throws: ``StoreError`` when the file cannot be created or is not a Curio database.
    public static func create(at path: String, logger: Logger = .disabled) throws -> Curio {
        let store = try SQLiteStore(path: path, options: SQLiteStore.Options(createIfMissing: true))
        return Curio(store: store, databasePath: path, logger: logger)
    }

    /// Opens an existing database.
    /// - Parameter readers: how many read connections may be open at once (one per server thread is plenty).
    /// - Throws: ``CurioError/databaseMissing(path:)`` when there is no file at `path`; ``StoreError`` otherwise.
    public static func open(at path: String, readers: Int = 4, logger: Logger = .disabled) throws -> Curio {
        guard FileManager.default.fileExists(atPath: path) else { throw CurioError.databaseMissing(path: path) }
        let store = try SQLiteStore(path: path, options: SQLiteStore.Options(createIfMissing: false,
                                                                               maxReaders: max(1, readers)))
        return Curio(store: store, databasePath: path, logger: logger)
    }

    /// Closes the store (SQLite: checkpoints and removes the write-ahead log). Call when shutting down; any later
    /// call on this instance fails with a clear error.
    public func close() {
        (store as? SQLiteStore)?.close()
    }

    // MARK: Reading

    /// Counts of everything stored.
    public func stats() throws -> CollectionStats { try store.stats() }

    /// One item, or nil.
    public func item(_ id: ItemID) throws -> Item? { try store.item(id) }

    /// A page of items matching the filters.
    public func items(_ query: ItemQuery) throws -> ItemPage { try store.items(matching: query) }

    /// Full-text search (BM25), best first, with each hit's item.
    public func search(_ text: String, limit: Int) throws -> [(hit: SearchHit, item: Item)] {
        let hits = try store.searchText(text, limit: limit)
        let items = try store.items(ids: hits.map(\.item))
        return hits.compactMap { hit in items[hit.item].map { (hit, $0) } }
    }

    /// Visitors with their event counts, most active first.
    public func visitors(limit: Int, offset: Int) throws -> [VisitorSummary] {
        try store.visitors(limit: limit, offset: offset)
    }

    /// The display label of a concept (`tate:subject:1050` → `man, old`), cached; nil when unknown.
    public func label(of concept: ConceptID) -> String? { conceptLabels.label(of: concept) }

    // MARK: Writing

    /// Validates and appends visitor events in one transaction.
    ///
    /// Every event is checked with ``Event/validationProblem(now:futureTolerance:)`` and must refer to a stored
    /// item. When any event fails, nothing is stored.
    /// - Throws: ``CurioError/invalidEvents(_:)`` or ``CurioError/unknownItems(_:)`` listing each bad event,
    ///   ``StoreError`` when the store fails.
    public func recordEvents(_ events: [Event], now: Date = Date()) throws -> EventAppendSummary {
        var problems: [EventProblem] = []
        for (index, event) in events.enumerated() {
            if let problem = event.validationProblem(now: now) {
                problems.append(EventProblem(index: index, field: problem.field, message: problem.message))
            }
        }
        if !problems.isEmpty { throw CurioError.invalidEvents(problems) }
        let known = try store.items(ids: Array(Set(events.map(\.item))))
        for (index, event) in events.enumerated() {
            if known[event.item] == nil {
                problems.append(EventProblem(index: index, field: "item", message: "'\(event.item)' is not in the collection"))
            }
        }
        if !problems.isEmpty { throw CurioError.unknownItems(problems) }
        let summary = try store.appendEvents(events)
        logger.debug("events appended", metadata: ["appended": "\(summary.appended)", "duplicates": "\(summary.duplicates)"])
        return summary
    }
}

/// Concept labels kept in memory: there are few concepts and every item view needs several labels.
final class ConceptLabelCache: @unchecked Sendable {
    private let store: any CollectionStore
    private let lock = NSLock()
    private var labels: [ConceptID: String] = [:]
    private var loaded = false

    init(store: any CollectionStore) { self.store = store }

    func label(of id: ConceptID) -> String? {
        lock.lock()
        if !loaded {
            loaded = true
            if let all = try? store.concepts(scheme: nil) {
                for concept in all { labels[concept.id] = concept.label }
            }
        }
        if let label = labels[id] {
            lock.unlock()
            return label
        }
        lock.unlock()
        // Concepts added after the cache was filled (an ingest while serving) are looked up and remembered.
        guard let concept = try? store.concept(id) else { return nil }
        lock.lock()
        labels[id] = concept.label
        lock.unlock()
        return concept.label
    }
}
