import CurioCore
import Foundation
import Testing
@testable import CurioRecommend

@Suite struct InteractionBuilderTests {
    let catalogue: [ItemID] = ["A", "B", "C", "D"]
    let builder = InteractionBuilder(now: Date(timeIntervalSince1970: 1_800_000_000))

    @Test func itemsWithoutEventsStillExistAsColumns() throws {
        let m = try builder.build(events: [Event(visitor: "v1", item: "B", kind: .view, timestamp: day(1))], catalogue: catalogue)
        #expect(m.itemCount == 4)
        #expect(m.userCount == 1)
        #expect(m.itemIDs == catalogue)
        #expect(m.matrix[0, 1] == 1)
        #expect(m.byItem.rows == 4)
        #expect(m.byItem[1, 0] == 1)
    }

    @Test func eventsForUnknownItemsAreCountedNotSilentlyDropped() throws {
        let events = [Event(visitor: "v1", item: "A", kind: .view, timestamp: day(1)),
                      Event(visitor: "v1", item: "ZZZ", kind: .view, timestamp: day(1)),
                      Event(visitor: "v2", item: "ZZZ", kind: .like, timestamp: day(1)),
                      Event(visitor: "v2", item: "YYY", kind: .like, timestamp: day(1))]
        let m = try builder.build(events: events, catalogue: catalogue)
        #expect(m.report.unknownItemEvents == 3)
        #expect(m.report.unknownItemSamples == ["ZZZ", "YYY"])
        #expect(m.report.eventsUsed == 1)
        #expect(m.report.summary.contains("3 for items not in the catalogue"))
    }

    @Test func repeatedEventsInOneSessionCountOnceButNotAcrossSessions() throws {
        let events = [Event(visitor: "v", item: "A", kind: .view, timestamp: day(1), session: "s1"),
                      Event(visitor: "v", item: "A", kind: .view, timestamp: day(1, hour: 13), session: "s1"),
                      Event(visitor: "v", item: "A", kind: .view, timestamp: day(1, hour: 14), session: "s1"),
                      Event(visitor: "v", item: "A", kind: .view, timestamp: day(9), session: "s2")]
        let m = try builder.build(events: events, catalogue: catalogue)
        #expect(m.report.duplicatesMerged == 2)
        #expect(m.matrix[0, 0] == 2)
        #expect(m.times[0] == day(1).timeIntervalSince1970)
    }

    @Test func eventsWithoutSessionAreGroupedByDay() throws {
        let events = [Event(visitor: "v", item: "A", kind: .like, timestamp: day(1, hour: 10)),
                      Event(visitor: "v", item: "A", kind: .like, timestamp: day(1, hour: 11)),
                      Event(visitor: "v", item: "A", kind: .like, timestamp: day(2, hour: 11))]
        let m = try builder.build(events: events, catalogue: catalogue)
        #expect(m.matrix[0, 0] == 8)
        #expect(m.report.duplicatesMerged == 1)
    }

    @Test func dwellIsLogScaledAndSummedPerSession() throws {
        let events = [Event(visitor: "v", item: "A", kind: .dwell, value: 30, timestamp: day(1), session: "s"),
                      Event(visitor: "v", item: "A", kind: .dwell, value: 30, timestamp: day(1), session: "s")]
        let m = try builder.build(events: events, catalogue: catalogue)
        // 60 seconds in one session: ln(1 + 60/30) = ln 3.
        #expect(abs(m.matrix[0, 0] - Float(log(3.0))) < 1e-5)
    }

    @Test func ratingsAreCentredAndTheLatestWins() throws {
        let events = [Event(visitor: "v", item: "A", kind: .rate, value: 1, timestamp: day(1)),
                      Event(visitor: "v", item: "A", kind: .rate, value: 5, timestamp: day(2)),
                      Event(visitor: "v", item: "B", kind: .view, timestamp: day(2))]
        let m = try builder.build(events: events, catalogue: catalogue)
        #expect(m.matrix[0, 0] == 1.5 * 2)
    }

    @Test func skipsAndDislikesBecomeNegativesNotTrainingPositives() throws {
        let events = [Event(visitor: "v", item: "A", kind: .view, timestamp: day(1)),
                      Event(visitor: "v", item: "A", kind: .dislike, timestamp: day(1)),
                      Event(visitor: "v", item: "B", kind: .like, timestamp: day(1)),
                      Event(visitor: "w", item: "C", kind: .skip, timestamp: day(1))]
        let m = try builder.build(events: events, catalogue: catalogue)
        #expect(m.userIDs == ["v"])
        #expect(m.matrix[0, 0] == 0)
        #expect(m.negatives[0] == [0])
        #expect(m.report.negativePairs == 2)
        #expect(m.seenItems(ofUser: 0) == [0, 1])
    }

    @Test func futureTimestampsNegativeDwellAndBadRatingsAreRejectedAndCounted() throws {
        let events = [Event(visitor: "v", item: "A", kind: .view, timestamp: Date(timeIntervalSince1970: 1_900_000_000)),
                      Event(visitor: "v", item: "A", kind: .dwell, value: -5, timestamp: day(1)),
                      Event(visitor: "v", item: "A", kind: .rate, value: 9, timestamp: day(1)),
                      Event(visitor: "", item: "A", kind: .view, timestamp: day(1)),
                      Event(visitor: "v", item: "B", kind: .view, timestamp: day(1))]
        let m = try builder.build(events: events, catalogue: catalogue)
        #expect(m.report.rejectedByField == ["timestamp": 1, "value": 2, "visitor": 1])
        #expect(m.report.rejectedEvents == 4)
        #expect(m.report.rejectedSamples.count == 4)
        #expect(m.report.rejectedSamples[1].contains("negative"))
        #expect(m.matrix.nonZeroCount == 1)
    }

    @Test func weightsAreCappedPerPair() throws {
        var weights = FeedbackWeights()
        weights.maximumWeight = 5
        let events = [Event(visitor: "v", item: "A", kind: .like, timestamp: day(1)),
                      Event(visitor: "v", item: "A", kind: .share, timestamp: day(1))]
        let m = try InteractionBuilder(weights: weights, now: day(100)).build(events: events, catalogue: catalogue)
        #expect(m.matrix[0, 0] == 5)
        #expect(m.report.cappedPairs == 1)
    }

    @Test func duplicateCatalogueIdsAreAnError() {
        #expect(throws: RecommendError.self) { try builder.build(events: [], catalogue: ["A", "A"]) }
    }

    @Test func invalidWeightsAreAnError() {
        var weights = FeedbackWeights()
        weights.dwellUnitSeconds = 0
        #expect(throws: RecommendError.self) { try InteractionBuilder(weights: weights).build(events: [], catalogue: ["A"]) }
    }

    @Test func visitorHistoryUsesTheSameRulesAndListsEverythingSeen() {
        let index: [ItemID: Int] = ["A": 0, "B": 1, "C": 2]
        let events = [Event(visitor: "v", item: "A", kind: .view, timestamp: day(2)),
                      Event(visitor: "v", item: "B", kind: .like, timestamp: day(1)),
                      Event(visitor: "v", item: "C", kind: .skip, timestamp: day(1)),
                      Event(visitor: "v", item: "Q", kind: .view, timestamp: day(1))]
        let h = builder.history(events: events, itemIndex: index)
        #expect(h.entries.map(\.item) == [1, 0])
        #expect(h.entries.map(\.weight) == [4, 1])
        #expect(h.seen == [0, 1, 2])
        #expect(h.report.unknownItemEvents == 1)
    }
}
