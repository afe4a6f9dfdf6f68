import Foundation

/// One invalid field of a request, listed in a problem's `errors` member.
///
/// Exactly one of `pointer` (a JSON Pointer into the request body, as a URI fragment: `#/3/timestamp`),
/// `parameter` (a query parameter name) or `header` (a header name) says where the problem is.
public struct FieldError: Sendable, Codable, Equatable {
    /// JSON Pointer into the body, as a URI fragment (`#/3/timestamp`).
    public var pointer: String?
    /// Name of a query parameter.
    public var parameter: String?
    /// Name of a request header.
    public var header: String?
    /// What is wrong with it.
    public var detail: String

    /// An error located by exactly one of `pointer`, `parameter` or `header`.
    public init(pointer: String? = nil, parameter: String? = nil, header: String? = nil, detail: String) {
        self.pointer = pointer
        self.parameter = parameter
        self.header = header
        self.detail = detail
    }

    /// A field of the JSON body, from path components (`[3, "timestamp"]` → `#/3/timestamp`).
    public static func body(_ path: [any CustomStringConvertible], _ detail: String) -> FieldError {
        FieldError(pointer: jsonPointer(path), detail: detail)
    }

    /// Escapes path components per RFC 6901 and writes them as a URI fragment.
    public static func jsonPointer(_ path: [any CustomStringConvertible]) -> String {
        "#" + path.map { "/" + $0.description.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }
}

/// The kinds of problem the API reports. Each has a stable `type` URI that the API also serves as documentation.
public enum ProblemType: String, Sendable, CaseIterable {
    case routeNotFound = "route-not-found"
    case itemNotFound = "item-not-found"
    case methodNotAllowed = "method-not-allowed"
    case malformedJSON = "malformed-json"
    case invalidParameters = "invalid-parameters"
    case validationFailed = "validation-failed"
    case unknownItems = "unknown-items"
    case unsupportedMediaType = "unsupported-media-type"
    case payloadTooLarge = "payload-too-large"
    case unauthorized = "unauthorized"
    case writesDisabled = "writes-disabled"
    case shuttingDown = "shutting-down"
    case searchUnavailable = "search-unavailable"
    case internalError = "internal-error"
    case tourInfeasible = "tour-infeasible"
    case venueNotFound = "venue-not-found"
    case tourNotFound = "tour-not-found"
    case visitorNotFound = "visitor-not-found"
    case conversationNotFound = "conversation-not-found"
    case imageSearchUnavailable = "image-search-unavailable"
    case modalityUnavailable = "modality-unavailable"

    /// The `type` member: a relative URI reference that resolves to this problem's description.
    public var uri: String { "/v1/problems/\(rawValue)" }

    /// The HTTP status this problem is answered with.
    public var status: HTTPStatus {
        switch self {
        case .routeNotFound, .itemNotFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .malformedJSON, .invalidParameters: .badRequest
        case .validationFailed, .unknownItems: .unprocessable
        case .unsupportedMediaType: .unsupportedMediaType
        case .payloadTooLarge: .payloadTooLarge
        case .unauthorized: .unauthorized
        case .writesDisabled, .shuttingDown, .searchUnavailable: .serviceUnavailable
        case .internalError: .internalError
        case .venueNotFound, .tourNotFound, .visitorNotFound, .conversationNotFound: .notFound
        case .tourInfeasible, .imageSearchUnavailable: .unprocessable
        case .modalityUnavailable: .conflict
        }
    }

    /// Short, constant summary (the problem `title`).
    public var title: String {
        switch self {
        case .routeNotFound: "No such resource"
        case .itemNotFound: "Item not found"
        case .methodNotAllowed: "Method not allowed"
        case .malformedJSON: "Malformed JSON"
        case .invalidParameters: "Invalid query parameters"
        case .validationFailed: "Request body failed validation"
        case .unknownItems: "Unknown items"
        case .unsupportedMediaType: "Unsupported media type"
        case .payloadTooLarge: "Request body too large"
        case .unauthorized: "API key missing or wrong"
        case .writesDisabled: "Writes are disabled"
        case .shuttingDown: "Server is shutting down"
        case .searchUnavailable: "Semantic search is unavailable"
        case .internalError: "Internal error"
        case .tourInfeasible: "No tour fits the request"
        case .venueNotFound: "No venue"
        case .tourNotFound: "Tour not found"
        case .visitorNotFound: "Visitor not found"
        case .conversationNotFound: "Conversation not found"
        case .imageSearchUnavailable: "Image search unavailable"
        case .modalityUnavailable: "Modality unavailable"
        }
    }

    /// What the problem means and how to fix it, served at ``uri``.
    public var explanation: String {
        switch self {
        case .routeNotFound: "The path does not name any resource of this API. See /v1/openapi.json for the routes."
        case .itemNotFound: "No item with this identifier is stored. Identifiers are the source catalogue's (for Tate, the accession number such as N05742)."
        case .methodNotAllowed: "The resource exists but does not support this HTTP method. The Allow header lists the methods it supports."
        case .malformedJSON: "The request body is not well-formed JSON (RFC 8259). The detail gives the position of the first error."
        case .invalidParameters: "One or more query parameters are unknown, repeated, or have values of the wrong type or range. Each is listed in errors[] with its parameter name."
        case .validationFailed: "The JSON body is well-formed but some values are missing, of the wrong type, or impossible. Each is listed in errors[] with a JSON Pointer to the field."
        case .unknownItems: "Some events refer to items that are not in the collection. Nothing from the request was stored; each offending event is listed in errors[]."
        case .unsupportedMediaType: "The request body must be sent with Content-Type: application/json."
        case .payloadTooLarge: "The request body is larger than the server accepts. Split the batch into smaller requests."
        case .unauthorized: "Write requests need the API key, sent as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."
        case .writesDisabled: "The server has no API key configured (CURIO_API_KEY), so it refuses writes. Set the key and restart, or start a demo server with --allow-unauthenticated-writes."
        case .shuttingDown: "The server is stopping. Retry against another instance or after it restarts."
        case .searchUnavailable: "mode=semantic needs the text model (`curio models install`) and item embeddings (`curio embed`). mode=hybrid, the default, answers lexically meanwhile."
        case .internalError: "The server failed unexpectedly. The request can be retried; if it keeps failing, report it with the time of the request."
        case .tourInfeasible: "No tour can satisfy the request (time budget, opening hours, accessibility, rooms that cannot be reached, or interests no work on display matches). The detail says why and what to change."
        case .venueNotFound: "No venue (floor plan with rooms and item placements) is stored, or none with the requested id. Import one with `curio venue import FILE`."
        case .tourNotFound: "No tour with this id is kept. Tours are kept until two hours after their planned end; plan a new one with GET /v1/tours."
        case .visitorNotFound: "No events of this visitor are stored, so there is nothing to plan from. Record events with POST /v1/events, or plan from interests instead."
        case .conversationNotFound: "No conversation with this id is stored. Start one with POST /v1/conversations."
        case .modalityUnavailable: "The requested modality (text, image or fused vectors, or the image→text projection) has nothing stored for this collection or this object yet. The detail names the command that computes it: `curio embed` for text and image vectors, `curio fuse` for the projection and fusion weights."
        case .imageSearchUnavailable: "An image was sent as the query, but no image embeddings are stored for the collection to compare it with. Send the work's id as 'item' instead, or compute image embeddings first."
        }
    }
}

/// An RFC 9457 problem detail, thrown by handlers and rendered as `application/problem+json`.
public struct Problem: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// URI reference identifying the kind of problem; resolves to its description.
    public var type: String
    /// Short summary of the kind of problem (the same for every occurrence).
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// What went wrong in this request.
    public var detail: String?
    /// The request path.
    public var instance: String?
    /// Each invalid field, parameter or header, for validation problems.
    public var errors: [FieldError]?

    /// A problem with every member given.
    public init(type: String, title: String, status: Int, detail: String? = nil, instance: String? = nil,
                errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.errors = errors
    }

    /// A problem of a known type.
    public init(_ kind: ProblemType, detail: String? = nil, errors: [FieldError]? = nil) {
        self.init(type: kind.uri, title: kind.title, status: kind.status.rawValue, detail: detail, errors: errors)
    }

    /// `422 Request body failed validation: …`
    public var description: String { "\(status) \(title)" + (detail.map { ": \($0)" } ?? "") }

    /// The problem as a response, with `instance` set to the request path.
    public func response(instance path: String?, extraHeaders: [(name: String, value: String)] = []) -> HTTPResponse {
        var problem = self
        if problem.instance == nil { problem.instance = path }
        let body = (try? APIJSON.encoder.encode(problem)) ?? Data(#"{"status":500,"title":"Internal error"}"#.utf8)
        return HTTPResponse(status: HTTPStatus(rawValue: status) ?? .internalError,
                            headers: [("Content-Type", "application/problem+json")] + extraHeaders, body: body)
    }
}

/// The JSON coders the API uses: ISO 8601 dates, stable key order, no escaped slashes.
public enum APIJSON {
    /// Shared encoder; JSONEncoder is thread-safe for encoding once configured.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
