/// HTTP status codes the API uses.
public enum HTTPStatus: Int, Sendable {
    case ok = 200, created = 201, accepted = 202, noContent = 204
    case badRequest = 400, unauthorized = 401, forbidden = 403, notFound = 404, methodNotAllowed = 405
    case payloadTooLarge = 413, unsupportedMediaType = 415, unprocessable = 422, tooManyRequests = 429
    case internalError = 500, serviceUnavailable = 503
}
