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

    /// A message naming what to fix.
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
    /// 0-based position of the event in the batch.
    public var index: Int
    /// The event field (`item`, `value`, `timestamp`).
    public var field: String
    /// What is wrong with it.
    public var message: String

    /// A problem with event `index`.
    public init(index: Int, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }

    /// `event 3: value rating 7 is outside 1 to 5`
    public var description: String { "event \(index): \(field) \(message)" }
}
