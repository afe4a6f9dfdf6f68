import CurioCore
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct RecommendationEngineTests {
    func engine(_ model: String) throws -> RecommendationEngine {
        RecommendationEngine(model: try #require(ModelFixtures.trained[model]))
    }

    @Test func postedEventsChangeTheNextListWithoutRetraining() throws {
        let e = try engine("hybrid")
        var events = [Event(visitor: "new", item: "T00-001", kind: .scan, timestamp: day(1))]
        let before = e.recommend(events: events, k: 10, now: day(2))
        events.append(Event(visitor: "new", item: "T09-004", kind: .like, timestamp: day(1, hour: 13)))
        let after = e.recommend(events: events, k: 10, now: day(2))
        #expect(before.map(\.id) != after.map(\.id))
        #expect(!after.contains { $0.id == "T00-001" || $0.id == "T09-004" })
        #expect(after.contains { $0.id.rawValue.hasPrefix("T09") })
        // Explanations point at history objects.
        #expect(after.allSatisfy { $0.because == nil || $0.because == "T00-001" || $0.because == "T09-004" })
        #expect(after.contains { $0.because == "T09-004" })
    }

    @Test func dislikedObjectsAreNeverRecommendedAndFiltersApply() throws {
        let e = try engine("content")
        let events = [Event(visitor: "v", item: "T03-001", kind: .like, timestamp: day(1)),
                      Event(visitor: "v", item: "T03-002", kind: .dislike, timestamp: day(1))]
        let list = e.recommend(events: events, k: 20, excludeSeen: false, now: day(2))
        #expect(!list.contains { $0.id == "T03-002" })
        #expect(list.contains { $0.id == "T03-001" })
        let filtered = e.recommend(events: events, k: 5, allowed: { $0.rawValue.hasPrefix("T04") }, now: day(2))
        #expect(filtered.count == 5)
        #expect(filtered.allSatisfy { $0.id.rawValue.hasPrefix("T04") })
    }

    @Test func similarNamesUnknownItems() throws {
        let e = try engine("itemknn")
        #expect(try e.similar(to: "T01-003", k: 3).count == 3)
        #expect(throws: RecommendError.self) { try e.similar(to: "nope", k: 3) }
    }

    @Test func unknownItemsInEventsAreReportedNotFatal() throws {
        let e = try engine("als")
        let events = [Event(visitor: "v", item: "T01-001", kind: .view, timestamp: day(1)),
                      Event(visitor: "v", item: "ghost", kind: .view, timestamp: day(1))]
        let h = e.history(of: events, now: day(2))
        #expect(h.report.unknownItemEvents == 1)
        #expect(e.recommend(events: events, k: 5, now: day(2)).count == 5)
    }
}
