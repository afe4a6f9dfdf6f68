import CurioJSON
import CurioCore
import CurioKit
import CurioPolicy
import Foundation

/// The recommendation routes: explained lists per visitor, similar objects, curator policies and live exposure.
///
/// Registered by ``CurioAPI`` with one line; the service behind them (``CurioKit/RecommendationService``) starts
/// loading the collection and the serving model in the background as soon as the routes are created.
struct RecommendationRoutes: Sendable {
    let curio: Curio
    let keys: APIKeyPolicy
    let logger: Logger
    /// Tracks the background warm-up so shutdown can wait for it before the store closes.
    let background: DispatchGroup

    /// Largest `k` for recommendations and similar objects.
    static let maximumResults = 100

    /// Adds the routes to `router` and starts warming up the service.
    func register(in router: inout Router) {
        router.add(Route("GET", "/v1/visitors/{id}/recommendations", operationID: "getRecommendations", handler: recommendations))
        router.add(Route("GET", "/v1/items/{id}/similar", operationID: "getSimilarItems", handler: similar))
        router.add(Route("GET", "/v1/policies", operationID: "listPolicies", handler: listPolicies))
        router.add(Route("GET", "/v1/policies/{name}", operationID: "getPolicy", handler: policy))
        router.add(Route("PUT", "/v1/policies/{name}", operationID: "putPolicy", handler: putPolicy))
        router.add(Route("GET", "/v1/metrics/exposure", operationID: "getExposureMetrics", handler: exposure))
        let curio = curio, logger = logger, background = background
        background.enter()
        DispatchQueue.global(qos: .utility).async {
            defer { background.leave() }
            do {
                try curio.recommendations().warmUp()
            } catch {
                logger.warning("recommendations are not ready yet: \(error)")
            }
        }
    }

    func recommendations(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query, allowed: ["k", "exclude_seen", "policy", "maker", "subject", "model"])
        let k = reader.int("k", default: 10, range: 1...Self.maximumResults)
        let excludeSeen = reader.bool("exclude_seen", default: true)
        let policy = reader.string("policy", maxLength: 64)
        let maker = reader.string("maker")
        let subject = reader.string("subject")
        let model = reader.string("model", maxLength: 64)
        if let model, !Curio.trainableModels.contains(model) {
            reader.fail("model", "is not a model Curio trains; known: \(Curio.trainableModels.joined(separator: ", "))")
        }
        try reader.finish()
        let visitor = request.pathParameters["id"] ?? ""
        guard visitor.count <= 200 else {
            throw Problem(.invalidParameters, detail: "Visitor identifiers are at most 200 characters.")
        }
        let list = try mapped {
            try curio.recommend(RecommendationRequest(visitor: VisitorID(visitor), k: k, excludeSeen: excludeSeen, policy: policy,
                                                      maker: maker, subject: subject, model: model))
        }
        return HTTPResponse.json(list.jsonBody())
    }

    func similar(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query, allowed: ["k", "modality"])
        let k = reader.int("k", default: 10, range: 1...Self.maximumResults)
        let modalityText = reader.string("modality", maxLength: 20) ?? SimilarityModality.fused.rawValue
        let modality = SimilarityModality(rawValue: modalityText)
        if modality == nil { reader.fail("modality", "must be fused, text, image or metadata") }
        try reader.finish()
        let id = request.pathParameters["id"] ?? ""
        guard id.count <= 200 else { throw Problem(.itemNotFound, detail: "Item identifiers are at most 200 characters.") }
        let list = try mapped {
            do {
                return try curio.similar(to: ItemID(id), k: k, modality: modality ?? .fused)
            } catch let error as MultimodalServiceError {
                throw Problem(.modalityUnavailable, detail: error.description)
            }
        }
        return HTTPResponse.json(try APIJSON.encoder.encode(list))
    }

    func listPolicies(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        let list = try mapped { try curio.recommendations().policies.list() }
        return HTTPResponse.json(try APIJSON.encoder.encode(PolicyListDTO(policies: list)))
    }

    func policy(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        let name = request.pathParameters["name"] ?? ""
        let summary: PolicySummary, document: Data
        do {
            (summary, document) = try curio.recommendations().policies.show(name)
        } catch RecommendationSetupError.unknownPolicy {
            throw Problem(.routeNotFound, detail: "There is no policy '\(name.prefix(64))'.")
        }
        let parsed = (try? JSONValue.parse(document)) ?? .null
        return HTTPResponse.json(try APIJSON.encoder.encode(PolicyDocumentDTO(summary: summary, document: parsed)))
    }

    func putPolicy(_ request: HTTPRequest) throws -> HTTPResponse {
        try keys.authorize(request)
        try QueryReader(request.query, allowed: []).finish()
        guard let type = request.mediaType, type == "application/json" || type.hasSuffix("+json") else {
            throw Problem(.unsupportedMediaType, detail: "Send the policy with Content-Type: application/json.",
                          errors: [FieldError(header: "Content-Type", detail: "must be application/json")])
        }
        let name = request.pathParameters["name"] ?? ""
        let service = try mapped { try curio.recommendations() }
        do {
            let summary = try service.policies.set(name, document: request.body, source: "PUT /v1/policies/\(name.prefix(64))")
            logger.info("policy activated", metadata: ["policy": "\(summary.name)", "version": "\(summary.version)"])
            let (_, document) = try service.policies.show(summary.name)
            let parsed = (try? JSONValue.parse(document)) ?? .null
            return HTTPResponse.json(try APIJSON.encoder.encode(PolicyDocumentDTO(summary: summary, document: parsed)))
        } catch let error as PolicyError {
            throw Self.problem(for: error)
        }
    }

    func exposure(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query, allowed: ["policy"])
        let policy = reader.string("policy", maxLength: 64)
        try reader.finish()
        let report = try mapped { try curio.exposure(policy: policy) }
        return HTTPResponse.json(try APIJSON.encoder.encode(ExposureDTO(report, policy: policy ?? PolicyLibrary.defaultName)))
    }

    // MARK: Errors

    /// Runs `body`, turning recommendation errors into problems that name the parameter at fault.
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RecommendationSetupError {
            switch error {
            case let .unknownPolicy(name, known):
                throw Problem(.invalidParameters, detail: "There is no policy '\(name.prefix(64))'.",
                              errors: [FieldError(parameter: "policy", detail: "must be one of \((known + ["none"]).joined(separator: ", "))")])
            case let .badParameter(name, reason):
                throw Problem(.invalidParameters, detail: "Query parameter '\(name)' \(reason).",
                              errors: [FieldError(parameter: name, detail: reason)])
            case .noTrainedModel:
                throw Problem(.invalidParameters, detail: error.description,
                              errors: [FieldError(parameter: "model", detail: "has no trained version")])
            case let .unknownItem(id):
                throw Problem(.itemNotFound, detail: "No item with id '\(id.rawValue.prefix(200))'.")
            case .emptyCollection:
                throw Problem(.itemNotFound, detail: "The collection has no items yet; ingest a catalogue first.")
            case .noDatabaseFile, .registryUnreadable, .unknownModel, .noEvents:
                throw error
            }
        }
    }

    /// A rejected policy: 400 when the body is not JSON, otherwise 422 naming each offending field by JSON Pointer.
    static func problem(for error: PolicyError) -> Problem {
        switch error {
        case let .malformed(_, reason) where reason.hasPrefix("not JSON"):
            return Problem(.malformedJSON, detail: "The policy is not well-formed JSON; the active policy is unchanged.")
        case let .malformed(_, reason):
            return Problem(.validationFailed, detail: "\(reason); the active policy is unchanged.",
                           errors: [FieldError(pointer: "#", detail: reason)])
        case let .invalid(path, reason):
            return Problem(.validationFailed, detail: "\(error.description); the active policy is unchanged.",
                           errors: [FieldError(pointer: pointer(path), detail: reason)])
        case let .contradictory(paths, reason):
            return Problem(.validationFailed, detail: "\(error.description); the active policy is unchanged.",
                           errors: paths.map { FieldError(pointer: pointer($0), detail: reason) })
        case let .unknownPolicy(name):
            return Problem(.routeNotFound, detail: "There is no policy '\(name.prefix(64))'.")
        }
    }

    /// `exposure.targets.Female` → `#/exposure/targets/Female`; `rules[0].slot` → `#/rules/0/slot`.
    static func pointer(_ path: String) -> String {
        var parts: [String] = []
        for piece in path.split(separator: ".") {
            var rest = Substring(piece)
            if let open = rest.firstIndex(of: "[") {
                parts.append(String(rest[..<open]))
                rest = rest[open...]
                while let o = rest.firstIndex(of: "["), let c = rest.firstIndex(of: "]"), o < c {
                    parts.append(String(rest[rest.index(after: o)..<c]))
                    rest = rest[rest.index(after: c)...]
                }
            } else {
                parts.append(String(rest))
            }
        }
        return FieldError.jsonPointer(parts.filter { !$0.isEmpty })
    }
}

extension QueryReader {
    /// A boolean parameter (`true`/`false`, `1`/`0`, `yes`/`no`) with a default.
    mutating func bool(_ name: String, default value: Bool) -> Bool {
        guard let raw = string(name, maxLength: 10) else { return value }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            fail(name, "must be true or false, got '\(raw)'")
            return value
        }
    }
}

/// `GET /v1/policies`.
struct PolicyListDTO: Encodable {
    var policies: [PolicySummary]
}

/// `GET /v1/policies/{name}` and the answer to `PUT`.
struct PolicyDocumentDTO: Encodable {
    var summary: PolicySummary
    var document: JSONValue

    enum CodingKeys: String, CodingKey { case name, version, builtIn = "built_in", note, summary, document }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary.name, forKey: .name)
        try c.encode(summary.version, forKey: .version)
        try c.encode(summary.builtIn, forKey: .builtIn)
        try c.encodeIfPresent(summary.note, forKey: .note)
        try c.encode(summary.summary, forKey: .summary)
        try c.encode(document, forKey: .document)
    }
}

/// `GET /v1/metrics/exposure`.
struct ExposureDTO: Encodable {
    struct Group: Encodable {
        var attribute: String
        var value: String
        var exposure: Double
        var share: Double
        var targetMin: Double?
        var targetMax: Double?
        var withinTarget: Bool?
        enum CodingKeys: String, CodingKey {
            case attribute, value, exposure, share
            case targetMin = "target_min"
            case targetMax = "target_max"
            case withinTarget = "within_target"
        }
    }
    var policy: String
    var requests: Int
    var totalExposure: Double
    var exposureGini: Double
    var coverage: Double
    var groups: [Group]

    enum CodingKeys: String, CodingKey {
        case policy, requests, coverage, groups
        case totalExposure = "total_exposure"
        case exposureGini = "exposure_gini"
    }

    init(_ r: ExposureReport, policy: String) {
        self.policy = policy
        requests = r.requests
        totalExposure = r.totalExposure
        exposureGini = r.exposureGini
        coverage = r.coverage
        // Per-maker groups are many; the report keeps the 20 most exposed makers and every other attribute whole.
        var makers = 0
        groups = r.groups.compactMap { g in
            if g.attribute == "maker" {
                makers += 1
                if makers > 20 { return nil }
            }
            return Group(attribute: g.attribute, value: g.value, exposure: g.exposure, share: g.share, targetMin: g.targetMin,
                         targetMax: g.targetMax, withinTarget: g.withinTarget)
        }
    }
}
