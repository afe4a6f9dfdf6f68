/// HTTP status codes the API uses, with their reason phrases (RFC 9110).
public enum HTTPStatus: Int, Sendable {
    case ok = 200, created = 201, accepted = 202, noContent = 204
    case badRequest = 400, unauthorized = 401, forbidden = 403, notFound = 404, methodNotAllowed = 405, conflict = 409
    case notAcceptable = 406, requestTimeout = 408, payloadTooLarge = 413, uriTooLong = 414
    case unsupportedMediaType = 415, unprocessable = 422, tooManyRequests = 429, headerFieldsTooLarge = 431
    case internalError = 500, notImplemented = 501, serviceUnavailable = 503

    /// The standard reason phrase, used as the problem `title` for generic problems.
    public var reasonPhrase: String {
        switch self {
        case .ok: "OK"
        case .created: "Created"
        case .accepted: "Accepted"
        case .noContent: "No Content"
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .forbidden: "Forbidden"
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .notAcceptable: "Not Acceptable"
        case .conflict: "Conflict"
        case .requestTimeout: "Request Timeout"
        case .payloadTooLarge: "Content Too Large"
        case .uriTooLong: "URI Too Long"
        case .unsupportedMediaType: "Unsupported Media Type"
        case .unprocessable: "Unprocessable Content"
        case .tooManyRequests: "Too Many Requests"
        case .headerFieldsTooLarge: "Request Header Fields Too Large"
        case .internalError: "Internal Server Error"
        case .notImplemented: "Not Implemented"
        case .serviceUnavailable: "Service Unavailable"
        }
    }
}
