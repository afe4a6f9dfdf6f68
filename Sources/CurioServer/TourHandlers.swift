import CurioJSON
import CurioCore
import CurioDialogue
import CurioKit
import CurioVisits
import Foundation

/// The routes of visits and the conversational guide: tours, progress, next exhibit and conversations.
///
/// Registered from ``CurioAPI`` with one call; the services (venue cache, guide catalogue) live as long as the API.
enum VisitRoutes {
    static func register(in router: inout Router, curio: Curio, keys: APIKeyPolicy, logger: Logger) {
        let visits = VisitService(curio: curio)
        let tours = TourHandlers(visits: visits, keys: keys)
        let guide = ConversationHandlers(guide: GuideService(curio: curio, visits: visits), keys: keys, logger: logger)
        router.add(Route("GET", "/v1/tours", operationID: "planTour", handler: tours.plan))
        router.add(Route("GET", "/v1/tours/{id}", operationID: "getTour", handler: tours.get))
        router.add(Route("POST", "/v1/tours/{id}/progress", operationID: "postTourProgress", handler: tours.progress))
        router.add(Route("GET", "/v1/visitors/{id}/next", operationID: "getNextExhibits", handler: tours.next))
        router.add(Route("POST", "/v1/conversations", operationID: "createConversation", handler: guide.create))
        router.add(Route("GET", "/v1/conversations/{id}", operationID: "getConversation", handler: guide.get))
        router.add(Route("POST", "/v1/conversations/{id}/messages", operationID: "postConversationMessage", handler: guide.message))
    }

    /// Turns errors of the visit and guide services into problems. `parameters`: query parameters (400) rather than
    /// body fields (422) are at fault for bad parameters.
    static func problem(_ error: any Error, parameters: Bool) -> any Error {
        switch error {
        case let problem as Problem: return problem
        case let error as VisitError:
            switch error {
            case let .infeasible(reason):
                return Problem(.tourInfeasible, detail: "No tour is possible: \(reason)")
            case let .unknownRoom(id):
                return parameters
                    ? Problem(.invalidParameters, detail: "No room '\(id)' in the venue.", errors: [FieldError(parameter: "room", detail: "'\(id)' is not a room of the venue")])
                    : Problem(.validationFailed, detail: "No room '\(id)' in the venue.", errors: [FieldError.body(["room"], "'\(id)' is not a room of the venue")])
            case let .unknownItem(id):
                return Problem(.validationFailed, detail: "Item '\(id)' is not placed in the venue.",
                               errors: [FieldError.body(["visited"], "'\(id)' is not on display")])
            case let .badParameter(name, reason):
                return parameters
                    ? Problem(.invalidParameters, detail: "Query parameter '\(name)' \(reason).", errors: [FieldError(parameter: name, detail: reason)])
                    : Problem(.validationFailed, detail: "\(name): \(reason)", errors: [FieldError.body([name], reason)])
            case .badVenue, .invalidVenue, .badModel:
                return Problem(.internalError, detail: "\(error)")
            }
        case let error as CurioServiceError:
            switch error {
            case .noVenue: return Problem(.venueNotFound, detail: error.description)
            case .unknownTour: return Problem(.tourNotFound, detail: error.description)
            case .unknownVisitor: return Problem(.visitorNotFound, detail: error.description)
            case let .badInput(field, reason):
                return Problem(.validationFailed, detail: "\(field) \(reason).", errors: [FieldError.body([field], reason)])
            case .imageSearchUnavailable: return Problem(.imageSearchUnavailable, detail: error.description)
            case .unsupportedStore, .unplacedItems: return Problem(.internalError, detail: error.description)
            }
        case let error as DialogueError:
            switch error {
            case .unknownConversation, .badConversationID: return Problem(.conversationNotFound, detail: "\(error).")
            case .llmUnavailable, .llmUngrounded: return Problem(.internalError, detail: "\(error)")
            }
        default:
            return error
        }
    }
}

extension QueryReader {
    /// `true`/`false` (also `1`/`0`, `yes`/`no`); absent gives nil.
    mutating func bool(_ name: String) -> Bool? {
        guard let raw = string(name, maxLength: 10)?.lowercased() else { return nil }
        switch raw {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            fail(name, "must be true or false, got '\(raw)'")
            return nil
        }
    }

    /// An RFC 3339 time (`2025-06-03T11:00:00+01:00`); absent gives nil.
    mutating func time(_ name: String) -> Date? {
        guard let raw = string(name, maxLength: 40) else { return nil }
        guard let date = EventPayload.parseTimestamp(raw) else {
            fail(name, "must be an RFC 3339 time such as 2025-06-03T11:00:00Z, got '\(raw)'")
            return nil
        }
        return date
    }

    /// One of a closed set of values; absent gives nil.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let raw = string(name, maxLength: 40) else { return nil }
        guard let value = T(rawValue: raw.lowercased()) else {
            fail(name, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
            return nil
        }
        return value
    }
}

/// `GET /v1/tours`, `GET /v1/tours/{id}`, `POST /v1/tours/{id}/progress`, `GET /v1/visitors/{id}/next`.
struct TourHandlers: Sendable {
    let visits: VisitService
    let keys: APIKeyPolicy

    static let planParameters = ["minutes", "visitor", "interests", "start", "end", "step_free", "start_time", "group",
                                 "chronological", "max_stops", "language", "venue"]

    func plan(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query, allowed: Self.planParameters)
        let minutes = reader.int("minutes", range: 1...1440)
        if request.query["minutes"] == nil { reader.fail("minutes", "is required (the time budget in minutes, 1 to 1440)") }
        let visitor = reader.string("visitor")
        let interests = reader.string("interests", maxLength: 500)
        let start = reader.string("start"), end = reader.string("end")
        let stepFree = reader.bool("step_free") ?? false
        let startTime = reader.time("start_time")
        let group = reader.choice("group", GroupType.self) ?? .adult
        let chronological = reader.bool("chronological") ?? false
        let maxStops = reader.int("max_stops", range: 1...200)
        let language = reader.string("language", maxLength: 20)
        let venueID = reader.string("venue")
        if visitor != nil, interests != nil { reader.fail("interests", "give either visitor or interests, not both") }
        // Rooms are checked against the venue so that a typo is reported as the parameter it came from.
        if start != nil || end != nil, let venue = try? visits.venue(id: venueID) {
            for (name, room) in [("start", start), ("end", end)] {
                if let room, venue.room(room) == nil {
                    reader.fail(name, "'\(room)' is not a room of venue '\(venue.id)'" + Self.suggestion(room, venue))
                }
            }
        }
        try reader.finish()
        guard let minutes else { throw Problem(.invalidParameters) }
        let query = TourQuery(minutes: minutes, visitor: visitor.map { VisitorID($0) }, interests: interests, start: start, end: end,
                              startTime: startTime, stepFree: stepFree, group: group, chronological: chronological,
                              maxStops: maxStops, language: language, venue: venueID)
        do {
            let tour = try visits.planTour(query)
            return try respond(tour, status: .ok)
        } catch {
            throw VisitRoutes.problem(error, parameters: true)
        }
    }

    func get(_ request: HTTPRequest) throws -> HTTPResponse {
        try QueryReader(request.query, allowed: []).finish()
        do {
            return try respond(try visits.tour(id: request.pathParameters["id"] ?? ""), status: .ok)
        } catch {
            throw VisitRoutes.problem(error, parameters: true)
        }
    }

    func progress(_ request: HTTPRequest) throws -> HTTPResponse {
        try keys.authorize(request)
        try QueryReader(request.query, allowed: []).finish()
        let id = request.pathParameters["id"] ?? ""
        let (updates, now) = try TourProgressPayload.decode(request)
        do {
            let tour = try visits.progress(tour: id, updates: updates, now: now)
            return try respond(tour, status: .ok)
        } catch {
            throw VisitRoutes.problem(error, parameters: false)
        }
    }

    func next(_ request: HTTPRequest) throws -> HTTPResponse {
        var reader = QueryReader(request.query, allowed: ["room", "k", "step_free", "minutes_left", "group"])
        let room = reader.string("room")
        let k = reader.int("k", default: 10, range: 1...100)
        let stepFree = reader.bool("step_free") ?? false
        let minutesLeft = reader.int("minutes_left", range: 1...1440)
        let group = reader.choice("group", GroupType.self) ?? .adult
        if let room, let venue = try? visits.venue(), venue.room(room) == nil {
            reader.fail("room", "'\(room)' is not a room of venue '\(venue.id)'" + Self.suggestion(room, venue))
        }
        try reader.finish()
        let visitor = VisitorID(request.pathParameters["id"] ?? "")
        do {
            let venue = try visits.venue()
            let result = try visits.next(visitor: visitor, room: room, k: k, stepFree: stepFree, minutesLeft: minutesLeft,
                                         group: group)
            let items = try visits.curio.store.items(ids: result.suggestions.ranked.map(\.item))
            return HTTPResponse.json(try APIJSON.encoder.encode(NextExhibitDTO(visitor: visitor, result: result, items: items,
                                                                               venue: venue)))
        } catch {
            throw VisitRoutes.problem(error, parameters: true)
        }
    }

    private func respond(_ tour: Tour, status: HTTPStatus) throws -> HTTPResponse {
        let items = try visits.curio.store.items(ids: tour.stops.map(\.item))
        var response = HTTPResponse.json(try APIJSON.encoder.encode(TourDTO(tour, items: items)), status: status)
        response.headers.append(("Location", "/v1/tours/\(tour.id)"))
        return response
    }

    /// ` (did you mean 'turner'?)` when a room id or name is close.
    static func suggestion(_ room: String, _ venue: Venue) -> String {
        let lowered = room.lowercased()
        if let byName = venue.rooms.first(where: { $0.name.lowercased() == lowered }) { return " (did you mean '\(byName.id)'?)" }
        let close = venue.rooms.map(\.id).filter { $0.lowercased().hasPrefix(lowered) || lowered.hasPrefix($0.lowercased()) }
        return close.first.map { " (did you mean '\($0)'?)" } ?? ""
    }
}

/// The body of `POST /v1/tours/{id}/progress`:
/// `{"visited": ["N01234"], "skipped": ["T00999"], "lingered_seconds": 120, "room": "turner", "at": "2025-06-03T11:20:00Z"}`,
/// every field optional (at least one needed). Applied in this order: skipped, visited, lingered, moved to room, and
/// `at` as the current time.
enum TourProgressPayload {
    static let fields = ["visited", "skipped", "lingered_seconds", "room", "at"]

    static func decode(_ request: HTTPRequest) throws(Problem) -> ([TourProgress], Date?) {
        let object = try JSONBody.object(request, fields: fields, example: #"{"visited": ["N01234"], "room": "r3"}"#)
        var errors: [FieldError] = []
        func ids(_ key: String) -> [ItemID] {
            switch object[key] {
            case nil, .null?: return []
            case let .string(s)?: return [ItemID(s)]
            case let .array(values)?:
                var out: [ItemID] = []
                for (i, v) in values.enumerated() {
                    if case let .string(s) = v, !s.isEmpty, s.count <= 200 { out.append(ItemID(s)) } else {
                        errors.append(.body([key, i], "must be an item id (a non-empty string), got \(v.typeDescription)"))
                    }
                }
                return out
            case let other?:
                errors.append(.body([key], "must be an item id or an array of item ids, got \(other.typeDescription)"))
                return []
            }
        }
        var updates: [TourProgress] = ids("skipped").map { .skipped(item: $0) }
        updates += ids("visited").map { .visited(item: $0, at: nil) }
        switch object["lingered_seconds"] {
        case nil, .null?: break
        case let .number(n)? where n.isFinite && n >= 0 && n <= 86_400: if n > 0 { updates.append(.lingered(seconds: n)) }
        case let other?: errors.append(.body(["lingered_seconds"], "must be a number of seconds from 0 to 86400, got \(other.typeDescription == "a number" ? "\(other)" : other.typeDescription)"))
        }
        switch object["room"] {
        case nil, .null?: break
        case let .string(r)? where !r.isEmpty && r.count <= 200: updates.append(.movedTo(room: r, at: nil))
        case let other?: errors.append(.body(["room"], "must be a room id, got \(other.typeDescription)"))
        }
        var now: Date?
        switch object["at"] {
        case nil, .null?: break
        case let .string(s)?:
            if let d = EventPayload.parseTimestamp(s) { now = d } else {
                errors.append(.body(["at"], "must be an RFC 3339 time such as 2025-06-03T11:20:00Z"))
            }
        case let .number(n)? where n.isFinite: now = Date(timeIntervalSince1970: n)
        case let other?: errors.append(.body(["at"], "must be an RFC 3339 time, got \(other.typeDescription)"))
        }
        if !errors.isEmpty {
            throw Problem(.validationFailed, detail: "\(errors.count) field\(errors.count == 1 ? " is" : "s are") invalid; the tour was not changed.",
                          errors: errors)
        }
        if updates.isEmpty, now == nil {
            throw Problem(.validationFailed, detail: "Say what happened: visited, skipped, lingered_seconds, room or at.",
                          errors: [.body([], "has none of \(fields.joined(separator: ", "))")])
        }
        if let now { updates.append(.now(now)) }
        return (updates, now)
    }
}

/// Reading a JSON object body with a fixed set of fields.
enum JSONBody {
    /// - Throws: 415 without a JSON content type, 400 for malformed JSON, 422 for a non-object or unknown fields.
    static func object(_ request: HTTPRequest, fields: [String], example: String, allowEmpty: Bool = false) throws(Problem) -> [String: JSONValue] {
        if request.body.isEmpty, allowEmpty { return [:] }
        guard let type = request.mediaType, type == "application/json" || type.hasSuffix("+json") else {
            throw Problem(.unsupportedMediaType, detail: "Send the body as JSON with Content-Type: application/json.",
                          errors: [FieldError(header: "Content-Type", detail: "must be application/json")])
        }
        if request.body.isEmpty { throw Problem(.malformedJSON, detail: "The request body is empty; send a JSON object such as \(example).") }
        let document: JSONValue
        do {
            document = try JSONValue.parse(request.body)
        } catch {
            throw Problem(.malformedJSON, detail: "The body is not valid JSON: \(error.message)")
        }
        guard case let .object(object) = document else {
            throw Problem(.validationFailed, detail: "Send a JSON object such as \(example).",
                          errors: [.body([], "must be an object, got \(document.typeDescription)")])
        }
        let unknown = object.keys.filter { !fields.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw Problem(.validationFailed, detail: "Unknown field '\(unknown[0])'; allowed: \(fields.joined(separator: ", ")).",
                          errors: unknown.map { .body([$0], "is not a known field; allowed: \(fields.joined(separator: ", "))") })
        }
        return object
    }
}
