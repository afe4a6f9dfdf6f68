import CurioCore
import CurioDialogue
import Foundation

/// A conversation as `POST /v1/conversations` returns it.
public struct ConversationDTO: Codable, Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var turns: Int
    /// The guide's opening line.
    public var greeting: String
    enum CodingKeys: String, CodingKey { case id, createdAt = "created_at", turns, greeting }

    public init(_ state: DialogueState, greeting: String) {
        id = state.id
        createdAt = state.createdAt
        turns = state.turns
        self.greeting = greeting
    }

    /// What the guide says when a conversation starts.
    public static let greeting = """
        Hello! I can help you find works in the collection. Tell me what you like — an artist, a subject, a period \
        or a mood — or ask "what should I see in 30 minutes?".
        """
}

/// One reply of the guide (`POST /v1/conversations/{id}/messages`, `curio chat --json`).
public struct ReplyDTO: Codable, Sendable, Equatable {
    /// An object offered, with facts from the store and why it is offered.
    public struct Item: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var makers: [String]
        public var date: String?
        public var because: [String]
    }

    /// A clarifying question with numbered options.
    public struct QuestionDTO: Codable, Sendable, Equatable {
        public var attribute: String
        public var text: String
        public var options: [String]
    }

    /// A planned route.
    public struct TourDTO: Codable, Sendable, Equatable {
        public struct Stop: Codable, Sendable, Equatable {
            public var item: String
            public var room: String
            public var transition: String?
        }
        public var minutes: Int
        public var stops: [Stop]
    }

    public var conversation: String
    /// `find`, `refine`, `compare`, `explain`, `tell_me_about`, `plan_visit`, `reset`, `more`, …
    public var intent: String
    public var text: String
    public var items: [Item]
    public var question: QuestionDTO?
    /// Constraints in force, in words.
    public var understood: [String]
    /// Engine functions called for this reply.
    public var toolCalls: [String]
    public var tour: TourDTO?

    enum CodingKeys: String, CodingKey {
        case conversation, intent, text, items, question, understood, toolCalls = "tool_calls", tour
    }

    public init(_ reply: Reply) {
        conversation = reply.conversation
        intent = reply.intent.rawValue
        text = reply.text
        items = reply.items.map { Item(id: $0.id.rawValue, title: $0.title, makers: $0.makers, date: $0.date, because: $0.because) }
        question = reply.question.map { QuestionDTO(attribute: $0.attribute, text: $0.text, options: $0.options.map(\.label)) }
        understood = reply.understood
        toolCalls = reply.toolCalls
        tour = reply.tour.map { t in
            TourDTO(minutes: t.minutes, stops: t.stops.map { .init(item: $0.item.rawValue, room: $0.room, transition: $0.transition) })
        }
    }
}
