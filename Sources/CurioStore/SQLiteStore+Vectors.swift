import CurioCore
import Foundation

extension SQLiteStore: ItemVectorStore {
    public func vectorHashes(model: String) throws -> [ItemID: String] {
        try pool.read { db in
            var hashes: [ItemID: String] = [:]
            try db.forEachRow("""
                SELECT i.id, v.content_hash FROM item_vectors v JOIN items i ON i.key = v.item WHERE v.model_id = ?
                """, [.text(model)]) { row in hashes[ItemID(row.string(0))] = row.string(1) }
            return hashes
        }
    }

    public func writeVectors(_ vectors: [ItemVector], model: String, dimension: Int) throws {
        try Self.validateVectors(vectors, dimension: dimension)
        try pool.write { db in try Self.insertVectors(vectors, model: model, dimension: dimension, in: db) }
    }

    /// Checks dimensions and values before any write.
    static func validateVectors(_ vectors: [ItemVector], dimension: Int) throws {
        guard dimension > 0 else { throw StoreError.invalidValue(field: "vector dimension", reason: "must be positive") }
        for vector in vectors {
            guard vector.values.count == dimension else {
                throw StoreError.invalidValue(field: "vector of \(vector.item)",
                                              reason: "has \(vector.values.count) values, the model has \(dimension)")
            }
            guard vector.values.allSatisfy(\.isFinite) else {
                throw StoreError.invalidValue(field: "vector of \(vector.item)", reason: "contains NaN or infinity")
            }
        }
    }

    /// Inserts validated vectors inside the caller's transaction.
    static func insertVectors(_ vectors: [ItemVector], model: String, dimension: Int, in db: Database) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        var stored: Int?
        try db.forEachRow("SELECT dimension FROM vector_models WHERE model_id = ?", [.text(model)]) { stored = $0.int(0) }
        if let stored, stored != dimension {
            throw StoreError.invalidValue(field: "vectors of \(model)",
                                          reason: "have \(dimension) dimensions, the stored ones \(stored); delete them first")
        }
        try db.run("""
            INSERT INTO vector_models(model_id, dimension, revision, updated_at) VALUES (?, ?, 1, ?)
            ON CONFLICT(model_id) DO UPDATE SET revision = revision + 1, updated_at = excluded.updated_at
            """, [.text(model), .integer(Int64(dimension)), .text(now)])
        try db.withStatement("""
            INSERT INTO item_vectors(model_id, item, content_hash, vector)
            SELECT ?1, key, ?3, ?4 FROM items WHERE id = ?2
            ON CONFLICT(model_id, item) DO UPDATE SET content_hash = excluded.content_hash, vector = excluded.vector
            """) { statement in
            for vector in vectors {
                statement.reset()
                try statement.bind(model, at: 1)
                try statement.bind(vector.item.rawValue, at: 2)
                try statement.bind(vector.contentHash, at: 3)
                try statement.bind(Self.littleEndianBytes(vector.values), at: 4)
                try statement.run()
                if db.changes == 0 {
                    throw StoreError.invalidValue(field: "vector of \(vector.item)", reason: "no such item in the collection")
                }
            }
        }
    }

    public func vectors(model: String) throws -> ItemVectorSet {
        try pool.readSnapshot { db in
            var dimension = 0, revision = 0
            try db.forEachRow("SELECT dimension, revision FROM vector_models WHERE model_id = ?", [.text(model)]) { row in
                dimension = row.int(0)
                revision = row.int(1)
            }
            var items: [ItemID] = []
            var values: [Float] = []
            guard dimension > 0 else { return ItemVectorSet(model: model, dimension: 0, items: [], values: [], revision: 0) }
            if let count = try db.scalarInt("SELECT count(*) FROM item_vectors WHERE model_id = ?", [.text(model)]) {
                items.reserveCapacity(count)
                values.reserveCapacity(count * dimension)
            }
            try db.forEachRow("""
                SELECT i.id, v.vector FROM item_vectors v JOIN items i ON i.key = v.item
                WHERE v.model_id = ? ORDER BY i.id
                """, [.text(model)]) { row in
                let id = row.string(0)
                try row.withBytes(1) { bytes in
                    guard bytes.count == dimension * 4 else {
                        throw StoreError.invalidValue(field: "stored vector of \(id) for \(model)",
                                                      reason: "has \(bytes.count) bytes, expected \(dimension * 4)")
                    }
                    for k in 0..<dimension {
                        values.append(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                    }
                }
                items.append(ItemID(id))
            }
            return ItemVectorSet(model: model, dimension: dimension, items: items, values: values, revision: revision)
        }
    }

    public func vectorRevision(model: String) throws -> Int {
        try pool.read { db in
            try db.scalarInt("SELECT revision FROM vector_models WHERE model_id = ?", [.text(model)]) ?? 0
        }
    }

    public func vectorModels() throws -> [VectorModelSummary] {
        try pool.read { db in
            var out: [VectorModelSummary] = []
            try db.forEachRow("""
                SELECT m.model_id, m.dimension, m.updated_at, (SELECT count(*) FROM item_vectors v WHERE v.model_id = m.model_id)
                FROM vector_models m ORDER BY m.model_id
                """) { row in
                out.append(VectorModelSummary(model: row.string(0), dimension: row.int(1), count: row.int(3),
                                              updatedAt: row.string(2)))
            }
            return out
        }
    }

    public func deleteVectors(model: String) throws {
        try pool.write { db in try db.run("DELETE FROM vector_models WHERE model_id = ?", [.text(model)]) }
    }

    /// Float32 values as little-endian bytes.
    static func littleEndianBytes(_ values: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (k, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * k, as: UInt32.self)
            }
        }
        return bytes
    }
}
