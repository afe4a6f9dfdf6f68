import CurioCore

/// Errors of the Curio facade, with messages a curator or app developer can act on.
public enum CurioError: Error, CustomStringConvertible, Sendable {
    /// No database at the path (read commands do not create one).
    case databaseMissing(path: String)
    /// Some events of a batch are invalid; nothing was stored. Each problem names the event's index and field.
    case invalidEvents([EventProblem])
    /// Some events refer to items that are not in the collection; nothing was stored.
    case unknownItems([EventProblem])
    /// The `--format` name is not one Curio can read.
    case unknownFormat(String, known: [String])

    public var description: String {
        switch self {
        case let .databaseMissing(path):
            "No Curio database at \(path). Create one with `curio init --db \(path)` or pass --db."
        case let .invalidEvents(problems):
            "\(problems.count) invalid event\(problems.count == 1 ? "" : "s"); nothing stored. " +
                problems.prefix(5).map(\.description).joined(separator: "; ")
        case let .unknownItems(problems):
            "\(problems.count) event\(problems.count == 1 ? "" : "s") refer to unknown items; nothing stored. " +
                problems.prefix(5).map(\.description).joined(separator: "; ")
        case let .unknownFormat(name, known):
            "Unknown format '\(name)'. Known formats: \(known.joined(separator: ", "))."
        }
    }
}

/// A problem with one event of a batch: its 0-based position, the field and what is wrong.
public struct EventProblem: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var field: String
    public var message: String

    public init(index: Int, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }

    public var description: String { "event \(index): \(field) \(message)" }
}
