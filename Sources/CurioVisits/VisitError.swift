/// Errors raised by venue loading, context handling and tour planning, in words a visitor-services team understands.
public enum VisitError: Error, CustomStringConvertible, Sendable {
    case badVenue(file: String, field: String, reason: String)
    case unknownRoom(id: String)
    case infeasible(reason: String)
    case badParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case let .badVenue(file, field, reason): "\(file): venue field \(field): \(reason)"
        case let .unknownRoom(id): "No room '\(id)' in the venue"
        case let .infeasible(reason): "No tour is possible: \(reason)"
        case let .badParameter(name, reason): "parameter \(name): \(reason)"
        }
    }
}
