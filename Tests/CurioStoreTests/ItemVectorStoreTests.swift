import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite("Item vectors (embeddings) in the store")
struct ItemVectorStoreTests {
    func storeWithSample() throws -> TemporaryStore {
        let t = try TemporaryStore()
        _ = try t.store.write(RecordBatch(items: Sample.items, agents: Sample.agents, concepts: Sample.concepts))
        return t
    }

    @Test func writesReadsAndReplacesVectorsPerModel() throws {
        let t = try storeWithSample()
        #expect(try t.store.vectorRevision(model: "m") == 0)
        #expect(try t.store.vectors(model: "m").count == 0)
        try t.store.writeVectors([ItemVector(item: "N00002", contentHash: "h2", values: [0, 1, 0]),
                                  ItemVector(item: "N00001", contentHash: "h1", values: [1, 0, -0.5])], model: "m", dimension: 3)
        let set = try t.store.vectors(model: "m")
        #expect(set.items == ["N00001", "N00002"], "rows in item-id order")
        #expect(set.values == [1, 0, -0.5, 0, 1, 0])
        #expect(set.dimension == 3 && set.revision == 1)
        #expect(try t.store.vectorHashes(model: "m") == ["N00001": "h1", "N00002": "h2"])
        try t.store.writeVectors([ItemVector(item: "N00001", contentHash: "h1b", values: [0.25, 0.5, 0.75])], model: "m", dimension: 3)
        #expect(try t.store.vectorRevision(model: "m") == 2)
        #expect(try t.store.vectors(model: "m").values.prefix(3) == [0.25, 0.5, 0.75])
        #expect(try t.store.vectorHashes(model: "m")["N00001"] == "h1b")
        // Another model is independent.
        try t.store.writeVectors([ItemVector(item: "N00001", contentHash: "x", values: [1])], model: "other", dimension: 1)
        #expect(try t.store.vectorModels().map(\.model) == ["m", "other"])
        #expect(try t.store.vectorModels().first?.count == 2)
        try t.store.deleteVectors(model: "other")
        #expect(try t.store.vectors(model: "other").count == 0)
        #expect(try t.store.vectors(model: "m").count == 2)
    }

    @Test func badVectorsAreRefusedAndNothingIsStored() throws {
        let t = try storeWithSample()
        let good = ItemVector(item: "N00001", contentHash: "h", values: [1, 2])
        #expect(throws: StoreError.self) {
            try t.store.writeVectors([good, ItemVector(item: "N00002", contentHash: "h", values: [1])], model: "m", dimension: 2)
        }
        #expect(throws: StoreError.self) {
            try t.store.writeVectors([ItemVector(item: "N00002", contentHash: "h", values: [.nan, 1])], model: "m", dimension: 2)
        }
        #expect(throws: StoreError.self) {
            try t.store.writeVectors([good, ItemVector(item: "NOPE", contentHash: "h", values: [1, 1])], model: "m", dimension: 2)
        }
        #expect(try t.store.vectors(model: "m").count == 0, "the failed transaction stored nothing")
        try t.store.writeVectors([good], model: "m", dimension: 2)
        #expect(throws: StoreError.self) {
            try t.store.writeVectors([ItemVector(item: "N00002", contentHash: "h", values: [1, 2, 3])], model: "m", dimension: 3)
        }
    }

    @Test func vectorsSurviveItemUpdatesAndDisappearWithTheirItem() throws {
        let t = try storeWithSample()
        try t.store.writeVectors([ItemVector(item: "N00001", contentHash: "h", values: [1, 0])], model: "m", dimension: 2)
        var edited = Sample.items[0]
        edited.title = "The Shipwreck (retitled)"
        _ = try t.store.write(RecordBatch(items: [edited]))
        #expect(try t.store.vectorHashes(model: "m") == ["N00001": "h"], "the caller decides from the hash whether to recompute")
        try t.store.pool.withWriter { db in try db.execute("DELETE FROM items WHERE id = 'N00001'") }
        #expect(try t.store.vectors(model: "m").count == 0)
        #expect(try t.store.integrityCheck() == ["ok"])
    }
}
