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
