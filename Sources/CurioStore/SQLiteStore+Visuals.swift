import CurioCore
import Foundation

extension SQLiteStore: ItemVisualStore {
    public func visualHashes() throws -> [ItemID: ItemVisualStamp] {
        try pool.read { db in
            var out: [ItemID: ItemVisualStamp] = [:]
            try db.forEachRow("""
                SELECT i.id, v.content_hash, v.algorithm_version FROM item_visuals v JOIN items i ON i.key = v.item
                """) { row in
                out[ItemID(row.string(0))] = ItemVisualStamp(contentHash: row.string(1), algorithmVersion: row.int(2))
            }
            return out
        }
    }

    public func visuals(of item: ItemID) throws -> ItemVisualRecord? {
        try pool.read { db in
            var record: ItemVisualRecord?
            try db.forEachRow("""
                SELECT v.content_hash, v.algorithm_version, v.image, v.brightness, v.contrast, v.colourfulness, v.json, v.item
                FROM item_visuals v JOIN items i ON i.key = v.item WHERE i.id = ?
                """, [.text(item.rawValue)]) { row in
                record = ItemVisualRecord(item: item, contentHash: row.string(0), algorithmVersion: row.int(1),
                                          image: row.string(2), brightness: row.double(3), contrast: row.double(4),
                                          colourfulness: row.double(5), colourShares: [:], json: row.data(6))
            }
            guard var found = record else { return nil }
            try db.forEachRow("""
                SELECT c.name, c.share FROM item_colours c JOIN items i ON i.key = c.item WHERE i.id = ?
                """, [.text(item.rawValue)]) { row in found.colourShares[row.string(0)] = row.double(1) }
            return found
        }
    }

    public func writeImageAnalysis(vectors: [ItemVector], model: String, dimension: Int,
                                   visuals: [ItemVisualRecord]) throws {
        if !vectors.isEmpty { try Self.validateVectors(vectors, dimension: dimension) }
        for record in visuals {
            let values = [record.brightness, record.contrast, record.colourfulness] + Array(record.colourShares.values)
            guard values.allSatisfy(\.isFinite) else {
                throw StoreError.invalidValue(field: "visual descriptors of \(record.item)", reason: "contain NaN or infinity")
            }
        }
        try pool.write { db in
            if !vectors.isEmpty { try Self.insertVectors(vectors, model: model, dimension: dimension, in: db) }
            let now = ISO8601DateFormatter().string(from: Date())
            for record in visuals {
                guard let key = try db.scalarInt("SELECT key FROM items WHERE id = ?", [.text(record.item.rawValue)]) else {
                    throw StoreError.invalidValue(field: "visual descriptors of \(record.item)",
                                                  reason: "no such item in the collection")
                }
                try db.run("""
                    INSERT INTO item_visuals(item, content_hash, algorithm_version, image, brightness, contrast,
                                             colourfulness, updated_at, json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(item) DO UPDATE SET content_hash = excluded.content_hash,
                        algorithm_version = excluded.algorithm_version, image = excluded.image,
                        brightness = excluded.brightness, contrast = excluded.contrast,
                        colourfulness = excluded.colourfulness, updated_at = excluded.updated_at, json = excluded.json
                    """, [.integer(Int64(key)), .text(record.contentHash), .integer(Int64(record.algorithmVersion)),
                          .text(record.image), .real(record.brightness), .real(record.contrast),
                          .real(record.colourfulness), .text(now), .blob(record.json)])
                try db.run("DELETE FROM item_colours WHERE item = ?", [.integer(Int64(key))])
                for (name, share) in record.colourShares.sorted(by: { $0.key < $1.key }) {
                    try db.run("INSERT INTO item_colours(item, name, share) VALUES (?, ?, ?)",
                               [.integer(Int64(key)), .text(name), .real(share)])
                }
            }
        }
    }

    public func items(matching filter: VisualFilter) throws -> Set<ItemID> {
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        func range(_ column: String, _ bounds: ClosedRange<Double>?) {
            guard let bounds else { return }
            conditions.append("v.\(column) BETWEEN ? AND ?")
            arguments += [.real(bounds.lowerBound), .real(bounds.upperBound)]
        }
        range("brightness", filter.brightness)
        range("colourfulness", filter.colourfulness)
        range("contrast", filter.contrast)
        if !filter.colourNames.isEmpty {
            let names = try JSONEncoder().encode(filter.colourNames)
            conditions.append("""
                (SELECT coalesce(sum(c.share), 0) FROM item_colours c
                 WHERE c.item = v.item AND c.name IN (SELECT value FROM json_each(?))) >= ?
                """)
            arguments += [.text(String(decoding: names, as: UTF8.self)), .real(filter.minimumColourShare)]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try pool.read { db in
            var out = Set<ItemID>()
            try db.forEachRow("SELECT i.id FROM item_visuals v JOIN items i ON i.key = v.item \(whereClause)",
                              arguments) { out.insert(ItemID($0.string(0))) }
            return out
        }
    }

    public func visualCount() throws -> Int {
        try pool.read { db in try db.scalarInt("SELECT count(*) FROM item_visuals") ?? 0 }
    }
}
