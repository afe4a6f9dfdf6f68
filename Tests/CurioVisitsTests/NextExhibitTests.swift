import CurioCore
import CurioMath
import CurioRecommend
import Foundation
import Testing
@testable import CurioVisits

@Suite struct NextExhibitTests {
    static func session(_ id: String, _ items: [ItemID], start: Double = 0) -> VisitSession {
        VisitSession(visitor: VisitorID("v-\(id)"), id: id, items: items, start: Date(timeIntervalSince1970: start))
    }

    @Test func sessionsFollowSessionIdsOrTimeGapsAndCollapseRepeats() {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        func e(_ v: String, _ item: String, _ minutes: Double, _ kind: EventKind = .view, session: String? = nil) -> Event {
            Event(visitor: VisitorID(v), item: ItemID(item), kind: kind, value: kind == .dwell ? 30 : nil,
                  timestamp: t0.addingTimeInterval(minutes * 60), session: session, room: nil)
        }
        let events = [
            e("a", "x", 0), e("a", "x", 1, .dwell), e("a", "y", 3), e("a", "z", 4, .skip), e("a", "x", 5),
            e("a", "w", 90),  // a new visit after a 85-minute gap
            e("b", "p", 0, session: "s1"), e("b", "q", 200, session: "s1"), e("b", "r", 1, session: "s2"),
        ]
        let sessions = VisitSessions.build(from: events)
        #expect(sessions.map(\.items) == [["x", "y"], ["p", "q"], ["r"], ["w"]])
        #expect(sessions.first?.visitor == "a")
        #expect(VisitSessions.build(from: events, minimumLength: 2).count == 2)
    }

    @Test func transitionProbabilitiesAreSmoothedCounts() throws {
        // a→b twice, a→c once; prior from add-one counts over 4 items.
        let sessions = [Self.session("1", ["a", "b"]), Self.session("2", ["a", "b"]), Self.session("3", ["a", "c"])]
        let vocabulary = ItemVocabulary(items: ["a", "b", "c", "d"])
        let model = TransitionNextModel(sessions: sessions, vocabulary: vocabulary, alpha: 2, lambda: 1, tau: 60)
        // counts with add-one: a 4, b 3, c 2, d 1 → prior a .4, b .3, c .2, d .1
        #expect(model.prior == [0.4, 0.3, 0.2, 0.1])
        let pab = try #require(model.transitionProbability(from: "a", to: "b"))
        #expect(abs(pab - (2 + 2 * 0.3) / (3 + 2)) < 1e-6)
        let pad = try #require(model.transitionProbability(from: "a", to: "d"))
        #expect(abs(pad - (2 * 0.1) / 5) < 1e-6)
        // λ = 1: scores are exactly the transition probabilities and sum to 1.
        let scores = model.scores(after: ["a"])
        #expect(abs(scores.reduce(0, +) - 1) < 1e-5)
        #expect(abs(scores[1] - pab) < 1e-6)
        #expect(model.predict(after: ["a"], k: 2).map(\.item) == ["b", "c"])
        // Unknown history falls back to the prior.
        #expect(model.scores(after: ["zzz"]) == model.prior)
    }

    @Test func proximityFavoursItemsInNearbyRooms() {
        // No transitions at all: only proximity to the last item's room separates equally popular items.
        let venue = TestVenues.line()
        let vocabulary = ItemVocabulary(items: ["a1", "b1", "c1", "d1"])
        let model = TransitionNextModel(sessions: [], vocabulary: vocabulary, venue: venue, alpha: 2, lambda: 0.5, tau: 60)
        let scores = model.scores(after: ["a1"])
        #expect(scores[1] > scores[2] && scores[2] > scores[3])
        #expect(abs(scores.reduce(0, +) - 1) < 1e-5)
    }

    @Test func metricsRankTheTrueNextItemAmongAllItems() {
        struct Fixed: NextExhibitModel {
            let vocabulary = ItemVocabulary(items: ["a", "b", "c", "d", "e"])
            var name: String { "fixed" }
            func scores(after history: [ItemID]) -> [Float] { [5, 4, 3, 2, 1] }
        }
        // After [a]: a is excluded, so b ranks 0 (NDCG 1), d ranks 2 (NDCG 1/log2(4) = 0.5).
        let sessions = [Self.session("1", ["a", "b"]), Self.session("2", ["a", "d"])]
        let m = NextExhibitEvaluation.evaluate(Fixed(), on: sessions, k: 2)
        #expect(m.predictions == 2)
        #expect(abs(m.ndcg - 0.5) < 1e-12)  // (1 + 0) / 2: d is outside the top 2
        #expect(m.hitRate == 0.5)
        #expect(abs(m.mrr - (1 + 1.0 / 3) / 2) < 1e-12)
        let m3 = NextExhibitEvaluation.evaluate(Fixed(), on: sessions, k: 3)
        #expect(abs(m3.ndcg - (1 + 0.5) / 2) < 1e-12)
        // Same as the shared ranking-metric code for a single relevant item.
        #expect(abs(RankingMetrics.ndcg([1, 2, 3], [3], k: 3) - 0.5) < 1e-12)
    }

    @Test func sessionSplitsHoldOutWholeRecentSessions() throws {
        let sessions = (0..<10).map { Self.session("\($0)", ["a", "b", "c"], start: Double($0)) }
        let split = try NextExhibitEvaluation.split(sessions, testFraction: 0.3, mode: .temporal)
        #expect(split.test.map(\.id) == ["7", "8", "9"])
        #expect(split.train.count == 7)
        let random = try NextExhibitEvaluation.split(sessions, testFraction: 0.3, mode: .random, seed: 4)
        #expect(Set(random.train.map(\.id)).isDisjoint(with: random.test.map(\.id)))
        #expect(throws: VisitError.self) { try NextExhibitEvaluation.split(sessions, testFraction: 1.5) }
    }

    /// Catalogue items for the line venue's placements.
    static func lineCatalog() -> [Item] {
        TestVenues.line().placements.enumerated().map { k, p in
            Item(id: p.item, source: "test", title: "Item \(p.item)",
                 makers: [MakerCredit(agent: AgentID("m\(k % 3)"), name: "Maker \(k % 3)")],
                 date: DateRange(text: "\(1800 + k * 20)", startYear: 1800 + k * 20, endYear: 1800 + k * 20))
        }
    }

    @Test func simulatedVisitorsWalkRoomByRoom() throws {
        let venue = TestVenues.line()
        var config = VisitorSimulator.Configuration()
        config.visitors = 60
        config.seed = 3
        config.singleShortVisitFraction = 0
        let simulator = try VisitorSimulator(items: Self.lineCatalog(), concepts: [], configuration: config,
                                             walk: VenueRoomWalk(venue: venue))
        let sessions = VisitSessions.build(from: simulator.run().events)
        #expect(sessions.count >= 60)
        let graph = RoomGraph(venue: venue, options: RouteOptions(ignoreClosures: true))
        let roomOf = venue.roomOfItem
        var moves = 0, direct = 0, twoHops = 0
        func adjacent(_ a: String, _ b: String) -> Bool { venue.connections.contains { $0.allows(from: a, to: b) } }
        for s in sessions {
            for (a, b) in zip(s.items, s.items.dropFirst()) {
                let ra = try #require(roomOf[a]), rb = try #require(roomOf[b])
                guard ra != rb else { continue }
                moves += 1
                // Mostly a neighbouring room; further only when everything in the rooms between was already seen.
                if adjacent(ra, rb) {
                    direct += 1
                } else if venue.rooms.contains(where: { adjacent(ra, $0.id) && adjacent($0.id, rb) }) {
                    twoHops += 1
                }
                #expect(graph.seconds(from: ra, to: rb)?.isFinite == true)
            }
        }
        #expect(moves > 20)
        #expect(Double(direct) / Double(moves) > 0.8)
        #expect(Double(direct + twoHops) / Double(moves) > 0.95)
    }

    @Test func transitionsBeatPopularityOnRoomWalkingSessions() throws {
        let venue = TestVenues.line()
        var config = VisitorSimulator.Configuration()
        config.visitors = 400
        config.seed = 8
        let simulator = try VisitorSimulator(items: Self.lineCatalog(), concepts: [], configuration: config,
                                             walk: VenueRoomWalk(venue: venue))
        let sessions = VisitSessions.build(from: simulator.run().events)
        let split = try NextExhibitEvaluation.split(sessions, testFraction: 0.2)
        let vocabulary = ItemVocabulary(sessions: sessions, extra: venue.placements.map(\.item))
        let transitions = TransitionNextModel.fit(sessions: split.train, vocabulary: vocabulary, venue: venue)
        let popularity = PopularityNextModel(sessions: split.train, vocabulary: vocabulary)
        let t = NextExhibitEvaluation.evaluate(transitions, on: split.test, k: 3)
        let p = NextExhibitEvaluation.evaluate(popularity, on: split.test, k: 3)
        #expect(t.predictions > 100)
        #expect(t.ndcg > p.ndcg, "transitions \(t.ndcg) vs popularity \(p.ndcg)")
    }

    @Test func recommenderCombinesTheModelWithTheVisitContext() throws {
        let venue = TestVenues.line()
        let sessions = (0..<20).map { Self.session("\($0)", ["a1", "b1", "c1", "c2", "d1"], start: Double($0)) }
        let vocabulary = ItemVocabulary(sessions: sessions, extra: venue.placements.map(\.item))
        let model = TransitionNextModel(sessions: sessions, vocabulary: vocabulary, venue: venue)
        let recommender = NextExhibitRecommender(model: model, reranker: ContextReranker(venue: venue))
        let now = TestVenues.at("11:00")
        let events = [Event(visitor: "v", item: "a1", kind: .view, timestamp: now.addingTimeInterval(-300)),
                      Event(visitor: "v", item: "b1", kind: .view, timestamp: now.addingTimeInterval(-120))]
        let result = try recommender.next(visitorEvents: events, now: now, k: 3)
        #expect(result.history == ["a1", "b1"])
        #expect(result.context.currentRoom == "B" && result.context.roomSource == .inferred)
        #expect(result.suggestions.ranked.first?.item == "c1")
        #expect(!result.suggestions.ranked.contains { $0.item == "a1" || $0.item == "b1" })
        // Asking from room D with no time to spare keeps only what is reachable in time.
        let hurried = try recommender.next(visitorEvents: events, room: "D", now: now, timeLeft: 150, k: 3)
        #expect(hurried.context.currentRoom == "D")
        #expect(hurried.suggestions.ranked.allSatisfy { $0.room == "D" || $0.room == "C" })
        #expect(throws: VisitError.unknownRoom(id: "Q")) { try recommender.next(visitorEvents: events, room: "Q", now: now) }
    }
}
