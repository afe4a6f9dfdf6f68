import CurioCore
import Foundation
import Testing
@testable import CurioDialogue

@Suite("A scripted conversation with the guide")
struct ConversationTests {
    let catalogue = MiniCollection.catalogue()
    var engine: DialogueEngine {
        var settings = DialogueEngine.Settings()
        settings.askThreshold = 5
        return DialogueEngine(catalogue: catalogue, settings: settings)
    }

    @Test func aMultiTurnConversation() throws {
        let engine = self.engine
        var state = DialogueState(id: "c1")

        // A broad request on a big candidate set → a question.
        var r = engine.respond(to: "something with the sea or storms", state: &state)
        #expect(r.items.isEmpty || r.question == nil)

        // Narrow with a maker: recommendations only by Turner.
        state = DialogueState(id: "c1")
        r = engine.respond(to: "sea paintings by Turner", state: &state)
        #expect(!r.items.isEmpty)
        for item in r.items { #expect(catalogue.facts(item.id)!.makers.contains { $0.id == MiniCollection.turner.rawValue }) }
        #expect(r.items.allSatisfy { !$0.because.isEmpty })
        let first = r.items[0].id

        // "why this one?" explains the focus with stored facts.
        r = engine.respond(to: "why this one?", state: &state)
        #expect(r.intent == .explain)
        #expect(r.items.first?.id == first)
        #expect(r.text.contains(catalogue.facts(first)!.title))

        // Critique: older than the focus.
        let focusYear = catalogue.facts(first)!.year!
        r = engine.respond(to: "like this but older", state: &state)
        #expect(r.intent == .refine)
        #expect(r.items.allSatisfy { catalogue.facts($0.id)!.year! < focusYear } || r.text.contains("left out \"older\""))

        // "no more Turner" removes Turner entirely.
        r = engine.respond(to: "no more Turner", state: &state)
        for item in r.items { #expect(!catalogue.facts(item.id)!.makers.contains { $0.id == MiniCollection.turner.rawValue }) }

        // "tell me about the first" uses only stored facts.
        if let shown = r.items.first {
            let about = engine.respond(to: "tell me about the first one", state: &state)
            #expect(about.intent == .tellMeAbout)
            #expect(about.text.contains(shown.title))
        }

        // Reset forgets constraints.
        r = engine.respond(to: "start over", state: &state)
        #expect(state.constraints.isEmpty && state.critiques.isEmpty)
    }

    @Test func olderMeansOlderThanTheObjectInFocus() {
        var state = DialogueState(id: "o")
        // "Norham Castle, Sunrise" (1845) given as the query object.
        let r = engine.respond(to: "like this but older", item: "N00003", state: &state)
        #expect(r.intent == .refine)
        #expect(!r.items.isEmpty)
        for item in r.items { #expect(catalogue.facts(item.id)!.year! < 1845) }
        #expect(r.items.allSatisfy { $0.because.contains { $0.contains("earlier than *Norham Castle, Sunrise*") } })
    }

    @Test func byAWomanFindsOnlyWomenArtists() {
        var state = DialogueState(id: "w")
        let r = engine.respond(to: "portraits of women by a woman", state: &state)
        #expect(!r.items.isEmpty)
        for item in r.items { #expect(catalogue.facts(item.id)!.makerGenders.contains("Female")) }
    }

    @Test func questionsAreAnsweredByOptionNumberOrLabel() throws {
        var settings = DialogueEngine.Settings()
        settings.askThreshold = 3
        let engine = DialogueEngine(catalogue: catalogue, settings: settings)
        var state = DialogueState(id: "q")
        let r = engine.respond(to: "something romantic or anything really", state: &state)
        let question = try #require(r.question ?? state.pendingQuestion)
        #expect(question.options.count >= 2)
        let answer = engine.respond(to: "1", state: &state)
        #expect(state.pendingQuestion == nil || answer.question != nil)
        #expect(state.constraints.contains(question.options[0].constraint))
    }

    @Test func impossibleRequestsAreRelaxedAndSaidSo() {
        var state = DialogueState(id: "r")
        let r = engine.respond(to: "Rossetti sea storms", state: &state)
        #expect(!r.items.isEmpty)
        #expect(r.text.contains("left out"))
    }

    @Test func repliesOnlyNameObjectsOfTheCollection() {
        var state = DialogueState(id: "g")
        let engine = self.engine
        for message in ["sea", "more", "older", "by Constable", "tell me about the second", "compare the first and the second",
                        "why", "I like it", "something by a woman", "less famous", "start over", "storm"] {
            let r = engine.respond(to: message, state: &state)
            for item in r.items {
                let f = try! #require(catalogue.facts(item.id))
                #expect(item.title == f.title)
                #expect(item.date == f.dateText)
            }
        }
    }

    @Test func conversationsSurviveARestart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curio-dialogue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try FileConversationStore(directory: dir)
        var state = DialogueState(id: "persist-1")
        _ = engine.respond(to: "sea paintings by Turner", state: &state)
        try store.save(state)
        let reopened = try FileConversationStore(directory: dir)
        let loaded = try #require(try reopened.load("persist-1"))
        #expect(loaded.constraints == state.constraints)
        #expect(loaded.lastList == state.lastList)
        #expect(throws: DialogueError.self) { try store.save(DialogueState(id: "../etc/passwd")) }
    }
}
