import CurioCore
import Foundation

/// Venues, tours, conversations and next-exhibit models in SQLite (tables of schema migration 2, plus the venue
/// tables of migration 1). Times are stored as seconds since 2001-01-01 UTC, like event times.
extension SQLiteStore: VisitStateStore {
    // MARK: Venues

    public func saveVenue(_ venue: StoredVenue, importedAt: Date) throws {
        try pool.write { db in
            try db.run("DELETE FROM venues WHERE id = ?", [.text(venue.id)])
            try db.run("INSERT INTO venues(id, name, opening_hours, json, imported_at) VALUES (?, ?, ?, ?, ?)", [
                .text(venue.id), .text(venue.name), venue.openingHours.map(SQLValue.text) ?? .null, .blob(venue.document),
                .real(importedAt.timeIntervalSinceReferenceDate),
            ])
            for room in venue.rooms {
                try db.run("INSERT INTO rooms(venue, id, name, floor, accessible) VALUES (?, ?, ?, ?, ?)", [
                    .text(venue.id), .text(room.id), .text(room.name),
                    room.floorLevel.map { SQLValue.integer(Int64($0)) } ?? .null, .integer(room.stepFree ? 1 : 0),
                ])
            }
            // The shortest direct walk per ordered pair (two kinds of connection between the same rooms collapse).
            var shortest: [String: StoredVenue.Walk] = [:]
            for walk in venue.walks {
                let key = walk.from + "\u{1F}" + walk.to
                if let known = shortest[key], known.seconds <= walk.seconds { continue }
                shortest[key] = walk
            }
            for walk in shortest.values.sorted(by: { ($0.from, $0.to) < ($1.from, $1.to) }) {
                try db.run("INSERT INTO room_adjacency(venue, from_room, to_room, walk_seconds) VALUES (?, ?, ?, ?)", [
                    .text(venue.id), .text(walk.from), .text(walk.to), .real(walk.seconds),
                ])
            }
            for placement in venue.placements {
                try db.run("INSERT INTO item_placements(venue, item, room, position) VALUES (?, ?, ?, ?)", [
                    .text(venue.id), .text(placement.item.rawValue), .text(placement.room),
                    placement.position.map(SQLValue.text) ?? .null,
                ])
            }
        }
    }

    public func venueDocument(id: String?) throws -> StoredVenueDocument? {
        try pool.read { db in
            let sql = id == nil
                ? "SELECT id, name, imported_at, json FROM venues ORDER BY imported_at DESC, id LIMIT 1"
                : "SELECT id, name, imported_at, json FROM venues WHERE id = ?"
            var found: StoredVenueDocument?
            try db.forEachRow(sql, id.map { [SQLValue.text($0)] } ?? []) { row in
                guard !row.isNull(3) else { return }
                let summary = StoredVenueDocument.Summary(
                    id: row.string(0), name: row.string(1),
                    importedAt: row.optionalDouble(2).map(Date.init(timeIntervalSinceReferenceDate:)))
                found = StoredVenueDocument(summary: summary, document: row.data(3))
            }
            return found
        }
    }

    public func venueList() throws -> [StoredVenueDocument.Summary] {
        try pool.read { db in
            var out: [StoredVenueDocument.Summary] = []
            try db.forEachRow("SELECT id, name, imported_at FROM venues ORDER BY imported_at DESC, id") { row in
                out.append(.init(id: row.string(0), name: row.string(1),
                                 importedAt: row.optionalDouble(2).map(Date.init(timeIntervalSinceReferenceDate:))))
            }
            return out
        }
    }

    @discardableResult
    public func deleteVenue(id: String) throws -> Bool {
        try pool.write { db in
            try db.run("DELETE FROM venues WHERE id = ?", [.text(id)])
            return db.changes > 0
        }
    }

    // MARK: Conversations

    public func saveConversation(id: String, createdAt: Date, updatedAt: Date, json: Data) throws {
        try pool.write { db in
            try db.run("""
                INSERT INTO conversations(id, created_at, updated_at, json) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, json = excluded.json
                """, [.text(id), .real(createdAt.timeIntervalSinceReferenceDate),
                      .real(updatedAt.timeIntervalSinceReferenceDate), .blob(json)])
        }
    }

    public func conversationJSON(id: String) throws -> Data? {
        try pool.read { db in
            try db.withStatement("SELECT json FROM conversations WHERE id = ?") { s -> Data? in
                try s.bind(id, at: 1)
                return try s.step() ? s.data(0) : nil
            }
        }
    }

    // MARK: Tours

    public func saveTour(id: String, venue: String, createdAt: Date, expiresAt: Date, json: Data, now: Date) throws {
        try pool.write { db in
            try db.run("DELETE FROM tours WHERE expires_at < ?", [.real(now.timeIntervalSinceReferenceDate)])
            try db.run("""
                INSERT INTO tours(id, venue, created_at, expires_at, json) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at, json = excluded.json
                """, [.text(id), .text(venue), .real(createdAt.timeIntervalSinceReferenceDate),
                      .real(expiresAt.timeIntervalSinceReferenceDate), .blob(json)])
        }
    }

    public func tourJSON(id: String, now: Date) throws -> Data? {
        try pool.read { db in
            try db.withStatement("SELECT json FROM tours WHERE id = ? AND expires_at >= ?") { s -> Data? in
                try s.bind(id, at: 1)
                try s.bind(now.timeIntervalSinceReferenceDate, at: 2)
                return try s.step() ? s.data(0) : nil
            }
        }
    }

    // MARK: Next-exhibit models

    public func saveNextExhibitModel(_ model: StoredModel) throws {
        try pool.write { db in
            try db.run("""
                INSERT OR REPLACE INTO next_exhibit_models(name, kind, venue, trained_at, summary, data)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(model.name), .text(model.kind), model.venue.map(SQLValue.text) ?? .null,
                      .real(model.trainedAt.timeIntervalSinceReferenceDate), .text(model.summary), .blob(model.data)])
        }
    }

    public func nextExhibitModel(name: String) throws -> StoredModel? {
        try pool.read { db in
            var found: StoredModel?
            try db.forEachRow("SELECT name, kind, venue, trained_at, summary, data FROM next_exhibit_models WHERE name = ?",
                              [.text(name)]) { row in
                found = StoredModel(name: row.string(0), kind: row.string(1), venue: row.optionalString(2),
                                    trainedAt: Date(timeIntervalSinceReferenceDate: row.double(3)),
                                    summary: row.string(4), data: row.data(5))
            }
            return found
        }
    }
}
