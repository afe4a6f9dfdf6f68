import CurioCore
import Foundation

/// Upserts items, agents and concepts on the writer connection (inside the session's transaction).
///
/// Each record's canonical JSON is hashed (``RecordCodec/contentHash(_:)``); a record whose hash and stored
/// content equal the stored one is counted as unchanged and not touched. A changed record has its row updated
/// and its link rows (makers, subjects, movements, images, places) and its search row replaced.
struct RecordWriter {
    let session: SQLiteWriteSession
    private var db: Database { session.db }

    init(session: SQLiteWriteSession) {
        self.session = session
    }

    private enum Outcome { case inserted, updated, unchanged }

    func write(_ batch: RecordBatch) throws -> RecordWriteSummary {
        var summary = RecordWriteSummary()
        var touchedConcepts: [String] = []
        var anyConceptUpdated = false
        for concept in batch.concepts {
            let outcome = try write(concept)
            count(outcome, into: &summary.concepts)
            switch outcome {
            case .updated:
                anyConceptUpdated = true
                touchedConcepts.append(concept.id.rawValue)
            case .inserted:
                // A new concept can only change search rows of items stored before it that use it or a narrower
                // concept; two index lookups rule that out in the usual case (concepts arrive with or before
                // their items, broader before narrower).
                if try isReferenced(concept.id.rawValue) { touchedConcepts.append(concept.id.rawValue) }
            case .unchanged:
                break
            }
        }
        if anyConceptUpdated {
            // Cached label paths may now hold an old label or an old broader chain.
            session.labelPaths.removeAll()
        }
        if !touchedConcepts.isEmpty {
            try reindexItems(referencingAnyOf: touchedConcepts)
        }
        for agent in batch.agents {
            count(try write(agent), into: &summary.agents)
        }
        for item in batch.items {
            count(try write(item), into: &summary.items)
        }
        return summary
    }

    private func count(_ outcome: Outcome, into summary: inout WriteSummary) {
        switch outcome {
        case .inserted: summary.inserted += 1
        case .updated: summary.updated += 1
        case .unchanged: summary.unchanged += 1
        }
    }

    /// The stored key and hash of the record with `id` in `table`, if any.
    private func existing(_ table: String, _ id: String) throws -> (key: Int64, hash: Data)? {
        try db.withStatement("SELECT key, hash FROM \(table) WHERE id = ?") { s in
            try s.bind(id, at: 1)
            return try s.step() ? (s.int64(0), s.data(1)) : nil
        }
    }

    /// The stored canonical JSON of the row `key` of `table` (to confirm a matching hash).
    private func storedJSON(in table: String, key: Int64) throws -> Data? {
        try db.withStatement("SELECT json FROM \(table) WHERE key = ?") { s in
            try s.bind(key, at: 1)
            return try s.step() ? s.data(0) : nil
        }
    }

    /// The stored concept in row `key` (to confirm a matching hash).
    private func storedConcept(key: Int64) throws -> Concept? {
        try db.withStatement("SELECT id, scheme, label, broader, level, source_uri FROM concepts WHERE key = ?") { s in
            try s.bind(key, at: 1)
            guard try s.step(), let scheme = Concept.Scheme(rawValue: s.string(1)) else { return nil }
            return Concept(id: ConceptID(s.string(0)), scheme: scheme, label: s.string(2),
                           broader: s.optionalString(3).map(ConceptID.init(rawValue:)), level: s.int(4),
                           sourceURI: s.optionalString(5))
        }
    }

    private static func checkID(_ id: String, kind: String) throws {
        if id.isEmpty { throw StoreError.invalidValue(field: "\(kind).id", reason: "is empty") }
        if id.utf8.count > 1024 { throw StoreError.invalidValue(field: "\(kind).id", reason: "is longer than 1024 bytes") }
    }

    // MARK: Concepts

    private func write(_ concept: Concept) throws -> Outcome {
        let id = concept.id.rawValue
        try Self.checkID(id, kind: "concept")
        if concept.broader == concept.id {
            throw StoreError.invalidValue(field: "concept \(id).broader", reason: "a concept cannot be broader than itself")
        }
        let json = db.codec.encode(concept)
        let hash = RecordCodec.contentHash(json)
        let found = try existing("concepts", id)
        if let found, found.hash == hash, try storedConcept(key: found.key) == concept { return .unchanged }
        let sql = found == nil
            ? "INSERT INTO concepts(scheme, label, broader, level, source_uri, hash, id) VALUES (?, ?, ?, ?, ?, ?, ?)"
            : "UPDATE concepts SET scheme = ?, label = ?, broader = ?, level = ?, source_uri = ?, hash = ? WHERE id = ?"
        try db.withStatement(sql) { s in
            try s.bind(concept.scheme.rawValue, at: 1)
            try s.bind(concept.label, at: 2)
            try s.bind(concept.broader?.rawValue, at: 3)
            try s.bind(concept.level, at: 4)
            try s.bind(concept.sourceURI, at: 5)
            try s.bind(hash, at: 6)
            try s.bind(id, at: 7)
            try s.run()
        }
        return found == nil ? .inserted : .updated
    }

    // MARK: Agents

    private func write(_ agent: Agent) throws -> Outcome {
        let id = agent.id.rawValue
        try Self.checkID(id, kind: "agent")
        let json = db.codec.encode(agent)
        let hash = RecordCodec.contentHash(json)
        let found = try existing("agents", id)
        if let found, found.hash == hash, try storedJSON(in: "agents", key: found.key) == json { return .unchanged }
        let key: Int64
        if let found {
            key = found.key
            try db.withStatement("""
                UPDATE agents SET name = ?, sort_name = ?, gender = ?, birth_year = ?, death_year = ?, url = ?,
                                  hash = ?, json = ? WHERE key = ?
                """) { s in
                try bindAgent(agent, hash: hash, json: json, to: s)
                try s.bind(key, at: 9)
                try s.run()
            }
            try db.run("DELETE FROM agent_places WHERE agent = ?", [.integer(key)])
            try db.run("DELETE FROM agent_movements WHERE agent = ?", [.integer(key)])
        } else {
            try db.withStatement("""
                INSERT INTO agents(name, sort_name, gender, birth_year, death_year, url, hash, json, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """) { s in
                try bindAgent(agent, hash: hash, json: json, to: s)
                try s.bind(id, at: 9)
                try s.run()
            }
            key = db.lastInsertRowID
        }
        var places: [(String, Int, Place)] = []
        if let p = agent.birthPlace { places.append(("birth", 0, p)) }
        if let p = agent.deathPlace { places.append(("death", 0, p)) }
        for (i, p) in agent.activePlaces.enumerated() { places.append(("active", i, p)) }
        for (relation, ord, place) in places {
            let placeKey = try self.placeKey(place)
            try db.withStatement("INSERT OR IGNORE INTO agent_places(agent, relation, ord, place) VALUES (?, ?, ?, ?)") { s in
                try s.bind(key, at: 1)
                try s.bind(relation, at: 2)
                try s.bind(ord, at: 3)
                try s.bind(placeKey, at: 4)
                try s.run()
            }
        }
        for (i, movement) in agent.movements.enumerated() {
            try db.withStatement("INSERT INTO agent_movements(agent, ord, concept) VALUES (?, ?, ?)") { s in
                try s.bind(key, at: 1)
                try s.bind(i, at: 2)
                try s.bind(movement.rawValue, at: 3)
                try s.run()
            }
        }
        return found == nil ? .inserted : .updated
    }

    private func bindAgent(_ agent: Agent, hash: Data, json: Data, to s: Statement) throws {
        try s.bind(agent.name, at: 1)
        try s.bind(agent.sortName, at: 2)
        try s.bind(agent.gender, at: 3)
        try s.bind(agent.birthYear, at: 4)
        try s.bind(agent.deathYear, at: 5)
        try s.bind(agent.url, at: 6)
        try s.bind(hash, at: 7)
        try s.bind(json, at: 8)
    }

    /// The key of the place row for `place`, inserting it on first use. The first description of a place wins.
    private func placeKey(_ place: Place) throws -> Int64 {
        let id = place.key
        if let key = try db.withStatement("SELECT key FROM places WHERE id = ?", { s -> Int64? in
            try s.bind(id, at: 1)
            return try s.step() ? s.int64(0) : nil
        }) {
            return key
        }
        try db.withStatement("INSERT INTO places(id, name, place_name, place_type, country) VALUES (?, ?, ?, ?, ?)") { s in
            try s.bind(id, at: 1)
            try s.bind(place.name, at: 2)
            try s.bind(place.placeName, at: 3)
            try s.bind(place.placeType, at: 4)
            try s.bind(place.country, at: 5)
            try s.run()
        }
        return db.lastInsertRowID
    }

    // MARK: Items

    private func write(_ item: Item) throws -> Outcome {
        let id = item.id.rawValue
        try Self.checkID(id, kind: "item")
        let json = try db.codec.encode(item)
        let hash = RecordCodec.contentHash(json)
        let found = try existing("items", id)
        if let found, found.hash == hash, try storedJSON(in: "items", key: found.key) == json { return .unchanged }
        let key: Int64
        if let found {
            key = found.key
            try db.withStatement("""
                UPDATE items SET source = ?, title = ?, start_year = ?, end_year = ?, is_circa = ?, medium = ?,
                                 classification = ?, acquisition_year = ?, width_mm = ?, height_mm = ?, depth_mm = ?,
                                 hash = ?, json = ? WHERE key = ?
                """) { s in
                try bindItem(item, hash: hash, json: json, to: s)
                try s.bind(key, at: 14)
                try s.run()
            }
            for table in ["item_makers", "item_subjects", "item_movements", "images"] {
                try db.run("DELETE FROM \(table) WHERE item = ?", [.integer(key)])
            }
            try db.run("DELETE FROM items_fts WHERE rowid = ?", [.integer(key)])
        } else {
            try db.withStatement("""
                INSERT INTO items(source, title, start_year, end_year, is_circa, medium, classification,
                                  acquisition_year, width_mm, height_mm, depth_mm, hash, json, id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """) { s in
                try bindItem(item, hash: hash, json: json, to: s)
                try s.bind(id, at: 14)
                try s.run()
            }
            key = db.lastInsertRowID
        }
        try writeLinks(of: item, key: key)
        try writeSearchRow(of: item, key: key)
        return found == nil ? .inserted : .updated
    }

    private func bindItem(_ item: Item, hash: Data, json: Data, to s: Statement) throws {
        try s.bind(item.source, at: 1)
        try s.bind(item.title, at: 2)
        try s.bind(item.date?.startYear, at: 3)
        try s.bind(item.date?.endYear, at: 4)
        try s.bind(item.date?.isCirca ?? false, at: 5)
        try s.bind(item.medium, at: 6)
        try s.bind(item.classification, at: 7)
        try s.bind(item.acquisitionYear, at: 8)
        try s.bind(item.widthMM, at: 9)
        try s.bind(item.heightMM, at: 10)
        try s.bind(item.depthMM, at: 11)
        try s.bind(hash, at: 12)
        try s.bind(json, at: 13)
    }

    private func writeLinks(of item: Item, key: Int64) throws {
        for (i, maker) in item.makers.enumerated() {
            try db.withStatement("INSERT INTO item_makers(item, ord, agent, name, role) VALUES (?, ?, ?, ?, ?)") { s in
                try s.bind(key, at: 1)
                try s.bind(i, at: 2)
                try s.bind(maker.agent.rawValue, at: 3)
                try s.bind(maker.name, at: 4)
                try s.bind(maker.role, at: 5)
                try s.run()
            }
        }
        for (table, concepts) in [("item_subjects", item.subjects), ("item_movements", item.movements)] {
            for (i, concept) in concepts.enumerated() {
                try db.withStatement("INSERT INTO \(table)(item, ord, concept) VALUES (?, ?, ?)") { s in
                    try s.bind(key, at: 1)
                    try s.bind(i, at: 2)
                    try s.bind(concept.rawValue, at: 3)
                    try s.run()
                }
            }
        }
        for (i, image) in item.images.enumerated() {
            try db.withStatement("INSERT INTO images(item, ord, kind, location, licence) VALUES (?, ?, ?, ?, ?)") { s in
                try s.bind(key, at: 1)
                try s.bind(i, at: 2)
                try s.bind(image.kind.rawValue, at: 3)
                try s.bind(image.location, at: 4)
                try s.bind(image.licence, at: 5)
                try s.run()
            }
        }
    }

    // MARK: Search rows

    private func writeSearchRow(of item: Item, key: Int64) throws {
        var titles = [item.title]
        titles.append(contentsOf: item.alternateTitles.keys.sorted().compactMap { item.alternateTitles[$0] })
        var seenMakers = Set<String>()
        let makers = item.makers.map(\.name).filter { seenMakers.insert($0).inserted }
        var labels: [String] = []
        var seenLabels = Set<String>()
        for concept in item.subjects + item.movements {
            for label in try labelPath(concept.rawValue) where seenLabels.insert(label).inserted {
                labels.append(label)
            }
        }
        try db.withStatement("""
            INSERT INTO items_fts(rowid, title, description, makers, subjects, medium) VALUES (?, ?, ?, ?, ?, ?)
            """) { s in
            try s.bind(key, at: 1)
            try s.bind(titles.joined(separator: "\n"), at: 2)
            try s.bind(item.description, at: 3)
            try s.bind(makers.joined(separator: "; "), at: 4)
            try s.bind(labels.joined(separator: "; "), at: 5)
            try s.bind(item.medium, at: 6)
            try s.run()
        }
    }

    /// The labels of concept `id` and of every broader concept, nearest first (empty for an unknown concept).
    ///
    /// Complete paths (ending at a top concept) are cached for the transaction; a path cut short by a broader
    /// concept not yet stored is recomputed next time, so inserting that concept later is reflected.
    private func labelPath(_ id: String) throws -> [String] {
        if let cached = session.labelPaths[id] { return cached }
        var path: [String] = []
        var current: String? = id
        var visited = Set<String>()
        var complete = false
        while let c = current, visited.insert(c).inserted, visited.count <= 32 {
            if let cached = session.labelPaths[c] {
                path.append(contentsOf: cached)
                complete = true
                break
            }
            guard let (label, broader) = try db.withStatement("SELECT label, broader FROM concepts WHERE id = ?", { s -> (String, String?)? in
                try s.bind(c, at: 1)
                return try s.step() ? (s.string(0), s.optionalString(1)) : nil
            }) else { break }
            path.append(label)
            current = broader
            if broader == nil { complete = true }
        }
        if complete { session.labelPaths[id] = path }
        return path
    }

    /// Whether any stored item uses `concept`, or any stored concept names it as broader.
    private func isReferenced(_ concept: String) throws -> Bool {
        for sql in ["SELECT 1 FROM concepts WHERE broader = ? LIMIT 1", "SELECT 1 FROM item_subjects WHERE concept = ? LIMIT 1",
                    "SELECT 1 FROM item_movements WHERE concept = ? LIMIT 1"] {
            if try db.scalarInt(sql, [.text(concept)]) != nil { return true }
        }
        return false
    }

    /// Rebuilds the search rows of stored items whose subjects or movements are any of `concepts` or
    /// narrower than them (their labels, or their broader chain, just changed or just arrived).
    private func reindexItems(referencingAnyOf concepts: [String]) throws {
        var keys = Set<Int64>()
        for concept in concepts {
            try db.forEachRow("""
                WITH RECURSIVE narrower(id) AS (
                    SELECT ?1
                    UNION SELECT c.id FROM concepts c JOIN narrower n ON c.broader = n.id
                )
                SELECT item FROM item_subjects WHERE concept IN narrower
                UNION SELECT item FROM item_movements WHERE concept IN narrower
                """, [.text(concept)]) { keys.insert($0.int64(0)) }
        }
        for key in keys.sorted() {
            guard let json = try db.withStatement("SELECT json FROM items WHERE key = ?", { s -> Data? in
                try s.bind(key, at: 1)
                return try s.step() ? s.data(0) : nil
            }) else { continue }
            let item = try db.codec.decode(Item.self, from: json, what: "item #\(key)")
            try db.run("DELETE FROM items_fts WHERE rowid = ?", [.integer(key)])
            try writeSearchRow(of: item, key: key)
        }
    }
}
