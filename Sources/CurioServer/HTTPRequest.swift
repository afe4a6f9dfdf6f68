import Foundation

/// Header fields of a request; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Sequence {
    private var fields: [(name: String, value: String)]

    /// Headers in the order received.
    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    /// The first value of `name`, or nil.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Appends a header (repeated names are kept).
    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Iterates over the headers in the order received.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// One HTTP request as the API sees it: method, decoded path, query parameters, headers and the whole body.
public struct HTTPRequest: Sendable {
    /// Upper-case method (`GET`, `POST`).
    public var method: String
    /// The percent-decoded path without the query string (`/v1/items/N05742`).
    public var path: String
    /// Decoded query parameters in the order given.
    public var query: QueryParameters
    /// Request headers (names case-insensitive).
    public var headers: HTTPHeaders
    /// The request body (empty for GET).
    public var body: Data
    /// Path parameters filled in by the router (`id` for `/v1/items/{id}`).
    public var pathParameters: [String: String] = [:]

    /// A request as the server hands it to the router (also handy in tests without a network).
    public init(method: String, path: String, query: QueryParameters = QueryParameters(), headers: HTTPHeaders = HTTPHeaders(),
                body: Data = Data()) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The media type of the body without parameters, lower-cased (`application/json`).
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

/// One HTTP response: status, headers and a complete body.
public struct HTTPResponse: Sendable {
    /// The status code sent.
    public var status: HTTPStatus
    /// Headers sent besides those libmicrohttpd adds (`Date`, `Content-Length`).
    public var headers: [(name: String, value: String)]
    /// The complete body.
    public var body: Data

    /// A response with the given status, headers and body.
    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of a header set on this response.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// A JSON response from already-encoded bytes.
    public static func json(_ body: Data, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: body)
    }
}
