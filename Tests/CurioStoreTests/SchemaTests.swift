import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite("Opening stores and migrating their schema")
struct SchemaTests {
    @Test func newStoreHasTheLatestSchemaAndIsSound() throws {
        let t = try TemporaryStore()
        #expect(t.store.schemaVersion == SQLiteStore.supportedSchemaVersion)
        #expect(try t.store.stats().schemaVersion == SQLiteStore.supportedSchemaVersion)
        #expect(try t.store.integrityCheck() == ["ok"])
    }

    @Test func connectionsUseWALAndForeignKeys() throws {
        let t = try TemporaryStore()
        let (mode, fk, sync) = try t.store.pool.withWriter { db in
            (try db.withStatement("PRAGMA journal_mode") { s -> String in _ = try s.step(); return s.string(0) },
             try db.scalarInt("PRAGMA foreign_keys"), try db.scalarInt("PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(fk == 1)
        #expect(sync == 1) // NORMAL
        let readerIsReadOnly = try t.store.pool.read { db in
            do {
                try db.execute("CREATE TABLE x(a)")
                return false
            } catch StoreError.sqlite {
                return true
            }
        }
        #expect(readerIsReadOnly)
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateAgain() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(Sample.batch)
        let again = try SQLiteStore(path: t.path)
        #expect(try again.item("N00001")?.title == "The Shipwreck")
        let applied = try again.pool.read { db in try db.scalarInt("SELECT count(*) FROM curio_migrations") }
        #expect(applied == Schema.migrations.count)
    }

    @Test func aNewerSchemaIsRefused() throws {
        let t = try TemporaryStore()
        try t.store.pool.withWriter { db in try db.execute("PRAGMA user_version = 99") }
        #expect {
            _ = try SQLiteStore(path: t.path)
        } throws: { error in
            guard case let StoreError.schemaTooNew(found, supported) = error else { return false }
            return found == 99 && supported == SQLiteStore.supportedSchemaVersion
        }
    }

    @Test func anEditedMigrationIsDetected() throws {
        let t = try TemporaryStore()
        try t.store.pool.withWriter { db in try db.execute("UPDATE curio_migrations SET checksum = 'x' WHERE version = 1") }
        #expect {
            _ = try SQLiteStore(path: t.path)
        } throws: { error in
            guard case let StoreError.cannotOpen(_, reason) = error else { return false }
            return reason.contains("never be edited")
        }
    }

    @Test func releasedMigrationsAreNeverEdited() {
        // Pinned checksums of released migrations. Append new migrations instead of editing these.
        let pinned = [1: "2793fe79401b3a2f552a14d07231c8a63a7adb3d4f2717a4122876bd14c22fdb",
                      2: "dfb4bd997fa1b3cadd857facc295e50c4b64b9cdf8ca8f992f66af1050b0101f"]
        for migration in Schema.migrations {
            guard let expected = pinned[migration.version] else { continue }
            #expect(migration.checksum == expected, "migration \(migration.version) \(migration.name) was edited")
        }
        #expect(Schema.migrations.map(\.version) == Array(1...Schema.migrations.count))
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-foreign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("other.db").path
        do {
            let db = try Database(path: path, readOnly: false, busyTimeoutMilliseconds: 1000)
            try db.execute("CREATE TABLE customers(name TEXT)")
        }
        #expect {
            _ = try SQLiteStore(path: path)
        } throws: { error in
            guard case let StoreError.cannotOpen(p, reason) = error else { return false }
            return p == path && reason.contains("another application")
        }
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curio-notdb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.db").path
        try Data(String(repeating: "not a database ", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStore(path: path)
        } throws: { error in
            guard case let StoreError.cannotOpen(p, reason) = error else { return false }
            return p == path && reason.contains("not a Curio database")
        }
    }

    @Test func aMissingFileIsAnErrorWhenCreationIsOff() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("curio-missing-\(UUID().uuidString).db").path
        #expect {
            _ = try SQLiteStore(path: path, options: .init(createIfMissing: false))
        } throws: { error in
            guard case let StoreError.cannotOpen(p, reason) = error else { return false }
            return p == path && reason.contains("curio init")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aMissingFolderIsNamed() throws {
        let path = "/nonexistent-\(UUID().uuidString)/curio.db"
        #expect {
            _ = try SQLiteStore(path: path)
        } throws: { error in
            guard case let StoreError.cannotOpen(_, reason) = error else { return false }
            return reason.contains("does not exist")
        }
    }

    @Test func sqlErrorsCarryTheStatementAndCode() throws {
        let t = try TemporaryStore()
        #expect {
            try t.store.pool.withWriter { db in try db.run("INSERT INTO nonexistent VALUES (1)") }
        } throws: { error in
            guard case let StoreError.sqlite(code, message, sql) = error else { return false }
            return code == 1 && message.contains("no such table") && sql.contains("INSERT INTO nonexistent")
        }
    }
}
