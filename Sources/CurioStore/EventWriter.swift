import CurioCore
import Foundation

/// Appends visitor events on the writer connection (inside the session's transaction).
///
/// Events are validated first (``Event/validationProblem(now:futureTolerance:)``); one invalid event rejects
/// the whole call. An event identical to a stored one in visitor, time, item, kind, value and session is a
/// duplicate: counted, not stored (the `events_identity` unique index decides). Visitor rows keep running
/// totals (event count, first and last seen) so that listing the most active visitors needs no scan.
struct EventWriter {
    let db: Database

    func append(_ events: [Event]) throws -> EventAppendSummary {
        let now = Date()
        for (i, event) in events.enumerated() {
            if let problem = event.validationProblem(now: now) {
                throw StoreError.invalidValue(field: "events[\(i)].\(problem.field)",
                                              reason: "\(problem.message) (visitor \(event.visitor), item \(event.item))")
            }
            if event.item.rawValue.utf8.count > 1024 {
                throw StoreError.invalidValue(field: "events[\(i)].item", reason: "is longer than 1024 bytes")
            }
        }
        var visitorKeys: [VisitorID: Int64] = [:]
        var totals: [Int64: (count: Int, first: Double, last: Double)] = [:]
        var appended = 0
        var duplicates = 0
        for event in events {
            let visitor = try visitorKey(event.visitor, cache: &visitorKeys)
            let ts = event.timestamp.timeIntervalSinceReferenceDate
            try db.withStatement("""
                INSERT OR IGNORE INTO events(visitor, item, kind, value, ts, session, room, device)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """) { s in
                try s.bind(visitor, at: 1)
                try s.bind(event.item.rawValue, at: 2)
                try s.bind(event.kind.rawValue, at: 3)
                try s.bind(event.value, at: 4)
                try s.bind(ts, at: 5)
                try s.bind(event.session.flatMap { $0.isEmpty ? nil : $0 }, at: 6)
                try s.bind(event.room, at: 7)
                try s.bind(event.device, at: 8)
                try s.run()
            }
            if db.changes == 1 {
                appended += 1
                var t = totals[visitor] ?? (0, ts, ts)
                t.count += 1
                t.first = min(t.first, ts)
                t.last = max(t.last, ts)
                totals[visitor] = t
            } else {
                duplicates += 1
            }
        }
        for (visitor, t) in totals.sorted(by: { $0.key < $1.key }) {
            try db.withStatement("""
                UPDATE visitors SET events = events + ?,
                                    first_seen = min(ifnull(first_seen, ?2), ?2),
                                    last_seen = max(ifnull(last_seen, ?3), ?3)
                WHERE key = ?4
                """) { s in
                try s.bind(t.count, at: 1)
                try s.bind(t.first, at: 2)
                try s.bind(t.last, at: 3)
                try s.bind(visitor, at: 4)
                try s.run()
            }
        }
        return EventAppendSummary(appended: appended, duplicates: duplicates)
    }

    private func visitorKey(_ id: VisitorID, cache: inout [VisitorID: Int64]) throws -> Int64 {
        if let key = cache[id] { return key }
        let key: Int64
        if let found = try db.withStatement("SELECT key FROM visitors WHERE id = ?", { s -> Int64? in
            try s.bind(id.rawValue, at: 1)
            return try s.step() ? s.int64(0) : nil
        }) {
            key = found
        } else {
            try db.run("INSERT INTO visitors(id) VALUES (?)", [.text(id.rawValue)])
            key = db.lastInsertRowID
        }
        cache[id] = key
        return key
    }
}
