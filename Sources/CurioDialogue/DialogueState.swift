import CurioCore
import Foundation

/// Everything the guide remembers about one conversation. Codable, so it can be persisted and a
/// conversation survives a server restart.
public struct DialogueState: Sendable, Codable, Equatable {
    public var id: String
    public var createdAt: Date
    public var updatedAt: Date
    public var turns: Int
    /// Constraints in force (makers, subjects, periods, places, media, colours, gender), in the order given.
    public var constraints: [Constraint]
    /// Relative critiques, each anchored to the object it was made against.
    public var critiques: [AnchoredCritique]
    /// Objects the visitor liked or disliked in this conversation.
    public var liked: [ItemID]
    public var disliked: [ItemID]
    /// Everything shown so far (not shown again unless asked for).
    public var shown: [ItemID]
    /// The last list shown, for "the second one".
    public var lastList: [ItemID]
    /// The object under discussion ("this one").
    public var focus: ItemID?
    /// The last question asked, awaiting an answer.
    public var pendingQuestion: Question?
    /// Attributes already asked about (answered or declined).
    public var askedAttributes: [String]
    /// Free words of the request that matched no entity, used for text search.
    public var freeText: String
    /// Where "more" continues in the current ranking.
    public var pageOffset: Int

    public init(id: String, now: Date = Date()) {
        self.id = id
        self.createdAt = now
        self.updatedAt = now
        self.turns = 0
        self.constraints = []
        self.critiques = []
        self.liked = []
        self.disliked = []
        self.shown = []
        self.lastList = []
        self.focus = nil
        self.pendingQuestion = nil
        self.askedAttributes = []
        self.freeText = ""
        self.pageOffset = 0
    }

    /// Whether a request is under way (so new words refine it rather than start again).
    public var hasContext: Bool { !constraints.isEmpty || !critiques.isEmpty || !freeText.isEmpty || !liked.isEmpty }

    /// Forgets the request but keeps the conversation's identity.
    public mutating func reset() {
        let id = self.id, created = createdAt
        self = DialogueState(id: id, now: created)
    }
}

/// A critique made against a reference object ("older" than *The Fighting Temeraire*).
public struct AnchoredCritique: Sendable, Codable, Equatable {
    public var critique: Critique
    public var reference: ItemID
    public init(critique: Critique, reference: ItemID) {
        self.critique = critique
        self.reference = reference
    }
}

/// A clarifying question with the options offered.
public struct Question: Sendable, Codable, Equatable {
    /// `maker`, `movement`, `century`, `theme`, `medium`.
    public var attribute: String
    public var text: String
    public var options: [Option]
    public struct Option: Sendable, Codable, Equatable {
        public var label: String
        /// The constraint this option adds.
        public var constraint: Constraint
    }
}

/// Where conversations are kept between turns.
public protocol ConversationStore: Sendable {
    func load(_ id: String) throws -> DialogueState?
    func save(_ state: DialogueState) throws
}

/// Keeps conversations as JSON files in a folder (one file per conversation, written atomically).
public struct FileConversationStore: ConversationStore {
    public let directory: URL
    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    private func url(_ id: String) -> URL? {
        guard !id.isEmpty, id.count <= 100, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return directory.appendingPathComponent("\(id).json")
    }
    public func load(_ id: String) throws -> DialogueState? {
        guard let url = url(id), FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(DialogueState.self, from: Data(contentsOf: url))
    }
    public func save(_ state: DialogueState) throws {
        guard let url = url(state.id) else { throw DialogueError.badConversationID(state.id) }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(state).write(to: url, options: .atomic)
    }
}

/// Errors of the conversational guide.
public enum DialogueError: Error, CustomStringConvertible, Sendable, Equatable {
    case badConversationID(String)
    case unknownConversation(String)
    case llmUnavailable(endpoint: String, reason: String)
    case llmUngrounded(reason: String)

    public var description: String {
        switch self {
        case let .badConversationID(id): "'\(id)' is not a valid conversation id (letters, digits, '-' and '_', at most 100)"
        case let .unknownConversation(id): "no conversation with id \(id)"
        case let .llmUnavailable(endpoint, reason): "the language model at \(endpoint) did not answer: \(reason)"
        case let .llmUngrounded(reason): "the language model's answer was rejected: \(reason)"
        }
    }
}
