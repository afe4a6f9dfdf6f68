import CurioCore
import Foundation

/// Anything that turns a request into a response. Must be thread-safe: the server calls it from several threads.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) -> HTTPResponse
}

/// A path template such as `/v1/items/{id}`: literal segments and named parameters, one segment each.
public struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]
    /// The template as written.
    public let description: String

    /// Parses a template; `{name}` segments are parameters.
    public init(_ template: String) {
        description = template
        segments = PathPattern.split(template).map { part in
            if part.hasPrefix("{"), part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }

    /// The parameter names in order.
    public var parameterNames: [String] {
        segments.compactMap { if case let .parameter(name) = $0 { name } else { nil } }
    }

    /// Matches a path, returning the parameter values, or nil.
    func match(_ parts: [Substring]) -> [String: String]? {
        guard parts.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case let .literal(text): if part != text[...] { return nil }
            case let .parameter(name):
                if part.isEmpty { return nil }
                values[name] = String(part)
            }
        }
        return values
    }

    static func split(_ path: String) -> [Substring] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "", !parts.isEmpty { parts.removeLast() }
        return parts
    }
}

/// One endpoint: method, path template, a name (the OpenAPI operationId) and the handler.
public struct Route: Sendable {
    /// Upper-case HTTP method.
    public var method: String
    /// The path template.
    public var pattern: PathPattern
    /// The OpenAPI operationId (also used in logs).
    public var operationID: String
    /// Answers a matched request; throw a ``Problem`` for an error response.
    public var handler: @Sendable (HTTPRequest) throws -> HTTPResponse

    /// A route for `method` on `template`.
    public init(_ method: String, _ template: String, operationID: String,
                handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        self.method = method
        pattern = PathPattern(template)
        self.operationID = operationID
        self.handler = handler
    }
}

/// Dispatches requests to routes by method and path.
///
/// - Unknown path: 404 problem. Known path, other method: 405 with `Allow`. `HEAD` is served by the `GET` route
///   (libmicrohttpd drops the body), `OPTIONS` answers 204 with `Allow`.
/// - A handler that throws a ``Problem`` gets that problem as problem+json; any other error becomes a 500
///   problem (logged, details not leaked).
public struct Router: HTTPHandler {
    /// The routes in the order added (the first match wins).
    public private(set) var routes: [Route] = []
    private let logger: Logger

    /// An empty router; `logger` receives unexpected handler errors.
    public init(logger: Logger = .disabled) { self.logger = logger }

    /// Adds a route.
    public mutating func add(_ route: Route) { routes.append(route) }

    /// Routes `request`; never throws and never traps on any input.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let parts = PathPattern.split(request.path)
        var allowed: [String] = []
        var chosen: (Route, [String: String])?
        for route in routes {
            guard let values = route.pattern.match(parts) else { continue }
            allowed.append(route.method)
            if chosen == nil, route.method == request.method || (request.method == "HEAD" && route.method == "GET") {
                chosen = (route, values)
            }
        }
        guard !allowed.isEmpty else {
            return Problem(.routeNotFound, detail: "There is no resource at \(request.path.prefix(200)).")
                .response(instance: Self.instance(request.path))
        }
        if allowed.contains("GET"), !allowed.contains("HEAD") { allowed.append("HEAD") }
        allowed.append("OPTIONS")
        let allow = allowed.joined(separator: ", ")
        guard let (route, values) = chosen else {
            if request.method == "OPTIONS" { return HTTPResponse(status: .noContent, headers: [("Allow", allow)]) }
            return Problem(.methodNotAllowed, detail: "\(request.path.prefix(200)) supports \(allow), not \(request.method.prefix(20)).")
                .response(instance: Self.instance(request.path), extraHeaders: [("Allow", allow)])
        }
        var routed = request
        routed.pathParameters = values
        do {
            return try route.handler(routed)
        } catch let problem as Problem {
            return problem.response(instance: Self.instance(request.path),
                                    extraHeaders: problem.status == 401 ? [("WWW-Authenticate", #"Bearer realm="curio""#)] : [])
        } catch {
            logger.error("request failed", metadata: ["route": route.operationID, "error": "\(error)"])
            return Problem(.internalError, detail: "The server could not complete the request.")
                .response(instance: Self.instance(request.path))
        }
    }

    /// The request path for the problem's `instance`, bounded so a huge path cannot bloat the response.
    static func instance(_ path: String) -> String { String(path.prefix(300)) }
}
