import Foundation

/// Where one reply's time went: wall-clock milliseconds per stage of ``DialogueEngine/respond(to:item:state:now:timings:)``.
///
/// The engine measures each stage around the work it does (a few clock reads per reply), so the benchmark can
/// show which stage a slow reply spent its time in.
public struct ReplyTimings: Sendable, Equatable {
    /// A stage of a reply.
    public enum Stage: Int, CaseIterable, Sendable {
        /// Reading the message: answers to a pending question, intents, entity linking, references.
        case understanding
        /// Filtering the collection by the constraints (posting lists, years, gender, critiques).
        case filter
        /// The `search` tool (full-text, optionally fused with semantic search).
        case search
        /// The `recommend` tool (fold-in of liked and disliked works).
        case recommend
        /// The `similar` tool (critique anchors).
        case similar
        /// Fusing the tools' rankings with the filter and ordering the candidates.
        case scoring
        /// Choosing the most informative question.
        case question
        /// Reasons and explanations for the works offered, and the reply text.
        case explanation
        /// Loading the conversation before the reply and saving it after (when it is kept in a ``ConversationStore``).
        case persistence

        /// The stage's name as printed by the benchmark.
        public var name: String {
            switch self {
            case .understanding: "understanding"
            case .filter: "filter"
            case .search: "search"
            case .recommend: "recommend"
            case .similar: "similar"
            case .scoring: "scoring"
            case .question: "question"
            case .explanation: "explanation"
            case .persistence: "persistence"
            }
        }
    }

    private var values = [Double](repeating: 0, count: Stage.allCases.count)

    public init() {}

    /// Milliseconds spent in `stage`.
    public subscript(stage: Stage) -> Double { values[stage.rawValue] }

    /// The sum over all stages.
    public var total: Double { values.reduce(0, +) }

    /// Runs `body`, adding its wall-clock time to `stage`.
    @inline(__always)
    public mutating func measure<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { values[stage.rawValue] += Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e6 }
        return try body()
    }
}
