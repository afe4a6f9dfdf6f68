import CurioCore
import Foundation

/// The persistence seam of Curio: everything above talks to a `CollectionStore`, never to SQL.
///
/// The embedded SQLite implementation (``SQLiteStore``) is the default; a PostgreSQL implementation
/// can follow without touching callers. Every write method is one transaction: either all of it is
/// stored or none of it.
public protocol CollectionStore: Sendable {
    // MARK: Collection records

    /// Writes items, agents and concepts from one import batch in a single transaction.
    /// Records whose content is unchanged are left untouched (and counted as unchanged).
    func write(_ batch: RecordBatch) throws -> WriteSummary

    /// The item with `id`, or nil.
    func item(_ id: ItemID) throws -> Item?
    /// The agent with `id`, or nil.
    func agent(_ id: AgentID) throws -> Agent?
    /// The concept with `id`, or nil.
    func concept(_ id: ConceptID) throws -> Concept?
    /// All concepts of a scheme (or every scheme when nil).
    func concepts(scheme: Concept.Scheme?) throws -> [Concept]
    /// Items matching the filters, in stable id order, one page at a time.
    func items(matching query: ItemQuery) throws -> ItemPage
    /// Every item id, in stable order (used to build model indices).
    func allItemIDs() throws -> [ItemID]
    /// Full-text search (BM25) over titles, descriptions, makers, subjects and medium.
    func searchText(_ text: String, limit: Int) throws -> [SearchHit]
    /// The same ranking as ``searchText(_:limit:)`` without snippets (default: `searchText`).
    func searchRanking(_ text: String, limit: Int) throws -> [SearchHit]

    // MARK: Visitor events

    /// Appends events in one transaction. Invalid events are rejected as a whole batch.
    func appendEvents(_ events: [Event]) throws -> EventAppendSummary
    /// Events of one visitor in time order.
    func events(visitor: VisitorID) throws -> [Event]
    /// All events in time order, optionally only those after `since`.
    func allEvents(since: Date?) throws -> [Event]
    /// Visitors with their event counts, most active first.
    func visitors(limit: Int, offset: Int) throws -> [VisitorSummary]

    // MARK: Bookkeeping

    /// Counts of everything stored; stable for an unchanged store (used to prove idempotent ingest).
    func stats() throws -> CollectionStats
    /// Records that a whole input file was committed, with its content hash.
    func markFileIngested(path: String, sha256: String, summary: WriteSummary) throws

    // MARK: Added by the store work (issue 2)

    /// Runs `body` holding the store's single writer, so that several writes can form one transaction.
    ///
    /// A transaction opens at the session's first write and lasts until ``CollectionWriteSession/commit()``;
    /// more writes then open the next one. When `body` throws, the open transaction is rolled back (earlier
    /// commits stay); when it returns, the open transaction is committed. Other writers wait meanwhile;
    /// readers do not. Do not call the store's own write methods from inside `body` (use the session).
    func withWriteSession<T>(_ body: (any CollectionWriteSession) throws -> T) throws -> T
    /// The stored canonical JSON of an item (the `Codable` encoding of ``Item`` with sorted keys), or nil.
    /// Cheaper than ``item(_:)`` when the caller only forwards the JSON.
    func itemJSON(_ id: ItemID) throws -> Data?
    /// The items with the given ids that exist, keyed by id (one query; missing ids are left out).
    func items(ids: [ItemID]) throws -> [ItemID: Item]
    /// Which of `ids` are stored (one query, nothing decoded).
    func existingItemIDs(_ ids: [ItemID]) throws -> Set<ItemID>
    /// Calls `body` with every item in stable id order, streaming (constant memory).
    func forEachItem(_ body: (Item) throws -> Void) throws
    /// Every agent in stable id order.
    func allAgents() throws -> [Agent]
    /// The input files recorded by ``markFileIngested(path:sha256:summary:)``, by path.
    func ingestedFiles() throws -> [IngestedFile]
}

extension CollectionStore {
    public func searchRanking(_ text: String, limit: Int) throws -> [SearchHit] {
        try searchText(text, limit: limit)
    }

    public func itemJSON(_ id: ItemID) throws -> Data? {
        guard let item = try item(id) else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(item)
    }

    public func items(ids: [ItemID]) throws -> [ItemID: Item] {
        var out: [ItemID: Item] = [:]
        for id in ids { if let item = try item(id) { out[id] = item } }
        return out
    }

    public func existingItemIDs(_ ids: [ItemID]) throws -> Set<ItemID> {
        Set(try items(ids: ids).keys)
    }

    public func forEachItem(_ body: (Item) throws -> Void) throws {
        for id in try allItemIDs() { if let item = try item(id) { try body(item) } }
    }
}

/// The writer handed to ``CollectionStore/withWriteSession(_:)``; valid only while that closure runs, and to be
/// used by one thread at a time (the ingestor hands it to its writer thread while the closure waits).
public protocol CollectionWriteSession: AnyObject {
    /// Writes items, agents and concepts (unchanged records are counted, not written).
    /// - Throws: ``StoreError`` for values that cannot be stored; the open transaction is then unusable
    ///   and the session's closure should throw.
    func write(_ batch: RecordBatch) throws -> RecordWriteSummary
    /// Appends events; exact duplicates are counted, not stored. Invalid events reject the whole call.
    func appendEvents(_ events: [Event]) throws -> EventAppendSummary
    /// Records that a whole input file was written (in the same transaction as its last records).
    func markFileIngested(path: String, sha256: String, summary: WriteSummary) throws
    /// Which of `ids` are stored, including items written earlier in this session's open transaction.
    func existingItemIDs(_ ids: [ItemID]) throws -> Set<ItemID>
    /// Commits the open transaction, if any.
    func commit() throws
    /// Discards the open transaction, if any.
    func rollback() throws
}

/// What one write did, per record kind.
public struct RecordWriteSummary: Codable, Sendable, Equatable {
    public var items = WriteSummary()
    public var agents = WriteSummary()
    public var concepts = WriteSummary()
    public init(items: WriteSummary = WriteSummary(), agents: WriteSummary = WriteSummary(),
                concepts: WriteSummary = WriteSummary()) {
        self.items = items
        self.agents = agents
        self.concepts = concepts
    }
    /// All kinds together.
    public var total: WriteSummary { items + agents + concepts }
    public static func + (a: Self, b: Self) -> Self {
        Self(items: a.items + b.items, agents: a.agents + b.agents, concepts: a.concepts + b.concepts)
    }
}

/// An input file whose records were committed.
public struct IngestedFile: Codable, Sendable, Equatable {
    /// The path as given to the ingestor (absolute, standardised).
    public var path: String
    /// SHA-256 of the file's bytes, lower-case hex.
    public var sha256: String
    /// What writing the file did.
    public var summary: WriteSummary
    /// When it was committed.
    public var ingestedAt: Date
    public init(path: String, sha256: String, summary: WriteSummary, ingestedAt: Date) {
        self.path = path
        self.sha256 = sha256
        self.summary = summary
        self.ingestedAt = ingestedAt
    }
}

/// The records one importer produced from one chunk of input, written atomically.
public struct RecordBatch: Sendable {
    public var items: [Item]
    public var agents: [Agent]
    public var concepts: [Concept]
    public init(items: [Item] = [], agents: [Agent] = [], concepts: [Concept] = []) {
        self.items = items
        self.agents = agents
        self.concepts = concepts
    }
    public var isEmpty: Bool { items.isEmpty && agents.isEmpty && concepts.isEmpty }
}

/// What one write did, per record kind.
public struct WriteSummary: Codable, Sendable, Equatable {
    public var inserted: Int = 0
    public var updated: Int = 0
    public var unchanged: Int = 0
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
    public static func + (a: Self, b: Self) -> Self {
        Self(inserted: a.inserted + b.inserted, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged)
    }
}

/// Filters for listing items. All filters combine with AND.
public struct ItemQuery: Sendable, Equatable {
    /// Substring of a maker's name, or an exact agent id.
    public var maker: String?
    /// A concept id or label; matches the concept and everything narrower.
    public var subject: String?
    /// Items whose date range overlaps `fromYear...toYear`.
    public var fromYear: Int?
    public var toYear: Int?
    /// Substring of the medium.
    public var medium: String?
    /// Exact source (`tate`, `csv`, `linked-art`).
    public var source: String?
    /// Conditions on the stored visual descriptors of the item's image (none when nil or empty).
    public var visual: VisualFilter?
    /// 0-based page and page size (capped at 500).
    public var page: Int
    public var pageSize: Int
    public init(maker: String? = nil, subject: String? = nil, fromYear: Int? = nil, toYear: Int? = nil,
                medium: String? = nil, source: String? = nil, visual: VisualFilter? = nil, page: Int = 0,
                pageSize: Int = 50) {
        self.visual = visual
        self.maker = maker
        self.subject = subject
        self.fromYear = fromYear
        self.toYear = toYear
        self.medium = medium
        self.source = source
        self.page = page
        self.pageSize = pageSize
    }
}

/// One page of items and the total number of matches.
public struct ItemPage: Sendable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var pageSize: Int
    public init(items: [Item], total: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }
}

/// A full-text hit with its BM25 score (higher is better) and a highlighted snippet.
public struct SearchHit: Sendable, Equatable, Codable {
    public var item: ItemID
    public var score: Double
    public var snippet: String?
    public init(item: ItemID, score: Double, snippet: String? = nil) {
        self.item = item
        self.score = score
        self.snippet = snippet
    }
}

/// What an event append did.
public struct EventAppendSummary: Sendable, Equatable, Codable {
    /// Events stored.
    public var appended: Int
    /// Exact duplicates of stored events (same visitor, item, kind, value, timestamp, session), not stored again.
    public var duplicates: Int
    public init(appended: Int, duplicates: Int) {
        self.appended = appended
        self.duplicates = duplicates
    }
}

/// A visitor and how much they did.
public struct VisitorSummary: Sendable, Equatable, Codable {
    public var visitor: VisitorID
    public var events: Int
    public var firstSeen: Date
    public var lastSeen: Date
    public init(visitor: VisitorID, events: Int, firstSeen: Date, lastSeen: Date) {
        self.visitor = visitor
        self.events = events
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// Counts of stored records. Encodes with sorted keys so two stores can be compared byte for byte.
public struct CollectionStats: Sendable, Equatable, Codable {
    public var items: Int
    public var agents: Int
    public var concepts: [String: Int]
    public var places: Int
    public var images: Int
    public var visitors: Int
    public var events: Int
    public var itemsWithDates: Int
    public var itemsBySource: [String: Int]
    public var schemaVersion: Int
    public init(items: Int, agents: Int, concepts: [String: Int], places: Int, images: Int, visitors: Int, events: Int,
                itemsWithDates: Int, itemsBySource: [String: Int], schemaVersion: Int) {
        self.items = items
        self.agents = agents
        self.concepts = concepts
        self.places = places
        self.images = images
        self.visitors = visitors
        self.events = events
        self.itemsWithDates = itemsWithDates
        self.itemsBySource = itemsBySource
        self.schemaVersion = schemaVersion
    }

    /// The stats as JSON with sorted keys: equal stats give equal bytes.
    public func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
