import CSQLite
import CurioCore
import Foundation

/// An in-memory copy of the store's full-text index that ranks exactly like
/// ``SQLiteStore/searchRanking(_:limit:)``, for callers that search many times per second over a collection that
/// does not change meanwhile (the conversational guide searches on every reply).
///
/// FTS5 computes `bm25()` row by row, looking up each matching row's size in the index; for a word that most of
/// the collection contains ("paper" is in 55,000 of the Tate's 69,202 records) one query takes 50–200 ms. This
/// index holds, for every indexed token, the rows containing it with the token's column-weighted frequency, and
/// every row's length, read once from the FTS5 index itself (its `fts5vocab` view). A query is scored with FTS5's
/// own BM25 formula (k1 = 1.2, b = 0.75, the same column weights, the same IDF floor) in the same order of
/// floating-point operations, so scores are bit-identical, and ordered like the SQL (score, then item id): the
/// same hits in the same order, in about a millisecond.
///
/// The visitor's words are turned into index tokens by SQLite's own tokenizer (`porter unicode61
/// remove_diacritics 2`, through the FTS5 C API), not by a second implementation. A query word that does not
/// become exactly one token (rare: FTS5 would treat it as a phrase) makes ``ranking(_:limit:)`` return nil, and
/// the caller searches the store instead.
///
/// A snapshot: items written after ``SQLiteStore/fullTextIndex()`` built it are not seen. Memory: about 10 bytes
/// per (token, item) pair — some 20 MB for the Tate collection. Thread-safe.
public final class FullTextIndex: @unchecked Sendable {
    /// Item ids in ascending id order (SQLite's BINARY collation), so that a lower position is the SQL tie-break.
    private let items: [ItemID]
    /// Tokens per row, by position.
    private let lengths: [Int32]
    /// Rows in the FTS table (BM25's N) and tokens in all of them.
    private let rowCount: Int64
    private let tokenCount: Int64
    /// Token → index into `starts`; postings of token t are `positions[starts[t]..<starts[t + 1]]`.
    private let tokens: [String: Int32]
    private let starts: [Int32]
    private let positions: [Int32]
    /// Column-weighted frequency (sum of the weights of the columns of each instance) per posting.
    private let frequencies: [Float]
    private let tokenizer: QueryTokenizer

    /// Items indexed.
    public var count: Int { items.count }

    init(items: [ItemID], lengths: [Int32], rowCount: Int64, tokenCount: Int64, tokens: [String: Int32],
         starts: [Int32], positions: [Int32], frequencies: [Float], tokenizer: QueryTokenizer) {
        self.items = items
        self.lengths = lengths
        self.rowCount = rowCount
        self.tokenCount = tokenCount
        self.tokens = tokens
        self.starts = starts
        self.positions = positions
        self.frequencies = frequencies
        self.tokenizer = tokenizer
    }

    /// The same hits as ``SQLiteStore/searchRanking(_:limit:)`` on the snapshot: items with every word first, then
    /// items with some of them, each group by BM25 score (ties by item id); at most
    /// ``SQLiteStore/maxSearchHits``. Returns nil when a word of `text` is not a single index token (the caller
    /// then asks the store).
    public func ranking(_ text: String, limit: Int) -> [SearchHit]? {
        let terms = SQLiteStore.searchTerms(text)
        let limit = min(max(limit, 0), SQLiteStore.maxSearchHits)
        if terms.isEmpty || limit == 0 { return [] }
        // One phrase per word, as the SQL's quoted terms; each must be exactly one token.
        var phrases: [Int32?] = []
        phrases.reserveCapacity(terms.count)
        for term in terms {
            guard let produced = tokenizer.tokens(term), produced.count == 1 else { return nil }
            phrases.append(tokens[produced[0]])
        }
        guard rowCount > 0 else { return [] }

        // FTS5's bm25(): idf per phrase from the rows containing it, then per row
        // Σ idf · (f · (k1 + 1)) / (f + k1 · (1 − b + b · D / avgdl)), in phrase order.
        let k1 = 1.2, b = 0.75
        let avgdl = Double(tokenCount) / Double(rowCount)
        var scores = [Double](repeating: 0, count: items.count)
        var matched = [UInt8](repeating: 0, count: items.count)
        var touched: [Int32] = []
        for phrase in phrases {
            guard let t = phrase else { continue }
            let range = Int(starts[Int(t)])..<Int(starts[Int(t) + 1])
            let hits = Int64(range.count)
            var idf = log((Double(rowCount - hits) + 0.5) / (Double(hits) + 0.5))
            if idf <= 0.0 { idf = 1e-6 }
            for p in range {
                let row = Int(positions[p])
                let f = Double(frequencies[p])
                let d = Double(lengths[row])
                scores[row] += idf * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * d / avgdl)))
                if matched[row] == 0 { touched.append(Int32(row)) }
                if matched[row] < UInt8.max { matched[row] += 1 }
            }
        }

        // The SQL runs the AND query (rows with every phrase), then fills up from the OR query's first `limit` rows.
        var hits: [SearchHit] = []
        hits.reserveCapacity(limit)
        let needed = phrases.count
        let all = phrases.allSatisfy { $0 != nil } && needed <= Int(UInt8.max)
        if all {
            let both = touched.filter { Int(matched[Int($0)]) >= needed }
            for row in Self.best(both, scores: scores, limit: limit) {
                hits.append(SearchHit(item: items[Int(row)], score: scores[Int(row)]))
            }
        }
        if terms.count > 1, hits.count < limit {
            // Rows the AND query returned have every phrase.
            for row in Self.best(touched, scores: scores, limit: limit) where hits.count < limit {
                if all && Int(matched[Int(row)]) >= needed { continue }
                hits.append(SearchHit(item: items[Int(row)], score: scores[Int(row)]))
            }
        }
        return hits
    }

    /// The `limit` best rows by score (descending), ties by position (ascending) — the SQL's `ORDER BY score DESC,
    /// i.id LIMIT ?` — in that order, without sorting every candidate.
    static func best(_ rows: [Int32], scores: [Double], limit: Int) -> [Int32] {
        func better(_ a: Int32, _ b: Int32) -> Bool {
            let sa = scores[Int(a)], sb = scores[Int(b)]
            return sa > sb || (sa == sb && a < b)
        }
        guard rows.count > limit else { return rows.sorted(by: better) }
        // A binary heap of the best `limit` rows, the worst of them at the root.
        var heap: [Int32] = []
        heap.reserveCapacity(limit)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, better(heap[worst], heap[l]) { worst = l }
                if r < heap.count, better(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for row in rows {
            if heap.count < limit {
                heap.append(row)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    guard better(heap[parent], heap[i]) else { break }
                    heap.swapAt(parent, i)
                    i = parent
                }
            } else if better(row, heap[0]) {
                heap[0] = row
                siftDown(0)
            }
        }
        return heap.sorted(by: better)
    }
}

/// SQLite's FTS5 tokenizer for the search table, called directly through the FTS5 C API, so that query words
/// become exactly the tokens the index holds. Owns a private in-memory connection (the tokenizer belongs to it).
final class QueryTokenizer: @unchecked Sendable {
    private let connection: Database
    private let api: fts5_tokenizer
    private let instance: OpaquePointer
    private let lock = NSLock()

    /// The type tag SQLite expects for the `fts5_api` pointer; a C string that lives as long as the process.
    nonisolated(unsafe) private static let apiPointerType: UnsafePointer<CChar> = UnsafePointer(strdup("fts5_api_ptr")!)

    /// - Parameter arguments: the table's `tokenize` option split into words, e.g. `porter unicode61 remove_diacritics 2`.
    init(arguments: [String]) throws {
        guard let name = arguments.first else {
            throw StoreError.invalidValue(field: "tokenizer", reason: "no tokenizer named")
        }
        let connection = try Database(path: ":memory:", readOnly: true, busyTimeoutMilliseconds: 0)
        self.connection = connection
        var apiPointer: UnsafeMutablePointer<fts5_api>?
        let sql = "SELECT fts5(?1)"
        try connection.withStatement(sql) { s in
            let rc = sqlite3_bind_pointer(s.handle, 1, &apiPointer, Self.apiPointerType, nil)
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
            _ = try s.step()
        }
        guard let fts5 = apiPointer, let find = fts5.pointee.xFindTokenizer else {
            throw StoreError.invalidValue(field: "tokenizer", reason: "this SQLite has no FTS5 API")
        }
        var context: UnsafeMutableRawPointer?
        var tokenizer = fts5_tokenizer()
        guard find(fts5, name, &context, &tokenizer) == SQLITE_OK, let create = tokenizer.xCreate else {
            throw StoreError.invalidValue(field: "tokenizer", reason: "SQLite has no FTS5 tokenizer '\(name)'")
        }
        let rest = arguments.dropFirst().map { strdup($0) }
        defer { rest.forEach { free($0) } }
        var argv: [UnsafePointer<CChar>?] = rest.map { UnsafePointer($0) }
        var made: OpaquePointer?
        let rc = argv.withUnsafeMutableBufferPointer { buffer in
            create(context, buffer.baseAddress, Int32(buffer.count), &made)
        }
        guard rc == SQLITE_OK, let made else {
            throw StoreError.invalidValue(field: "tokenizer", reason: "cannot create the FTS5 tokenizer '\(arguments.joined(separator: " "))' (code \(rc))")
        }
        api = tokenizer
        instance = made
    }

    deinit {
        api.xDelete?(instance)
        connection.close()
    }

    /// The tokens of `text` as the index holds them (query mode), or nil when the tokenizer fails.
    func tokens(_ text: String) -> [String]? {
        guard let tokenize = api.xTokenize else { return nil }
        final class Collected { var tokens: [String] = [] }
        let collected = Collected()
        lock.lock()
        defer { lock.unlock() }
        var text = text
        let rc = text.withUTF8 { utf8 -> Int32 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                withExtendedLifetime(collected) {
                    tokenize(instance, Unmanaged.passUnretained(collected).toOpaque(), FTS5_TOKENIZE_QUERY,
                             chars.baseAddress, Int32(chars.count)) { context, _, token, length, _, _ in
                        guard let context, let token else { return SQLITE_OK }
                        let bytes = UnsafeRawBufferPointer(start: token, count: Int(length))
                        Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue().tokens
                            .append(String(decoding: bytes, as: UTF8.self))
                        return SQLITE_OK
                    }
                }
            }
        }
        return rc == SQLITE_OK ? collected.tokens : nil
    }
}

extension SQLiteStore {
    /// Column weights of the search's BM25 (title, description, makers, subjects, medium), shared by the SQL and
    /// ``FullTextIndex``.
    static let searchWeights: [Double] = [10.0, 2.0, 5.0, 3.0, 1.0]

    /// Builds an in-memory copy of the full-text index (a few seconds for 70,000 items) that answers
    /// ``searchRanking(_:limit:)`` identically and much faster; see ``FullTextIndex``.
    /// - Throws: ``StoreError`` when the database cannot be read or its search table is not the one this Curio
    ///   creates (another tokenizer or other columns).
    public func fullTextIndex() throws -> FullTextIndex {
        // A private connection (the pool's readers are query-only, and the vocabulary view is a temporary table).
        let db = try Database(path: path, readOnly: true, busyTimeoutMilliseconds: 10_000)
        defer { db.close() }
        try db.execute("PRAGMA query_only = OFF")
        let definition = try db.withStatement("SELECT sql FROM sqlite_master WHERE name = 'items_fts'") { s in
            try s.step() ? s.optionalString(0) : nil
        } ?? ""
        guard definition.contains("tokenize = '\(Schema.searchTokenizer)'"),
              definition.contains("title, description, makers, subjects, medium") else {
            throw StoreError.invalidValue(field: "items_fts", reason: "the search table is not the one this Curio creates: \(definition.prefix(200))")
        }
        let tokenizer = try QueryTokenizer(arguments: Schema.searchTokenizer.split(separator: " ").map(String.init))
        try db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.curio_fts_instances USING fts5vocab(main, items_fts, 'instance')")
        return try db.transaction(.deferred) {
            // Positions in id order; rowid (items.key) → position.
            var items: [ItemID] = []
            var keys: [Int64] = []
            try db.forEachRow("SELECT key, id FROM items ORDER BY id") { row in
                keys.append(row.int64(0))
                items.append(ItemID(row.string(1)))
            }
            let maxKey = keys.max() ?? 0
            var byKey = [Int32](repeating: -1, count: Int(max(0, min(maxKey, Int64(16 * max(1, keys.count))))) + 1)
            var sparse: [Int64: Int32] = [:]
            for (p, key) in keys.enumerated() {
                if key >= 0, key < Int64(byKey.count) { byKey[Int(key)] = Int32(p) } else { sparse[key] = Int32(p) }
            }
            func position(_ key: Int64) -> Int32 {
                key >= 0 && key < Int64(byKey.count) ? byKey[Int(key)] : (sparse[key] ?? -1)
            }
            let rowCount = Int64(try db.scalarInt("SELECT count(*) FROM items_fts_docsize") ?? 0)

            // Every instance (token, row, column), in token then row order: sum the column weights per (token, row).
            var lengths = [Int32](repeating: 0, count: items.count)
            var tokenCount: Int64 = 0
            var tokens: [String: Int32] = [:]
            var starts: [Int32] = []
            var positions: [Int32] = []
            var frequencies: [Float] = []
            var previous: [UInt8] = []
            let weights = Self.searchWeights.map(Float.init)
            try db.withStatement("SELECT term, doc, col FROM temp.curio_fts_instances") { s in
                while try s.step() {
                    tokenCount += 1
                    let row = position(s.int64(1))
                    guard row >= 0 else { continue }
                    lengths[Int(row)] += 1
                    let bytes = UnsafeRawBufferPointer(start: sqlite3_column_text(s.handle, 0), count: Int(sqlite3_column_bytes(s.handle, 0)))
                    if !bytes.elementsEqual(previous) {
                        previous = Array(bytes)
                        tokens[String(decoding: bytes, as: UTF8.self)] = Int32(starts.count)
                        starts.append(Int32(positions.count))
                    }
                    // Column names: title, description, makers, subjects, medium (told apart by two letters).
                    let column = UnsafeRawBufferPointer(start: sqlite3_column_text(s.handle, 2), count: Int(sqlite3_column_bytes(s.handle, 2)))
                    let weight: Float
                    switch (column.first, column.count > 1 ? column[1] : 0) {
                    case (UInt8(ascii: "t"), _): weight = weights[0]
                    case (UInt8(ascii: "d"), _): weight = weights[1]
                    case (UInt8(ascii: "m"), UInt8(ascii: "a")): weight = weights[2]
                    case (UInt8(ascii: "s"), _): weight = weights[3]
                    case (UInt8(ascii: "m"), UInt8(ascii: "e")): weight = weights[4]
                    default: throw StoreError.invalidValue(field: "items_fts", reason: "unknown column '\(String(decoding: column, as: UTF8.self))'")
                    }
                    // Instances of one token in one row are consecutive (the index lists a token's rows in rowid order).
                    if positions.count > Int(starts[starts.count - 1]), let last = positions.last, last == row {
                        frequencies[frequencies.count - 1] += weight
                        continue
                    }
                    positions.append(row)
                    frequencies.append(weight)
                }
            }
            starts.append(Int32(positions.count))
            return FullTextIndex(items: items, lengths: lengths, rowCount: rowCount, tokenCount: tokenCount, tokens: tokens,
                                 starts: starts, positions: positions, frequencies: frequencies, tokenizer: tokenizer)
        }
    }
}
