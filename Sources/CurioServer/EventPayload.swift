import CurioJSON
import CurioCore
import Foundation

/// Reads the body of `POST /v1/events` — a JSON array of events or `{"events": [...]}` — into ``Event`` values,
/// collecting a ``FieldError`` with a JSON Pointer for every wrong field of every event.
///
/// Event fields: `visitor` (string, required), `item` (string, required), `kind` (required: view, like, rate,
/// scan, dwell, share, skip, dislike, beacon-enter, beacon-leave), `value` (number; required for rate and dwell),
/// `timestamp` (RFC 3339 string such as `2024-05-01T10:15:00Z`, or seconds since 1970; defaults to the time
/// the server received the request), `session`, `room`, `device` (strings). Other fields are refused so that
/// typos do not silently lose data.
enum EventPayload {
    static let fields = ["visitor", "item", "kind", "value", "timestamp", "session", "room", "device"]
    /// Events accepted in one request.
    static let maximumEvents = 10_000
    /// Longest accepted identifier or text field.
    static let maximumTextLength = 200
    /// Errors listed in one problem at most.
    static let maximumErrors = 100

    /// - Returns: the events and the JSON Pointer prefix used for them (`#` or `#/events`).
    /// - Throws: a 400 ``Problem`` for malformed JSON, a 422 ``Problem`` listing every invalid field.
    static func decode(_ body: Data, receivedAt now: Date) throws(Problem) -> (events: [Event], pointerBase: [String]) {
        if body.isEmpty { throw Problem(.malformedJSON, detail: "The request body is empty; send a JSON array of events.") }
        let document: JSONValue
        do {
            document = try JSONValue.parse(body)
        } catch {
            throw Problem(.malformedJSON, detail: "The body is not valid JSON: \(error.message)")
        }
        let list: [JSONValue]
        let base: [String]
        switch document {
        case let .array(values):
            list = values
            base = []
        case let .object(object):
            guard let events = object["events"] else {
                throw Problem(.validationFailed, detail: "Send a JSON array of events, or an object with an 'events' array.",
                              errors: [FieldError.body(["events"], "is required")])
            }
            let extra = object.keys.filter { $0 != "events" }.sorted()
            if !extra.isEmpty {
                throw Problem(.validationFailed, detail: "Unknown top-level field '\(extra[0])'.",
                              errors: extra.map { FieldError.body([$0], "is not a known field; only 'events' is allowed") })
            }
            guard case let .array(values) = events else {
                throw Problem(.validationFailed, detail: "'events' must be an array.",
                              errors: [FieldError.body(["events"], "must be an array, got \(events.typeDescription)")])
            }
            list = values
            base = ["events"]
        default:
            throw Problem(.validationFailed, detail: "Send a JSON array of events, or an object with an 'events' array.",
                          errors: [FieldError.body([], "must be an array or an object, got \(document.typeDescription)")])
        }
        if list.isEmpty {
            throw Problem(.validationFailed, detail: "The batch has no events.", errors: [FieldError.body(base, "is empty")])
        }
        if list.count > maximumEvents {
            throw Problem(.validationFailed, detail: "At most \(maximumEvents) events per request; got \(list.count). Split the batch.",
                          errors: [FieldError.body(base, "has \(list.count) events; the limit is \(maximumEvents)")])
        }
        var events: [Event] = []
        events.reserveCapacity(list.count)
        var errors: [FieldError] = []
        var badEvents = 0
        for (index, value) in list.enumerated() {
            let path: [any CustomStringConvertible] = base + [index]
            let errorsBefore = errors.count
            if let event = decodeEvent(value, path: path, now: now, errors: &errors) {
                // Domain rules (ratings 1…5, dwell within a day, not in the future), shared with the CLI importer.
                if let problem = event.validationProblem(now: now) {
                    errors.append(FieldError.body(path + [problem.field], problem.message))
                } else {
                    events.append(event)
                }
            }
            if errors.count > errorsBefore { badEvents += 1 }
        }
        if !errors.isEmpty {
            let shown = Array(errors.prefix(maximumErrors))
            var detail = "\(badEvents) of \(list.count) events are invalid; nothing was stored."
            if errors.count > shown.count { detail += " The first \(shown.count) of \(errors.count) problems are listed." }
            throw Problem(.validationFailed, detail: detail, errors: shown)
        }
        return (events, base)
    }

    private static func decodeEvent(_ value: JSONValue, path: [any CustomStringConvertible], now: Date,
                                    errors: inout [FieldError]) -> Event? {
        guard case let .object(object) = value else {
            errors.append(FieldError.body(path, "must be an object, got \(value.typeDescription)"))
            return nil
        }
        let before = errors.count
        for key in object.keys.sorted() where !fields.contains(key) {
            errors.append(FieldError.body(path + [key], "is not a known field; allowed: \(fields.joined(separator: ", "))"))
        }
        func text(_ key: String, required: Bool) -> String? {
            switch object[key] {
            case nil, .null?:
                if required { errors.append(FieldError.body(path + [key], "is required")) }
                return nil
            case let .string(s)?:
                if s.count > maximumTextLength {
                    errors.append(FieldError.body(path + [key], "is longer than \(maximumTextLength) characters"))
                    return nil
                }
                if required, s.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(FieldError.body(path + [key], "is empty"))
                    return nil
                }
                return s
            case let other?:
                errors.append(FieldError.body(path + [key], "must be a string, got \(other.typeDescription)"))
                return nil
            }
        }
        let visitor = text("visitor", required: true)
        let item = text("item", required: true)
        let kindText = text("kind", required: true)
        var kind: EventKind?
        if let kindText {
            kind = EventKind(rawValue: kindText.lowercased())
            if kind == nil {
                errors.append(FieldError.body(path + ["kind"], "'\(kindText.prefix(40))' is not an event kind; use one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        var number: Double?
        switch object["value"] {
        case nil, .null?: break
        case let .number(n)?: number = n
        case let other?: errors.append(FieldError.body(path + ["value"], "must be a number, got \(other.typeDescription)"))
        }
        var timestamp = now
        switch object["timestamp"] {
        case nil, .null?: break
        case let .string(s)?:
            if let date = parseTimestamp(s) { timestamp = date } else {
                errors.append(FieldError.body(path + ["timestamp"], "'\(s.prefix(40))' is not an RFC 3339 date-time such as 2024-05-01T10:15:00Z"))
            }
        case let .number(n)?:
            if n.isFinite, n >= 0, n < 10_000_000_000 { timestamp = Date(timeIntervalSince1970: n) } else {
                errors.append(FieldError.body(path + ["timestamp"], "\(n) is not a plausible number of seconds since 1970"))
            }
        case let other?:
            errors.append(FieldError.body(path + ["timestamp"], "must be an RFC 3339 string or seconds since 1970, got \(other.typeDescription)"))
        }
        let session = text("session", required: false)
        let room = text("room", required: false)
        let device = text("device", required: false)
        guard errors.count == before, let visitor, let item, let kind else { return nil }
        return Event(visitor: VisitorID(visitor), item: ItemID(item), kind: kind, value: number, timestamp: timestamp,
                     session: session, room: room, device: device)
    }

    /// RFC 3339 / ISO 8601 internet date-time, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
