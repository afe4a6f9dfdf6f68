import CurioKit
import Foundation

/// Decoded query parameters (`?maker=Turner&page=2`), in the order given.
public struct QueryParameters: Sendable {
    /// Name and value; the value is nil for a bare name (`?flag`).
    public private(set) var pairs: [(name: String, value: String?)]

    /// Parameters in the order given.
    public init(_ pairs: [(name: String, value: String?)] = []) { self.pairs = pairs }

    /// Every value given for `name`.
    public func values(_ name: String) -> [String?] { pairs.filter { $0.name == name }.map(\.value) }

    /// The single value of `name` (the first when repeated).
    public subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value ?? nil }

    /// Appends a parameter (repeated names are kept).
    public mutating func append(_ name: String, _ value: String?) { pairs.append((name, value)) }
}

/// Reads and validates query parameters, collecting every problem instead of stopping at the first.
///
/// ```swift
/// var reader = QueryReader(request.query, allowed: ["q", "k"])
/// let q = reader.requiredString("q", maxLength: 500)
/// let k = reader.int("k", default: 10, range: 1...100)
/// try reader.finish()   // throws one 400 problem listing every bad parameter
/// ```
struct QueryReader {
    private let query: QueryParameters
    private let allowed: [String]
    private(set) var errors: [FieldError] = []

    init(_ query: QueryParameters, allowed: [String]) {
        self.query = query
        self.allowed = allowed
        var seen: Set<String> = []
        for (name, _) in query.pairs {
            if !allowed.contains(name) {
                guard seen.insert(name).inserted else { continue }
                var detail = "is not a parameter of this endpoint; allowed: \(allowed.joined(separator: ", "))"
                if allowed.isEmpty { detail = "is not a parameter of this endpoint, which takes none" }
                if let near = Self.closest(to: name, among: allowed) { detail += " (did you mean '\(near)'?)" }
                errors.append(FieldError(parameter: name, detail: detail))
            } else if !seen.insert(name).inserted {
                if !errors.contains(where: { $0.parameter == name }) {
                    errors.append(FieldError(parameter: name, detail: "is given more than once"))
                }
            }
        }
    }

    /// A text parameter; empty or absent gives nil.
    mutating func string(_ name: String, maxLength: Int = 200) -> String? {
        guard let raw = query[name] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { return nil }
        if value.count > maxLength {
            errors.append(FieldError(parameter: name, detail: "is longer than \(maxLength) characters"))
            return nil
        }
        return value
    }

    /// A text parameter that must be present and non-empty.
    mutating func requiredString(_ name: String, maxLength: Int = 200) -> String? {
        let value = string(name, maxLength: maxLength)
        if value == nil, !errors.contains(where: { $0.parameter == name }) {
            errors.append(FieldError(parameter: name, detail: "is required"))
        }
        return value
    }

    /// An integer parameter within `range`; absent or empty gives nil.
    mutating func int(_ name: String, range: ClosedRange<Int>) -> Int? {
        guard let raw = query[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let value = Int(raw) else {
            errors.append(FieldError(parameter: name, detail: "must be a whole number, got '\(raw.prefix(40))'"))
            return nil
        }
        guard range.contains(value) else {
            errors.append(FieldError(parameter: name, detail: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)"))
            return nil
        }
        return value
    }

    /// An integer parameter with a default.
    mutating func int(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
        int(name, range: range) ?? value
    }

    /// The visual filter of `colour`, `brightness` and `colourfulness` (each optional); a bad value is recorded
    /// against its parameter.
    mutating func visualFilter() -> VisualSearchFilter {
        var filter = VisualSearchFilter()
        for name in ["colour", "brightness", "colourfulness"] {
            guard let value = string(name, maxLength: 40) else { continue }
            do {
                let one = try VisualSearchFilter.parse(colour: name == "colour" ? value : nil,
                                                       brightness: name == "brightness" ? value : nil,
                                                       colourfulness: name == "colourfulness" ? value : nil)
                filter.colour = one.colour ?? filter.colour
                filter.brightness = one.brightness ?? filter.brightness
                filter.colourfulness = one.colourfulness ?? filter.colourfulness
            } catch let CurioServiceError.badInput(_, reason) {
                fail(name, reason)
            } catch {
                fail(name, "\(error)")
            }
        }
        return filter
    }

    /// Records a problem found by the caller (a combination of parameters).
    mutating func fail(_ name: String, _ detail: String) {
        errors.append(FieldError(parameter: name, detail: detail))
    }

    /// Throws a 400 problem listing every bad parameter, if any.
    func finish() throws(Problem) {
        guard !errors.isEmpty else { return }
        let names = errors.compactMap(\.parameter)
        let detail = names.count == 1 ? "Query parameter '\(names[0])' \(errors[0].detail)."
            : "\(names.count) query parameters are invalid: \(names.joined(separator: ", "))."
        throw Problem(.invalidParameters, detail: detail, errors: errors)
    }

    private static func closest(to word: String, among candidates: [String]) -> String? {
        let normalised = word.lowercased().replacingOccurrences(of: "-", with: "_")
        if let exact = candidates.first(where: { $0 == normalised || $0.replacingOccurrences(of: "_", with: "") == normalised }) {
            return exact
        }
        return candidates.first { editDistance($0, normalised) <= 2 }
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
