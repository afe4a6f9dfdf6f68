import CurioCore
import Foundation
import Testing
@testable import CurioStore

@Suite("Appending and reading visitor events")
struct EventStoreTests {
    private let t0 = Date(timeIntervalSince1970: 1_700_000_000.123)

    private func events() -> [Event] {
        [
            Event(visitor: "alice", item: "N00001", kind: .view, timestamp: t0.addingTimeInterval(10), session: "s1"),
            Event(visitor: "alice", item: "N00002", kind: .rate, value: 4, timestamp: t0, session: "s1", room: "r1", device: "app"),
            Event(visitor: "bob", item: "N00001", kind: .dwell, value: 42.5, timestamp: t0.addingTimeInterval(5)),
            Event(visitor: "alice", item: "N00003", kind: .like, timestamp: t0.addingTimeInterval(20)),
        ]
    }

    @Test func eventsReadBackInTimeOrderPerVisitor() throws {
        let t = try TemporaryStore()
        #expect(try t.store.appendEvents(events()) == EventAppendSummary(appended: 4, duplicates: 0))
        let alice = try t.store.events(visitor: "alice")
        #expect(alice.map(\.item) == ["N00002", "N00001", "N00003"])
        #expect(alice[0] == events()[1])
        #expect(try t.store.events(visitor: "nobody").isEmpty)
        #expect(try t.store.allEvents(since: nil).map(\.visitor) == ["alice", "bob", "alice", "alice"])
        #expect(try t.store.allEvents(since: t0.addingTimeInterval(5)).map(\.item) == ["N00001", "N00003"])
    }

    @Test func exactDuplicatesAreCountedNotStored() throws {
        let t = try TemporaryStore()
        _ = try t.store.appendEvents(events())
        var again = events()
        again.append(events()[0])
        var different = events()[0]
        different.session = "s2"
        again.append(different)
        #expect(try t.store.appendEvents(again) == EventAppendSummary(appended: 1, duplicates: 5))
        #expect(try t.store.stats().events == 5)
        // A value-less event and a valued one are different facts.
        let a = Event(visitor: "carol", item: "x", kind: .view, timestamp: t0)
        var b = a
        b.value = 1
        #expect(try t.store.appendEvents([a, a, b]) == EventAppendSummary(appended: 2, duplicates: 1))
    }

    @Test func anInvalidEventRejectsTheWholeBatch() throws {
        let t = try TemporaryStore()
        var batch = events()
        batch.append(Event(visitor: "bob", item: "N00001", kind: .rate, value: 9, timestamp: t0))
        #expect {
            _ = try t.store.appendEvents(batch)
        } throws: { error in
            guard case let StoreError.invalidValue(field, reason) = error else { return false }
            return field == "events[4].value" && reason.contains("outside 1 to 5")
        }
        #expect(try t.store.stats().events == 0)
        #expect(try t.store.stats().visitors == 0)
        let future = Event(visitor: "bob", item: "N00001", kind: .view, timestamp: Date().addingTimeInterval(86_400))
        #expect(throws: StoreError.self) { _ = try t.store.appendEvents([future]) }
    }

    @Test func visitorsAreListedMostActiveFirst() throws {
        let t = try TemporaryStore()
        _ = try t.store.appendEvents(events())
        _ = try t.store.appendEvents([Event(visitor: "bob", item: "N00009", kind: .view, timestamp: t0.addingTimeInterval(-30))])
        let visitors = try t.store.visitors(limit: 10, offset: 0)
        #expect(visitors.map(\.visitor) == ["alice", "bob"])
        #expect(visitors.map(\.events) == [3, 2])
        #expect(visitors[1].firstSeen == t0.addingTimeInterval(-30))
        #expect(visitors[1].lastSeen == t0.addingTimeInterval(5))
        #expect(try t.store.visitors(limit: 1, offset: 1).map(\.visitor) == ["bob"])
        #expect(throws: StoreError.self) { _ = try t.store.visitors(limit: -1, offset: 0) }
    }

    @Test func storedEventsCannotBeEdited() throws {
        let t = try TemporaryStore()
        _ = try t.store.appendEvents(events())
        #expect(throws: StoreError.self) {
            try t.store.pool.write { db in try db.execute("UPDATE events SET item = 'other'") }
        }
    }
}
