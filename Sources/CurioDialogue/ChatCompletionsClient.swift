import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where an OpenAI-compatible chat-completions service lives (a local llama.cpp server, vLLM, or a hosted API).
public struct LLMConfiguration: Sendable, Equatable {
    /// Base URL up to and including `/v1` (`http://127.0.0.1:8081/v1`).
    public var baseURL: URL
    public var model: String
    public var apiKey: String?
    public var timeout: TimeInterval
    /// Tool-call rounds per turn at most.
    public var maxToolRounds: Int

    public init(baseURL: URL, model: String, apiKey: String? = nil, timeout: TimeInterval = 20, maxToolRounds: Int = 4) {
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.maxToolRounds = maxToolRounds
    }

    /// Reads `CURIO_LLM_URL`, `CURIO_LLM_MODEL` and `CURIO_LLM_API_KEY`; nil when no URL is set.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> LLMConfiguration? {
        guard let raw = env["CURIO_LLM_URL"], let url = URL(string: raw), url.scheme == "http" || url.scheme == "https" else { return nil }
        return LLMConfiguration(baseURL: url, model: env["CURIO_LLM_MODEL"] ?? "local", apiKey: env["CURIO_LLM_API_KEY"])
    }
}

/// One chat message in the OpenAI wire format, kept as JSON-compatible values.
public struct ChatMessage: Sendable {
    public var json: [String: any Sendable]
    public init(role: String, content: String) { json = ["role": role, "content": content] }
    public init(json: [String: any Sendable]) { self.json = json }
}

/// A tool call requested by the model.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Arguments as the model sent them (a JSON object).
    public var arguments: String
}

/// What the model answered: text, or tool calls to run first.
public struct ChatResponse: Sendable {
    public var content: String?
    public var toolCalls: [ToolCall]
    /// The assistant message to append to the transcript.
    public var message: ChatMessage
}

/// A minimal client for `POST {baseURL}/chat/completions` with tools.
public struct ChatCompletionsClient: Sendable {
    public let configuration: LLMConfiguration
    public init(configuration: LLMConfiguration) { self.configuration = configuration }

    /// Sends the transcript and tool definitions; returns the first choice.
    /// - Throws: ``DialogueError/llmUnavailable(endpoint:reason:)`` for network errors, non-2xx answers or malformed JSON.
    public func complete(messages: [ChatMessage], tools: [[String: any Sendable]]) async throws -> ChatResponse {
        let url = configuration.baseURL.appendingPathComponent("chat/completions")
        var request = URLRequest(url: url, timeoutInterval: configuration.timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key = configuration.apiKey { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        var body: [String: Any] = ["model": configuration.model, "messages": messages.map(\.json), "temperature": 0]
        if !tools.isEmpty { body["tools"] = tools }
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw DialogueError.llmUnavailable(endpoint: url.absoluteString, reason: "\(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            let code = (response as? HTTPURLResponse)?.statusCode ?? 0
            throw DialogueError.llmUnavailable(endpoint: url.absoluteString, reason: "HTTP \(code): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = root["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any] else {
            throw DialogueError.llmUnavailable(endpoint: url.absoluteString, reason: "the answer is not a chat completion")
        }
        var calls: [ToolCall] = []
        for raw in message["tool_calls"] as? [[String: Any]] ?? [] {
            guard let id = raw["id"] as? String, let f = raw["function"] as? [String: Any], let name = f["name"] as? String else { continue }
            calls.append(ToolCall(id: id, name: name, arguments: f["arguments"] as? String ?? "{}"))
        }
        var echo: [String: any Sendable] = ["role": "assistant", "content": (message["content"] as? String) ?? ""]
        if !calls.isEmpty {
            echo["tool_calls"] = calls.map { c -> [String: any Sendable] in
                ["id": c.id, "type": "function", "function": ["name": c.name, "arguments": c.arguments] as [String: any Sendable]]
            }
        }
        return ChatResponse(content: message["content"] as? String, toolCalls: calls, message: ChatMessage(json: echo))
    }
}
