import CurioCore
import Foundation
import Testing
@testable import CurioStore

private struct Abort: Error {}

@Suite("Transactions, write sessions and concurrent access")
struct TransactionTests {
    @Test func aSessionThatThrowsLeavesTheStoreAsItWas() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(RecordBatch(concepts: Sample.concepts))
        let before = try t.store.stats().canonicalJSON()
        #expect(throws: Abort.self) {
            try t.store.withWriteSession { session in
                _ = try session.write(RecordBatch(items: Sample.items, agents: Sample.agents))
                _ = try session.appendEvents([Event(visitor: "v", item: "N00001", kind: .view, timestamp: Date())])
                try session.markFileIngested(path: "/x", sha256: "00", summary: WriteSummary(inserted: 1))
                throw Abort()
            }
        }
        #expect(try t.store.stats().canonicalJSON() == before)
        #expect(try t.store.ingestedFiles().isEmpty)
        #expect(try t.store.searchText("shipwreck", limit: 5).isEmpty)
    }

    @Test func commitsInsideASessionSurviveALaterFailure() throws {
        let t = try TemporaryStore()
        #expect(throws: Abort.self) {
            try t.store.withWriteSession { session in
                _ = try session.write(RecordBatch(items: [Sample.items[0]]))
                try session.commit()
                _ = try session.write(RecordBatch(items: [Sample.items[1]]))
                throw Abort()
            }
        }
        #expect(try t.store.allItemIDs() == ["N00001"])
    }

    @Test func aFailedCallInsideASessionIsUndoneButEarlierCallsStay() throws {
        let t = try TemporaryStore()
        try t.store.withWriteSession { session in
            _ = try session.write(RecordBatch(items: [Sample.items[0]]))
            #expect(throws: StoreError.self) {
                _ = try session.write(RecordBatch(items: [Sample.items[1], Sample.item("", title: "bad")]))
            }
            _ = try session.write(RecordBatch(items: [Sample.items[2]]))
        }
        #expect(try t.store.allItemIDs() == ["N00001", "N00003"])
    }

    @Test func nestedWritesOnTheSameThreadAreRefused() throws {
        let t = try TemporaryStore()
        try t.store.withWriteSession { session in
            _ = try session.write(RecordBatch(items: [Sample.items[0]]))
            #expect(throws: StoreError.self) { _ = try t.store.write(RecordBatch(items: [Sample.items[1]])) }
        }
        #expect(try t.store.allItemIDs() == ["N00001"])
    }

    @Test func readersSeeTheLastCommitWhileAWriteIsOpen() throws {
        let t = try TemporaryStore()
        _ = try t.store.write(RecordBatch(items: [Sample.items[0]]))
        try t.store.withWriteSession { session in
            _ = try session.write(RecordBatch(items: [Sample.items[1]]))
            // Another thread reads without waiting for the open write transaction.
            let seen = LockedBox<[ItemID]>([])
            let store = t.store
            let thread = Thread {
                seen.value = (try? store.allItemIDs()) ?? [ItemID("failed")]
            }
            thread.start()
            let deadline = Date().addingTimeInterval(10)
            while seen.value.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            #expect(seen.value == ["N00001"])
        }
        #expect(try t.store.allItemIDs() == ["N00001", "N00002"])
    }

    @Test func concurrentReadersAndAWriterDoNotInterfere() async throws {
        let t = try TemporaryStore(options: .init(maxReaders: 3))
        _ = try t.store.write(Sample.batch)
        let store = t.store
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for i in 0..<40 {
                    _ = try store.write(RecordBatch(items: [Sample.item("W\(i)", title: "Written \(i)")]))
                    _ = try store.appendEvents([Event(visitor: "w", item: ItemID("W\(i)"), kind: .view, timestamp: Date(timeIntervalSince1970: Double(i)))])
                }
                return 0
            }
            for _ in 0..<6 {
                group.addTask {
                    var reads = 0
                    for _ in 0..<60 {
                        let item = try store.item("N00003")
                        guard item == Sample.items[2] else { throw Abort() }
                        _ = try store.items(matching: ItemQuery(subject: "people"))
                        _ = try store.searchText("sea", limit: 5)
                        reads += 1
                    }
                    return reads
                }
            }
            var total = 0
            for try await n in group { total += n }
            #expect(total == 360)
        }
        #expect(try store.stats().items == 45)
        #expect(try store.stats().events == 40)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func aSecondProcessStyleConnectionWaitsForTheWriteLock() throws {
        let t = try TemporaryStore()
        let other = try SQLiteStore(path: t.path, options: .init(busyTimeoutMilliseconds: 5000))
        let done = LockedBox(false)
        try t.store.withWriteSession { session in
            _ = try session.write(RecordBatch(items: [Sample.items[0]]))
            let thread = Thread {
                _ = try? other.write(RecordBatch(items: [Sample.items[1]]))
                done.value = true
            }
            thread.start()
            Thread.sleep(forTimeInterval: 0.2)
            #expect(done.value == false)
        }
        let deadline = Date().addingTimeInterval(10)
        while !done.value && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(try t.store.allItemIDs() == ["N00001", "N00002"])
    }
}

/// A value shared between a test and a helper thread.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ value: T) { _value = value }
    var value: T {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}

@Suite("Nested reads")
struct NestedReadTests {
    @Test func readsInsideReadsReuseTheConnectionInsteadOfDeadlocking() throws {
        let t = try TemporaryStore(options: .init(maxReaders: 1))
        _ = try t.store.write(Sample.batch)
        var titles: [String] = []
        try t.store.forEachItem { item in
            // With a single reader, a second connection could never be had: this must reuse the first.
            titles.append(try t.store.item(item.id)?.title ?? "missing")
            _ = try t.store.items(matching: ItemQuery(subject: "people"))
        }
        #expect(titles == Sample.items.sorted { $0.id < $1.id }.map(\.title))
        // Afterwards the connection is back in the pool for other threads.
        let store = t.store
        let other = LockedBox<Int>(-1)
        let thread = Thread { other.value = (try? store.stats().items) ?? -2 }
        thread.start()
        let deadline = Date().addingTimeInterval(10)
        while other.value == -1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(other.value == 5)
    }
}
