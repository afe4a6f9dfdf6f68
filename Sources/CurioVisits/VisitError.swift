import CurioCore

/// Errors raised by venue loading, context handling and tour planning, in words a visitor-services team understands.
public enum VisitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One field of a venue file is wrong (`rooms[3].adjacent[1].seconds: must be a positive number`).
    case badVenue(file: String, field: String, reason: String)
    /// A venue file has several problems; all of them are listed so they can be fixed in one pass.
    case invalidVenue(file: String, problems: [FieldProblem])
    /// A room id that the venue does not have.
    case unknownRoom(id: String)
    /// An item id that is not placed in the venue.
    case unknownItem(id: String)
    /// No tour (or no prediction) can satisfy the request; `reason` says why and what to change.
    case infeasible(reason: String)
    /// A parameter is out of range or inconsistent.
    case badParameter(name: String, reason: String)
    /// A saved model cannot be read back.
    case badModel(reason: String)

    public var description: String {
        switch self {
        case let .badVenue(file, field, reason): "\(file): venue field \(field): \(reason)"
        case let .invalidVenue(file, problems):
            problems.count == 1
                ? "\(file): venue field \(problems[0].field): \(problems[0].message)"
                : "\(file): \(problems.count) problems in the venue file:\n"
                    + problems.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
        case let .unknownRoom(id): "No room '\(id)' in the venue"
        case let .unknownItem(id): "Item '\(id)' is not placed in any room of the venue"
        case let .infeasible(reason): "No tour is possible: \(reason)"
        case let .badParameter(name, reason): "parameter \(name): \(reason)"
        case let .badModel(reason): "The next-exhibit model cannot be loaded: \(reason)"
        }
    }
}
