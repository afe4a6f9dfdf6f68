import CurioCore
import CurioDialogue
import CurioKit
import Foundation

/// `POST /v1/conversations`, `GET /v1/conversations/{id}`, `POST /v1/conversations/{id}/messages`.
///
/// Conversations are kept in the store, so they survive a restart. Posting needs the API key, like every write.
struct ConversationHandlers: Sendable {
    let guide: GuideService
    let keys: APIKeyPolicy
    let logger: Logger

    func create(_ request: HTTPRequest) throws -> HTTPResponse {
        try keys.authorize(request)
        try QueryReader(request.query, allowed: []).finish()
        _ = try JSONBody.object(request, fields: [], example: "{}", allowEmpty: true)
        do {
            let state = try guide.startConversation()
            var response = HTTPResponse.json(try APIJSON.encoder.encode(ConversationDTO(state, greeting: ConversationDTO.greeting)),
                                             status: .created)
            response.headers.append(("Location", "/v1/conversations/\(state.id)"))
            return response
        } catch {
            throw VisitRoutes.problem(error, parameters: false)
        }
    }

    func get(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        do {
            let state = try guide.conversation(request.pathParameters["id"] ?? "")
            return HTTPResponse.json(try APIJSON.encoder.encode(ConversationStateDTO(state)))
        } catch {
            throw VisitRoutes.problem(error, parameters: false)
        }
    }

    func message(_ request: HTTPRequest) throws -> HTTPResponse {
        try keys.authorize(request)
        try QueryReader(request.query, allowed: []).finish()
        let object = try JSONBody.object(request, fields: ["text", "item", "image"],
                                         example: #"{"text": "stormy seas, but older"}"#)
        var errors: [FieldError] = []
        func text(_ key: String, max: Int) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case let .string(s)? where s.count <= max: return s
            case .string?: errors.append(.body([key], "is longer than \(max) characters")); return nil
            case let other?: errors.append(.body([key], "must be a string, got \(other.typeDescription)")); return nil
            }
        }
        let message = text("text", max: 2_000) ?? ""
        let item = text("item", max: 200)
        let image = text("image", max: 4_096)
        if errors.isEmpty, message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, item == nil, image == nil {
            errors.append(.body(["text"], "is required (or send an item or an image as the query)"))
        }
        if !errors.isEmpty {
            throw Problem(.validationFailed, detail: "The message is invalid; the conversation was not changed.", errors: errors)
        }
        do {
            let reply = try guide.reply(to: message, item: item.map { ItemID($0) }, image: image,
                                        in: request.pathParameters["id"] ?? "")
            return HTTPResponse.json(try APIJSON.encoder.encode(ReplyDTO(reply)))
        } catch {
            throw VisitRoutes.problem(error, parameters: false)
        }
    }
}

/// A kept conversation (`GET /v1/conversations/{id}`): what the guide remembers.
struct ConversationStateDTO: Codable, Sendable {
    var id: String
    var createdAt: Date
    var updatedAt: Date
    var turns: Int
    var liked: [String]
    var disliked: [String]
    var shown: [String]
    var lastList: [String]
    var focus: String?
    var pendingQuestion: String?
    enum CodingKeys: String, CodingKey {
        case id, createdAt = "created_at", updatedAt = "updated_at", turns, liked, disliked, shown, lastList = "last_list"
        case focus, pendingQuestion = "pending_question"
    }

    init(_ s: DialogueState) {
        id = s.id
        createdAt = s.createdAt
        updatedAt = s.updatedAt
        turns = s.turns
        liked = s.liked.map(\.rawValue)
        disliked = s.disliked.map(\.rawValue)
        shown = s.shown.map(\.rawValue)
        lastList = s.lastList.map(\.rawValue)
        focus = s.focus?.rawValue
        pendingQuestion = s.pendingQuestion?.text
    }
}
