import CurioCore
import Testing
@testable import CurioDialogue

@Suite("Simulated visitors")
struct SimulationTests {
    let catalogue = MiniCollection.catalogue()

    @Test func simulatedVisitorsOnlySayTrueThings() {
        let target = catalogue.facts("N00012")!
        var visitor = SimulatedVisitor(target: target, seed: 3)
        let opening = visitor.opening()
        // Whatever the opening mentions must be a subject or the medium of the target.
        let mentioned = target.subjects.map(\.label) + target.mediumTerms
        #expect(mentioned.contains { opening.contains($0) })
    }

    @Test func theEvaluationFindsTargetsAndIsDeterministic() {
        var settings = DialogueEngine.Settings()
        settings.askThreshold = 6
        let engine = DialogueEngine(catalogue: catalogue, settings: settings)
        let a = DialogueEvaluation.run(engine: engine, count: 40, seed: 9)
        let b = DialogueEvaluation.run(engine: engine, count: 40, seed: 9)
        #expect(a.successWithin10 == b.successWithin10)
        #expect(a.successWithin10 > 0.5)
        #expect(a.hallucinations == 0)
        #expect(a.replies > 40)
    }

    @Test func theAuditCatchesAFabricatedReply() {
        let audit = OfflineGroundingAudit(catalogue: catalogue)
        let bad = Reply(conversation: "x", intent: .find, text: "See *The Lost Masterpiece*.",
                        items: [ReplyItem(id: "N00002", title: "The Shipwreck", makers: ["Joseph Mallord William Turner"], date: "1900", because: [])],
                        question: nil, understood: [], toolCalls: [], tour: nil)
        let problems = audit.problems(in: bad)
        #expect(problems.contains("wrong date for N00002"))
        #expect(problems.contains { $0.contains("Lost Masterpiece") })
    }
}
