import CurioCore
import Foundation
import Testing
@testable import CurioDialogue

@Suite("The language-model guide is grounded")
struct LLMGuideTests {
    let catalogue = MiniCollection.catalogue()

    private func guide(_ server: FakeChatServer) -> LLMGuide {
        LLMGuide(engine: DialogueEngine(catalogue: catalogue), configuration: LLMConfiguration(baseURL: server.baseURL, model: "fake", timeout: 5))
    }

    @Test func aGroundedAnswerAfterAToolCallIsAccepted() async throws {
        let server = try FakeChatServer(responses: [
            FakeChatServer.toolCall("search", #"{"query": "storm at sea", "k": 3}"#),
            FakeChatServer.answer(#"{"text": "Try *The Shipwreck* by Turner.", "items": ["N00002"], "facts": [{"item": "N00002", "field": "date", "value": "1805"}]}"#),
        ])
        defer { server.stop() }
        var state = DialogueState(id: "llm1")
        let reply = await guide(server).respond(to: "a storm at sea please", state: &state)
        #expect(reply.items.map(\.id) == ["N00002"])
        #expect(reply.toolCalls.contains("llm:search"))
        #expect(!reply.toolCalls.contains { $0.hasPrefix("llm_rejected") })
        // The transcript sent back to the model carried the tool result.
        let second = server.requests.withLock { $0.count > 1 ? $0[1] : "" }
        #expect(second.contains("The Shipwreck"))
    }

    @Test("invented objects and facts are caught", arguments: [
        #"{"text": "See *The Lost Masterpiece*.", "items": ["N99999"]}"#,
        #"{"text": "See N77777, a marvel.", "items": []}"#,
        #"{"text": "See *Proserpine*.", "items": ["N00002"]}"#,
        #"{"text": "See *The Shipwreck*.", "items": ["N00002"], "facts": [{"item": "N00002", "field": "date", "value": "1899"}]}"#,
        #"{"text": "See *The Shipwreck*.", "items": ["N00002"], "facts": [{"item": "N00002", "field": "maker", "value": "Claude Monet"}]}"#,
        "Sure! The best painting here is the Mona Lisa.",
    ])
    func rejectsUngroundedAnswers(answer: String) async throws {
        let server = try FakeChatServer(responses: [
            FakeChatServer.toolCall("search", #"{"query": "shipwreck"}"#),
            FakeChatServer.answer(answer),
        ])
        defer { server.stop() }
        var state = DialogueState(id: "llm2")
        let reply = await guide(server).respond(to: "show me a shipwreck", state: &state)
        #expect(reply.toolCalls.contains { $0.hasPrefix("llm_rejected") }, "accepted: \(answer)")
        // The visitor still gets a grounded reply from the offline engine.
        for item in reply.items { #expect(catalogue.facts(item.id) != nil) }
        #expect(!reply.text.contains("Mona Lisa") && !reply.text.contains("Lost Masterpiece"))
    }

    @Test func anObjectNoToolReturnedIsRejectedEvenIfItExists() async throws {
        let server = try FakeChatServer(responses: [
            FakeChatServer.answer(#"{"text": "See *Proserpine*.", "items": ["N00009"]}"#),
        ])
        defer { server.stop() }
        var state = DialogueState(id: "llm3")
        let reply = await guide(server).respond(to: "something", state: &state)
        #expect(reply.toolCalls.contains { $0.contains("was not returned by any tool") })
    }

    @Test func anUnreachableModelFallsBackToTheOfflineGuide() async {
        let config = LLMConfiguration(baseURL: URL(string: "http://127.0.0.1:9/v1")!, model: "none", timeout: 2)
        let guide = LLMGuide(engine: DialogueEngine(catalogue: catalogue), configuration: config)
        var state = DialogueState(id: "llm4")
        let reply = await guide.respond(to: "sea paintings by Constable", state: &state)
        #expect(reply.toolCalls.contains { $0.hasPrefix("llm_rejected") })
        #expect(reply.items.allSatisfy { catalogue.facts($0.id)!.makers.contains { $0.id == MiniCollection.constable.rawValue } })
    }

    @Test func configurationFromEnvironment() {
        #expect(LLMConfiguration.fromEnvironment([:]) == nil)
        let c = LLMConfiguration.fromEnvironment(["CURIO_LLM_URL": "http://127.0.0.1:8081/v1", "CURIO_LLM_MODEL": "llama"])
        #expect(c?.model == "llama")
        #expect(LLMConfiguration.fromEnvironment(["CURIO_LLM_URL": "file:///etc/passwd"]) == nil)
    }
}
