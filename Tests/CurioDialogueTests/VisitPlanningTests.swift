import CurioCore
import Foundation
import Testing
@testable import CurioDialogue

/// Tools that record what the guide asked the tour planner for.
final class RecordingTools: DialogueTools, @unchecked Sendable {
    let base: CatalogueTools
    private let lock = NSLock()
    private(set) var tourText: String?
    init(catalogue: DialogueCatalogue) { base = CatalogueTools(catalogue: catalogue) }
    func search(_ text: String, k: Int) -> [(id: ItemID, score: Float)] { base.search(text, k: k) }
    func recommend(liked: [ItemID], disliked: [ItemID], k: Int) -> [(id: ItemID, score: Float)] { base.recommend(liked: liked, disliked: disliked, k: k) }
    func similar(to item: ItemID, k: Int) -> [(id: ItemID, score: Float)] { base.similar(to: item, k: k) }
    func explain(item: ItemID, liked: [ItemID]) -> [String] { base.explain(item: item, liked: liked) }
    func planTour(minutes: Int, interests: [ItemID], text: String) throws -> TourSummary? {
        lock.lock()
        tourText = text
        lock.unlock()
        return TourSummary(stops: [.init(item: "N00002", room: "Turner", transition: nil)], minutes: minutes)
    }
}

@Suite struct VisitPlanningTests {
    @Test func aVisitPlanCarriesWhatTheConversationAskedFor() throws {
        let catalogue = MiniCollection.catalogue()
        let tools = RecordingTools(catalogue: catalogue)
        let engine = DialogueEngine(catalogue: catalogue, tools: tools)
        var state = DialogueState(id: "v")
        _ = engine.respond(to: "storms by Turner", state: &state)
        let reply = engine.respond(to: "what should I see in 20 minutes?", state: &state)
        #expect(reply.intent == .planVisit)
        #expect(reply.tour?.minutes == 20)
        let text = try #require(tools.tourText)
        #expect(text.contains("Joseph Mallord William Turner"))
        #expect(text.contains("storm"))
    }

    @Test func undatedCatalogueTextIsNotRepeatedAsADate() {
        var f = MiniCollection.catalogue().facts("N00002")!
        #expect(DialogueEngine.dated(f) == "Dated 1805")
        f.dateText = "date not known"
        f.startYear = 1814
        f.endYear = 1825
        #expect(DialogueEngine.dated(f) == "Made 1814–1825")
        f.startYear = nil
        f.endYear = nil
        #expect(DialogueEngine.dated(f) == nil)
    }
}

@Suite struct FilterTests {
    /// The posting-list filter agrees with checking every object's facts, for every single include and exclude
    /// constraint on makers, subjects (with broader terms), movements and media, and for pairs of kinds.
    @Test func postingListsSelectExactlyTheMatchingObjects() {
        let catalogue = MiniCollection.catalogue()
        let engine = DialogueEngine(catalogue: catalogue)
        var entities: [EntityRef] = []
        for f in catalogue.items {
            entities += f.makers.map { EntityRef(kind: .maker, id: $0.id, label: $0.label) }
            entities += f.subjects.map { EntityRef(kind: .subject, id: $0.id, label: $0.label) }
            entities += f.movements.map { EntityRef(kind: .movement, id: $0.id, label: $0.label) }
            entities += f.mediumTerms.map { EntityRef(kind: .medium, id: $0, label: $0) }
        }
        entities = Array(Set(entities)).sorted { $0.description < $1.description }
        func has(_ f: ItemFacts, _ e: EntityRef) -> Bool {
            switch e.kind {
            case .maker: f.makers.contains { $0.id == e.id }
            case .subject: f.subjects.contains { $0.id == e.id }
            case .movement: f.movements.contains { $0.id == e.id }
            case .medium: f.mediumTerms.contains(e.id)
            default: false
            }
        }
        for e in entities {
            for include in [true, false] {
                var state = DialogueState(id: "f")
                state.constraints = [Constraint(.entity(e), include: include)]
                let expected = catalogue.items.indices.filter { has(catalogue.items[$0], e) == include }
                #expect(engine.filter(state) == expected, "\(e) include \(include)")
            }
        }
        for a in entities where a.kind == .maker {
            for b in entities where b.kind == .subject {
                var state = DialogueState(id: "f")
                state.constraints = [Constraint(.entity(a), include: true), Constraint(.entity(b), include: true)]
                state.shown = ["N00002"]
                let expected = catalogue.items.indices.filter {
                    has(catalogue.items[$0], a) && has(catalogue.items[$0], b) && catalogue.items[$0].id != "N00002"
                }
                #expect(engine.filter(state) == expected, "\(a) and \(b)")
            }
        }
    }
}
