import CurioJSON
import CurioCore
import CurioKit
import CurioNeural
import CurioStore
import Foundation

/// The Curio HTTP API: every route, wired to a ``Curio`` engine.
///
/// ```swift
/// let api = CurioAPI(curio: curio, keys: .from(environment: env, allowUnauthenticated: false))
/// let server = try HTTPServer(configuration: .init(port: 8080), handler: api.router)
/// ```
public struct CurioAPI: Sendable {
    /// The engine the routes read from and write to.
    public let curio: Curio
    /// Who may call write routes.
    public let keys: APIKeyPolicy
    /// Every route of the API; hand it to ``HTTPServer`` as the handler.
    public let router: Router
    /// Background work the routes started (model warm-up); wait on it after the server stops, before closing the store.
    public let background = DispatchGroup()
    private let startedAt: Date

    /// Largest `page_size` for `GET /v1/items`.
    public static let maximumPageSize = 500
    /// Largest `k` for `GET /v1/search`.
    public static let maximumResults = 100

    /// Wires every route to `curio`; `logger` receives handler failures.
    public init(curio: Curio, keys: APIKeyPolicy, logger: Logger = .disabled) {
        self.curio = curio
        self.keys = keys
        let startedAt = Date()
        self.startedAt = startedAt
        var router = Router(logger: logger)
        let handlers = Handlers(curio: curio, keys: keys, startedAt: startedAt, logger: logger,
                                itemCache: ItemResponseCache(), health: HealthProbe(curio: curio))
        router.add(Route("GET", "/health", operationID: "getHealth", handler: handlers.health))
        router.add(Route("GET", "/v1/items", operationID: "listItems", handler: handlers.listItems))
        router.add(Route("GET", "/v1/items/{id}", operationID: "getItem", handler: handlers.item))
        router.add(Route("GET", "/v1/search", operationID: "searchItems", handler: handlers.search))
        router.add(Route("POST", "/v1/events", operationID: "postEvents", handler: handlers.postEvents))
        router.add(Route("GET", "/v1/openapi.json", operationID: "getOpenAPI", handler: handlers.openAPI))
        router.add(Route("GET", "/v1/problems/{type}", operationID: "getProblemType", handler: handlers.problemType))
        RecommendationRoutes(curio: curio, keys: keys, logger: logger, background: background).register(in: &router)
        VisitRoutes.register(in: &router, curio: curio, keys: keys, logger: logger)
        self.router = router
    }
}

/// The route handlers; each turns a request into a response or throws a ``Problem``.
struct Handlers: Sendable {
    let curio: Curio
    let keys: APIKeyPolicy
    let startedAt: Date
    let logger: Logger
    let itemCache: ItemResponseCache
    let health: HealthProbe

    func health(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        let uptime = Int(Date().timeIntervalSince(startedAt))
        do {
            let items = try health.itemCount()
            return try json(HealthDTO(status: "ok", version: CurioVersion.string, items: items, uptimeSeconds: uptime))
        } catch {
            logger.error("health check failed", metadata: ["error": "\(error)"])
            let body = try APIJSON.encoder.encode(HealthDTO(status: "unavailable", version: CurioVersion.string, items: nil,
                                                            uptimeSeconds: uptime))
            return HTTPResponse.json(body, status: .serviceUnavailable)
        }
    }

    func item(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        let id = request.pathParameters["id"] ?? ""
        guard id.count <= 200 else {
            throw Problem(.itemNotFound, detail: "Item identifiers are at most 200 characters.")
        }
        // The stored canonical JSON is read without decoding; the rendered body is reused while it is unchanged.
        guard let record = try curio.store.itemJSON(ItemID(id)) else {
            throw Problem(.itemNotFound, detail: "No item with id '\(id)'.")
        }
        // The cache key covers the record and its image descriptors, so a new `curio embed` is never served stale.
        let visualJSON = try curio.visualDescriptorsJSON(of: ItemID(id))
        var stored = record
        if let visualJSON { stored.append(0); stored.append(visualJSON) }
        if let body = itemCache.body(for: id, stored: stored) { return HTTPResponse.json(body) }
        let item = try JSONDecoder().decode(Item.self, from: record)
        let visuals = visualJSON == nil ? nil : try curio.visualDescriptors(of: item.id)
        let body = try APIJSON.encoder.encode(ItemDTO(item, labels: curio.label(of:), visuals: visuals))
        itemCache.insert(body, for: id, stored: stored)
        return HTTPResponse.json(body)
    }

    func listItems(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query,
                                 allowed: ["maker", "subject", "from", "to", "medium", "source", "colour", "brightness",
                                           "colourfulness", "page", "page_size"])
        let maker = reader.string("maker")
        let subject = reader.string("subject")
        let from = reader.int("from", range: DateRange.plausibleYears)
        let to = reader.int("to", range: DateRange.plausibleYears)
        let medium = reader.string("medium")
        let source = reader.string("source", maxLength: 50)
        let page = reader.int("page", default: 1, range: 1...1_000_000)
        let pageSize = reader.int("page_size", default: 50, range: 1...CurioAPI.maximumPageSize)
        let visual = reader.visualFilter()
        if let from, let to, from > to { reader.fail("from", "(\(from)) is after to (\(to))") }
        try reader.finish()
        let query = ItemQuery(maker: maker, subject: subject, fromYear: from, toYear: to, medium: medium, source: source,
                              visual: visual.isEmpty ? nil : visual.storeFilter, page: page - 1, pageSize: pageSize)
        return try json(ItemPageDTO(curio.items(query)))
    }

    func search(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query, allowed: ["q", "k", "mode", "modality", "colour", "brightness", "colourfulness"])
        let q = reader.requiredString("q", maxLength: 500)
        let k = reader.int("k", default: 10, range: 1...CurioAPI.maximumResults)
        let modeText = reader.string("mode", maxLength: 20) ?? SearchMode.hybrid.rawValue
        let mode = SearchMode(rawValue: modeText)
        if mode == nil { reader.fail("mode", "'\(modeText)' is not a search mode; use lexical, semantic or hybrid") }
        let modality = reader.string("modality", maxLength: 20) ?? "text"
        if !["text", "image"].contains(modality) { reader.fail("modality", "must be text or image") }
        let visual = reader.visualFilter()
        try reader.finish()
        guard let q, let mode else { throw Problem(.invalidParameters) }
        if modality == "image" {
            // Text→image: the query's MiniLM embedding against the images projected into the text space.
            let results: [(hit: SearchHit, item: Item)]
            do {
                results = try curio.imageSearch(q, limit: k)
            } catch let error as MultimodalServiceError {
                throw Problem(.modalityUnavailable, detail: error.description)
            } catch let error as NeuralError {
                throw Problem(.searchUnavailable, detail: error.description)
            }
            return try json(SearchResultsDTO(query: q, mode: "image", results: results))
        }
        let outcome: SearchOutcome
        do {
            outcome = try curio.search(q, mode: mode, limit: k, visual: visual)
        } catch let error as NeuralError {
            throw Problem(.searchUnavailable, detail: error.description)
        } catch let error as TextSearchError {
            throw Problem(.searchUnavailable, detail: error.description)
        }
        return try json(SearchResultsDTO(query: q, mode: outcome.mode.rawValue, results: outcome.results))
    }

    func postEvents(_ request: HTTPRequest) throws -> HTTPResponse {
        try keys.authorize(request)
        try QueryReader(request.query, allowed: []).finish()
        guard let type = request.mediaType else {
            throw Problem(.unsupportedMediaType, detail: "Send the events with Content-Type: application/json.",
                          errors: [FieldError(header: "Content-Type", detail: "is missing")])
        }
        guard type == "application/json" || type.hasSuffix("+json") else {
            throw Problem(.unsupportedMediaType, detail: "Send the events with Content-Type: application/json, not \(type.prefix(60)).",
                          errors: [FieldError(header: "Content-Type", detail: "must be application/json")])
        }
        let (events, base) = try EventPayload.decode(request.body, receivedAt: Date())
        do {
            let summary = try curio.recordEvents(events)
            let body = try APIJSON.encoder.encode(EventsAcceptedDTO(received: events.count, appended: summary.appended,
                                                                    duplicates: summary.duplicates))
            return HTTPResponse.json(body, status: .ok)
        } catch let CurioError.unknownItems(problems) {
            let errors = problems.prefix(EventPayload.maximumErrors).map {
                FieldError.body(base + ["\($0.index)", $0.field], $0.message)
            }
            throw Problem(.unknownItems, detail: "\(problems.count) of \(events.count) events refer to items that are not in the collection; nothing was stored.",
                          errors: Array(errors))
        } catch let CurioError.invalidEvents(problems) {
            let errors = problems.prefix(EventPayload.maximumErrors).map {
                FieldError.body(base + ["\($0.index)", $0.field], $0.message)
            }
            throw Problem(.validationFailed, detail: "\(problems.count) events are invalid; nothing was stored.", errors: Array(errors))
        }
    }

    func openAPI(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        return HTTPResponse(status: .ok, headers: [("Content-Type", "application/json")], body: OpenAPIDocument.json)
    }

    func problemType(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        let name = request.pathParameters["type"] ?? ""
        guard let kind = ProblemType(rawValue: name) else {
            throw Problem(.routeNotFound, detail: "There is no problem type '\(name.prefix(60))'.")
        }
        let document: JSONValue = [
            "type": .string(kind.uri), "title": .string(kind.title), "status": .number(Double(kind.status.rawValue)),
            "description": .string(kind.explanation),
        ]
        return HTTPResponse.json(try APIJSON.encoder.encode(document))
    }

    private func json<T: Encodable>(_ value: T, status: HTTPStatus = .ok) throws -> HTTPResponse {
        HTTPResponse.json(try APIJSON.encoder.encode(value), status: status)
    }
}

/// The item count for `GET /health`, refreshed at most every few seconds so that frequent probes stay cheap.
final class HealthProbe: @unchecked Sendable {
    private let curio: Curio
    private let lock = NSLock()
    private var cached: (count: Int, at: Date)?
    static let maximumAge: TimeInterval = 2

    init(curio: Curio) { self.curio = curio }

    /// The number of stored items; reading it also proves the database answers.
    func itemCount() throws -> Int {
        lock.lock()
        if let cached, Date().timeIntervalSince(cached.at) < Self.maximumAge {
            lock.unlock()
            return cached.count
        }
        lock.unlock()
        let count = try curio.store.items(matching: ItemQuery(page: 0, pageSize: 1)).total
        lock.lock()
        cached = (count, Date())
        lock.unlock()
        return count
    }
}
