import CurioCore
import Foundation

extension SQLiteStore {
    // MARK: Records by id

    /// One indexed lookup and one JSON decode on a pooled read connection.
    public func item(_ id: ItemID) throws -> Item? {
        try pool.read { db in
            try db.withStatement("SELECT json FROM items WHERE id = ?") { s -> Item? in
                try s.bind(id.rawValue, at: 1)
                guard try s.step() else { return nil }
                return try db.codec.decode(Item.self, from: s.data(0), what: "item \(id)")
            }
        }
    }

    public func itemJSON(_ id: ItemID) throws -> Data? {
        try pool.read { db in
            try db.withStatement("SELECT json FROM items WHERE id = ?") { s -> Data? in
                try s.bind(id.rawValue, at: 1)
                return try s.step() ? s.data(0) : nil
            }
        }
    }

    public func items(ids: [ItemID]) throws -> [ItemID: Item] {
        if ids.isEmpty { return [:] }
        let list = try JSONEncoder().encode(ids.map(\.rawValue))
        return try pool.read { db in
            var out: [ItemID: Item] = [:]
            try db.forEachRow("SELECT id, json FROM items WHERE id IN (SELECT value FROM json_each(?))",
                              [.text(String(decoding: list, as: UTF8.self))]) { row in
                let id = ItemID(row.string(0))
                out[id] = try db.codec.decode(Item.self, from: row.data(1), what: "item \(id)")
            }
            return out
        }
    }

    public func existingItemIDs(_ ids: [ItemID]) throws -> Set<ItemID> {
        if ids.isEmpty { return [] }
        return try pool.read { db in try Self.existingItemIDs(ids, in: db) }
    }

    /// The subset of `ids` stored in `db` (one statement over a JSON array of the ids).
    static func existingItemIDs(_ ids: [ItemID], in db: Database) throws -> Set<ItemID> {
        let list = try JSONEncoder().encode(ids.map(\.rawValue))
        var found = Set<ItemID>()
        try db.forEachRow("SELECT id FROM items WHERE id IN (SELECT value FROM json_each(?))",
                          [.text(String(decoding: list, as: UTF8.self))]) { found.insert(ItemID($0.string(0))) }
        return found
    }

    public func agent(_ id: AgentID) throws -> Agent? {
        try pool.read { db in
            try db.withStatement("SELECT json FROM agents WHERE id = ?") { s -> Agent? in
                try s.bind(id.rawValue, at: 1)
                guard try s.step() else { return nil }
                return try db.codec.decode(Agent.self, from: s.data(0), what: "agent \(id)")
            }
        }
    }

    public func allAgents() throws -> [Agent] {
        try pool.read { db in
            var agents: [Agent] = []
            try db.forEachRow("SELECT id, json FROM agents ORDER BY id") { row in
                agents.append(try db.codec.decode(Agent.self, from: row.data(1), what: "agent \(row.string(0))"))
            }
            return agents
        }
    }

    public func concept(_ id: ConceptID) throws -> Concept? {
        try pool.read { db in
            var found: Concept?
            try db.forEachRow("SELECT \(Self.conceptColumns) FROM concepts WHERE id = ?", [.text(id.rawValue)]) { row in
                found = try Self.decodeConcept(row)
            }
            return found
        }
    }

    public func concepts(scheme: Concept.Scheme?) throws -> [Concept] {
        try pool.read { db in
            var out: [Concept] = []
            if let scheme {
                try db.forEachRow("SELECT \(Self.conceptColumns) FROM concepts WHERE scheme = ? ORDER BY id",
                                  [.text(scheme.rawValue)]) { out.append(try Self.decodeConcept($0)) }
            } else {
                try db.forEachRow("SELECT \(Self.conceptColumns) FROM concepts ORDER BY id") { out.append(try Self.decodeConcept($0)) }
            }
            return out
        }
    }

    private static let conceptColumns = "id, scheme, label, broader, level, source_uri"

    private static func decodeConcept(_ row: Statement) throws -> Concept {
        let id = row.string(0)
        guard let scheme = Concept.Scheme(rawValue: row.string(1)) else {
            throw StoreError.invalidValue(field: "concept \(id).scheme", reason: "unknown scheme '\(row.string(1))' in the database")
        }
        return Concept(id: ConceptID(id), scheme: scheme, label: row.string(2),
                       broader: row.optionalString(3).map(ConceptID.init(rawValue:)), level: row.int(4),
                       sourceURI: row.optionalString(5))
    }

    // MARK: Listing

    public func allItemIDs() throws -> [ItemID] {
        try pool.read { db in
            var ids: [ItemID] = []
            try db.forEachRow("SELECT id FROM items ORDER BY id") { ids.append(ItemID($0.string(0))) }
            return ids
        }
    }

    public func forEachItem(_ body: (Item) throws -> Void) throws {
        try pool.readSnapshot { db in
            try db.forEachRow("SELECT id, json FROM items ORDER BY id") { row in
                try body(try db.codec.decode(Item.self, from: row.data(1), what: "item \(row.string(0))"))
            }
        }
    }

    /// Maximum page size of ``items(matching:)``.
    public static let maxPageSize = 500

    /// Filters combine with AND; the subject filter follows the concept hierarchy downwards and also matches
    /// movements (and eras, through their movements).
    ///
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` for a negative page, a page size below 1, or a
    ///   year range that ends before it starts.
    public func items(matching query: ItemQuery) throws -> ItemPage {
        if query.page < 0 { throw StoreError.invalidValue(field: "page", reason: "must be 0 or more, not \(query.page)") }
        if query.pageSize < 1 { throw StoreError.invalidValue(field: "pageSize", reason: "must be at least 1, not \(query.pageSize)") }
        if let from = query.fromYear, let to = query.toYear, from > to {
            throw StoreError.invalidValue(field: "fromYear", reason: "\(from) is after toYear \(to)")
        }
        let pageSize = min(query.pageSize, Self.maxPageSize)
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        var prefix = ""
        if let subject = query.subject {
            prefix = """
                WITH RECURSIVE tree(id) AS (
                    SELECT id FROM concepts WHERE id = ?1 OR label = ?1 COLLATE NOCASE
                    UNION SELECT c.id FROM concepts c JOIN tree t ON c.broader = t.id
                )

                """
            arguments.append(.text(subject))
            conditions.append("""
                (i.key IN (SELECT item FROM item_subjects WHERE concept IN tree)
                 OR i.key IN (SELECT item FROM item_movements WHERE concept IN tree))
                """)
        }
        if let maker = query.maker {
            arguments.append(.text(maker))
            let idParam = arguments.count
            arguments.append(.text("%" + Self.escapeLike(maker) + "%"))
            conditions.append("i.key IN (SELECT item FROM item_makers WHERE agent = ?\(idParam) OR name LIKE ?\(arguments.count) ESCAPE '\\')")
        }
        if let from = query.fromYear {
            arguments.append(.integer(Int64(from)))
            conditions.append("i.end_year >= ?\(arguments.count)")
        }
        if let to = query.toYear {
            arguments.append(.integer(Int64(to)))
            conditions.append("i.start_year <= ?\(arguments.count)")
        }
        if let medium = query.medium {
            arguments.append(.text("%" + Self.escapeLike(medium) + "%"))
            conditions.append("i.medium LIKE ?\(arguments.count) ESCAPE '\\'")
        }
        if let source = query.source {
            arguments.append(.text(source))
            conditions.append("i.source = ?\(arguments.count)")
        }
        if let visual = query.visual, !visual.isEmpty {
            var ranges: [String] = []
            for (column, bounds) in [("brightness", visual.brightness), ("colourfulness", visual.colourfulness),
                                     ("contrast", visual.contrast)] {
                guard let bounds else { continue }
                arguments += [.real(bounds.lowerBound), .real(bounds.upperBound)]
                ranges.append("v.\(column) BETWEEN ?\(arguments.count - 1) AND ?\(arguments.count)")
            }
            conditions.append("i.key IN (SELECT v.item FROM item_visuals v"
                + (ranges.isEmpty ? "" : " WHERE " + ranges.joined(separator: " AND ")) + ")")
            if !visual.colourNames.isEmpty {
                let names = try JSONEncoder().encode(visual.colourNames)
                arguments += [.text(String(decoding: names, as: UTF8.self)), .real(visual.minimumColourShare)]
                conditions.append("""
                    (SELECT coalesce(sum(c.share), 0) FROM item_colours c WHERE c.item = i.key
                     AND c.name IN (SELECT value FROM json_each(?\(arguments.count - 1)))) >= ?\(arguments.count)
                    """)
            }
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let countSQL = prefix + "SELECT count(*) FROM items i" + whereClause
        let pageSQL = prefix + "SELECT i.id, i.json FROM items i" + whereClause
            + " ORDER BY i.id LIMIT ?\(arguments.count + 1) OFFSET ?\(arguments.count + 2)"
        let (offset, overflow) = query.page.multipliedReportingOverflow(by: pageSize)
        if overflow { throw StoreError.invalidValue(field: "page", reason: "\(query.page) is too large") }
        return try pool.readSnapshot { db in
            let total = try db.scalarInt(countSQL, arguments) ?? 0
            var items: [Item] = []
            if offset < total {
                try db.forEachRow(pageSQL, arguments + [.integer(Int64(pageSize)), .integer(Int64(offset))]) { row in
                    items.append(try db.codec.decode(Item.self, from: row.data(1), what: "item \(row.string(0))"))
                }
            }
            return ItemPage(items: items, total: total, page: query.page, pageSize: pageSize)
        }
    }

    /// Escapes LIKE's wildcards so user text matches literally.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for ch in text {
            if ch == "\\" || ch == "%" || ch == "_" { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    // MARK: Full-text search

    /// Maximum number of hits of ``searchText(_:limit:)``.
    public static let maxSearchHits = 1000

    /// BM25 over title (weight 10), makers (5), subjects incl. broader terms and movements (3), description (2)
    /// and medium (1). The words of `text` are matched as terms (Porter-stemmed, accents ignored): items with
    /// every word come first, then items with some of them. Snippets mark matches with `**`.
    /// Returns no hits when `text` has no searchable word.
    public func searchText(_ text: String, limit: Int) throws -> [SearchHit] {
        try search(text, limit: limit, snippets: true)
    }

    /// ``searchText(_:limit:)`` without snippets: the same ranking, cheaper when only the order is needed.
    public func searchRanking(_ text: String, limit: Int) throws -> [SearchHit] {
        try search(text, limit: limit, snippets: false)
    }

    private func search(_ text: String, limit: Int, snippets: Bool) throws -> [SearchHit] {
        let terms = Self.searchTerms(text)
        let limit = min(max(limit, 0), Self.maxSearchHits)
        if terms.isEmpty || limit == 0 { return [] }
        let quoted = terms.map { "\"" + $0 + "\"" }
        let sql = """
            SELECT i.id, -bm25(items_fts, 10.0, 2.0, 5.0, 3.0, 1.0) AS score,
                   \(snippets ? "snippet(items_fts, -1, '**', '**', '…', 12)" : "NULL")
            FROM items_fts JOIN items i ON i.key = items_fts.rowid
            WHERE items_fts MATCH ?1
            ORDER BY score DESC, i.id
            LIMIT ?2
            """
        return try pool.readSnapshot { db in
            var hits: [SearchHit] = []
            var seen = Set<String>()
            let queries = terms.count > 1 ? [quoted.joined(separator: " AND "), quoted.joined(separator: " OR ")]
                                          : [quoted[0]]
            for match in queries where hits.count < limit {
                try db.forEachRow(sql, [.text(match), .integer(Int64(limit))]) { row in
                    let id = row.string(0)
                    guard hits.count < limit, seen.insert(id).inserted else { return }
                    hits.append(SearchHit(item: ItemID(id), score: row.double(1), snippet: row.optionalString(2)))
                }
            }
            return hits
        }
    }

    /// The searchable words of user text: runs of letters and digits, lower-cased, at most 32 of them.
    static func searchTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                terms.append(current)
                current = ""
            }
        }
        if !current.isEmpty { terms.append(current) }
        var seen = Set<String>()
        return Array(terms.filter { seen.insert($0).inserted }.prefix(32))
    }

    // MARK: Events

    private static let eventColumns = "v.id, e.item, e.kind, e.value, e.ts, e.session, e.room, e.device"

    private static func decodeEvent(_ row: Statement) throws -> Event {
        guard let kind = EventKind(rawValue: row.string(2)) else {
            throw StoreError.invalidValue(field: "event kind", reason: "unknown kind '\(row.string(2))' in the database")
        }
        return Event(visitor: VisitorID(row.string(0)), item: ItemID(row.string(1)), kind: kind,
                     value: row.optionalDouble(3), timestamp: Date(timeIntervalSinceReferenceDate: row.double(4)),
                     session: row.optionalString(5), room: row.optionalString(6), device: row.optionalString(7))
    }

    public func events(visitor: VisitorID) throws -> [Event] {
        try pool.read { db in
            var out: [Event] = []
            try db.forEachRow("""
                SELECT \(Self.eventColumns) FROM events e JOIN visitors v ON v.key = e.visitor
                WHERE v.id = ? ORDER BY e.ts, e.seq
                """, [.text(visitor.rawValue)]) { out.append(try Self.decodeEvent($0)) }
            return out
        }
    }

    public func allEvents(since: Date?) throws -> [Event] {
        try pool.read { db in
            var out: [Event] = []
            let after = since?.timeIntervalSinceReferenceDate ?? -Double.greatestFiniteMagnitude
            try db.forEachRow("""
                SELECT \(Self.eventColumns) FROM events e JOIN visitors v ON v.key = e.visitor
                WHERE e.ts > ? ORDER BY e.ts, e.seq
                """, [.real(after)]) { out.append(try Self.decodeEvent($0)) }
            return out
        }
    }

    public func visitors(limit: Int, offset: Int) throws -> [VisitorSummary] {
        if limit < 0 { throw StoreError.invalidValue(field: "limit", reason: "must be 0 or more") }
        if offset < 0 { throw StoreError.invalidValue(field: "offset", reason: "must be 0 or more") }
        return try pool.read { db in
            var out: [VisitorSummary] = []
            try db.forEachRow("""
                SELECT id, events, first_seen, last_seen FROM visitors WHERE events > 0
                ORDER BY events DESC, id LIMIT ? OFFSET ?
                """, [.integer(Int64(limit)), .integer(Int64(offset))]) { row in
                out.append(VisitorSummary(visitor: VisitorID(row.string(0)), events: row.int(1),
                                          firstSeen: Date(timeIntervalSinceReferenceDate: row.double(2)),
                                          lastSeen: Date(timeIntervalSinceReferenceDate: row.double(3))))
            }
            return out
        }
    }
}
