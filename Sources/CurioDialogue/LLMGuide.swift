import CurioCore
import Foundation

/// The guide driven by a language model: the model understands and phrases, Curio's engine functions
/// are its tools, and every answer passes the ``GroundingCheck`` before a visitor sees it. When the model is
/// unreachable or its answer is rejected, the offline ``DialogueEngine`` answers instead, so a visitor always
/// gets a grounded reply.
public struct LLMGuide: Sendable {
    public let engine: DialogueEngine
    public let client: ChatCompletionsClient
    public let check: GroundingCheck

    public init(engine: DialogueEngine, configuration: LLMConfiguration) {
        self.engine = engine
        self.client = ChatCompletionsClient(configuration: configuration)
        self.check = GroundingCheck(catalogue: engine.catalogue)
    }

    static let systemPrompt = """
    You are the visitor guide of a museum. Recommend and discuss only objects of this collection. \
    Use the tools to find objects and facts; never invent an object, an id, a title, a date or a maker. \
    Answer with a JSON object only: {"text": "<reply to the visitor; write titles in *italics*>", \
    "items": ["<ids of the objects you mention>"], "facts": [{"item": "<id>", "field": "title|date|maker|medium|movement|subject", "value": "<as returned by the tools>"}]}.
    """

    /// Tool definitions in the chat-completions format.
    public static let toolDefinitions: [[String: any Sendable]] = [
        tool("search", "Search the collection by words (subjects, makers, titles, periods).",
             ["query": ["type": "string"], "k": ["type": "integer"]], required: ["query"]),
        tool("recommend", "Recommend objects for a visitor who liked some objects.",
             ["liked": ["type": "array", "items": ["type": "string"]], "k": ["type": "integer"]], required: ["liked"]),
        tool("similar", "Objects similar to one object.", ["item": ["type": "string"], "k": ["type": "integer"]], required: ["item"]),
        tool("explain", "Why an object suits a visitor who liked some objects.",
             ["item": ["type": "string"], "liked": ["type": "array", "items": ["type": "string"]]], required: ["item"]),
        tool("item_facts", "The stored facts of one object.", ["item": ["type": "string"]], required: ["item"]),
        tool("plan_tour", "Plan a tour through the galleries.", ["minutes": ["type": "integer"], "interests": ["type": "string"]], required: ["minutes"]),
    ]

    private static func tool(_ name: String, _ description: String, _ properties: [String: [String: any Sendable]], required: [String]) -> [String: any Sendable] {
        ["type": "function", "function": ["name": name, "description": description,
                                          "parameters": ["type": "object", "properties": properties, "required": required] as [String: any Sendable]] as [String: any Sendable]]
    }

    /// Answers one message with the model, falling back to the offline engine.
    public func respond(to message: String, item: ItemID? = nil, state: inout DialogueState, now: Date = Date()) async -> Reply {
        var seen = Set(state.shown + state.liked + (item.map { [$0] } ?? []))
        var log: [String] = []
        var transcript = [ChatMessage(role: "system", content: Self.systemPrompt)]
        var context = "Conversation so far: liked \(state.liked.map(\.rawValue)), last shown \(state.lastList.map(\.rawValue))."
        if let item { context += " The visitor is showing object \(item.rawValue)." }
        transcript.append(ChatMessage(role: "system", content: context))
        transcript.append(ChatMessage(role: "user", content: message))
        do {
            for _ in 0...client.configuration.maxToolRounds {
                let response = try await client.complete(messages: transcript, tools: Self.toolDefinitions)
                transcript.append(response.message)
                if response.toolCalls.isEmpty {
                    let answer = try check.verify(response.content ?? "", seen: seen)
                    state.turns += 1
                    state.updatedAt = now
                    let items = answer.items.compactMap { engine.catalogue.facts($0) }.map {
                        ReplyItem(id: $0.id, title: $0.title, makers: $0.makers.map(\.label), date: $0.dateText,
                                  because: engine.tools.explain(item: $0.id, liked: state.liked))
                    }
                    if !items.isEmpty {
                        state.lastList = items.map(\.id)
                        state.shown.append(contentsOf: items.map(\.id))
                        state.focus = items.first?.id
                    }
                    return Reply(conversation: state.id, intent: .find, text: answer.text, items: items, question: nil,
                                 understood: [], toolCalls: log + ["llm"], tour: nil)
                }
                for call in response.toolCalls {
                    log.append("llm:\(call.name)")
                    let result = run(call, state: state, seen: &seen)
                    transcript.append(ChatMessage(json: ["role": "tool", "tool_call_id": call.id, "content": result]))
                }
            }
            throw DialogueError.llmUngrounded(reason: "the model kept calling tools without answering")
        } catch {
            var reply = engine.respond(to: message, item: item, state: &state, now: now)
            reply.toolCalls = log + ["llm_rejected: \(error)"] + reply.toolCalls
            return reply
        }
    }

    /// Runs one tool call; results are JSON text for the model.
    func run(_ call: ToolCall, state: DialogueState, seen: inout Set<ItemID>) -> String {
        let args = (try? JSONSerialization.jsonObject(with: Data(call.arguments.utf8))) as? [String: Any] ?? [:]
        let k = min(20, max(1, args["k"] as? Int ?? 5))
        func list(_ results: [(id: ItemID, score: Float)]) -> String {
            let rows = results.prefix(k).compactMap { r -> [String: Any]? in
                guard let f = engine.catalogue.facts(r.id) else { return nil }
                seen.insert(r.id)
                return ["id": f.id.rawValue, "title": f.title, "makers": f.makers.map(\.label), "date": f.dateText ?? ""]
            }
            return Self.json(rows)
        }
        switch call.name {
        case "search":
            return list(engine.tools.search(args["query"] as? String ?? "", k: k))
        case "recommend":
            let liked = (args["liked"] as? [String] ?? []).map { ItemID($0) } + state.liked
            return list(engine.tools.recommend(liked: liked, disliked: state.disliked, k: k))
        case "similar":
            return list(engine.tools.similar(to: ItemID(args["item"] as? String ?? ""), k: k))
        case "explain":
            let liked = (args["liked"] as? [String] ?? []).map { ItemID($0) } + state.liked
            return Self.json(["because": engine.tools.explain(item: ItemID(args["item"] as? String ?? ""), liked: liked)])
        case "item_facts":
            guard let f = engine.catalogue.facts(ItemID(args["item"] as? String ?? "")) else {
                return Self.json(["error": "no such object"])
            }
            seen.insert(f.id)
            return Self.json(["id": f.id.rawValue, "title": f.title, "makers": f.makers.map(\.label), "date": f.dateText ?? "",
                              "medium": f.medium ?? "", "movements": f.movements.map(\.label), "subjects": f.subjects.prefix(12).map(\.label)])
        case "plan_tour":
            let minutes = args["minutes"] as? Int ?? 60
            guard let tour = try? engine.tools.planTour(minutes: minutes, interests: state.liked, text: args["interests"] as? String ?? "") else {
                return Self.json(["error": "no floor plan is configured"])
            }
            for s in tour.stops { seen.insert(s.item) }
            return Self.json(["minutes": tour.minutes, "stops": tour.stops.map { ["item": $0.item.rawValue, "room": $0.room, "transition": $0.transition ?? ""] }])
        default:
            return Self.json(["error": "unknown tool \(call.name)"])
        }
    }

    private static func json(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
