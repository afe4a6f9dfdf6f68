import CurioCore

/// Errors of the visit and conversation services of the facade (``VisitService``, ``GuideService``), with messages
/// a curator or app developer can act on. Planning problems themselves are `CurioVisits.VisitError`s.
public enum CurioServiceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No venue is stored (or none with this id).
    case noVenue(id: String?)
    /// No tour with this id, or it expired.
    case unknownTour(id: String)
    /// The store cannot keep venues, tours and conversations.
    case unsupportedStore
    /// Venue placements name items that are not in the collection; nothing was stored.
    case unplacedItems(file: String, problems: [FieldProblem])
    /// A request parameter is wrong (`field` names it as the caller wrote it).
    case badInput(field: String, reason: String)
    /// Finding an item from an image is not possible with what is stored.
    case imageSearchUnavailable(reason: String)
    /// No visitor with this id has any event.
    case unknownVisitor(id: String)

    public var description: String {
        switch self {
        case let .noVenue(id):
            id.map { "No venue '\($0)' is stored. List venues with `curio venue show`; import one with `curio venue import FILE`." }
                ?? "No venue is stored. Import one with `curio venue import FILE` (example: data/venue/tate-sample-venue.json)."
        case let .unknownTour(id): "No tour with id '\(id)' (tours expire two hours after their planned end)."
        case .unsupportedStore: "This store cannot keep venues, tours and conversations; use the SQLite store."
        case let .unplacedItems(file, problems):
            "\(file): \(problems.count) placement\(problems.count == 1 ? "" : "s") name items that are not in the collection; nothing was stored:\n"
                + problems.prefix(20).map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
                + (problems.count > 20 ? "\n  … and \(problems.count - 20) more" : "")
        case let .badInput(field, reason): "\(field): \(reason)"
        case let .imageSearchUnavailable(reason): "Cannot find works from an image: \(reason)"
        case let .unknownVisitor(id): "No events of visitor '\(id)' are stored."
        }
    }
}
