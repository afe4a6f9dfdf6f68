/// A type that can be read from a single command-line string (`--page 3`, `--format tate`).
protocol ExpressibleByArgument: ArgumentValue {
    /// Parses one command-line string; nil when it is not a valid value.
    init?(argument: String)
    /// What a valid value looks like, for error messages (`an integer`).
    static var expectation: String { get }
    /// The accepted values when the set is closed (enumerations), for help and error messages.
    static var allValueStrings: [String] { get }
}

extension ExpressibleByArgument {
    static var expectation: String { "a value" }
    static var allValueStrings: [String] { [] }
}

/// What an `@Option` or `@Argument` can hold: a single value, an optional value, or a list of values.
protocol ArgumentValue {
    /// Builds the value from every string given for the declaration (at least one).
    static func make(from strings: [String], name: String) throws -> Self
    /// The value when the user gave nothing; nil makes the declaration required.
    static var valueWhenAbsent: Self? { get }
    /// Whether the declaration collects every occurrence (`PATH...`).
    static var isRepeating: Bool { get }
    /// Closed set of accepted values, for help.
    static var choices: [String] { get }
}

extension ExpressibleByArgument {
    static func make(from strings: [String], name: String) throws -> Self {
        // The last occurrence wins, so that aliases and scripts can override earlier values.
        let text = strings.last ?? ""
        return try parseOne(text, name: name)
    }
    static var valueWhenAbsent: Self? { nil }
    static var isRepeating: Bool { false }
    static var choices: [String] { allValueStrings }

    static func parseOne(_ text: String, name: String) throws -> Self {
        if let value = Self(argument: text) { return value }
        if !allValueStrings.isEmpty {
            var message = "'\(text)' is not a valid value for \(name); choose one of: \(allValueStrings.joined(separator: ", "))"
            if let near = Suggestion.closest(to: text, among: allValueStrings) { message += " (did you mean '\(near)'?)" }
            throw CLIError.usage(message)
        }
        throw CLIError.usage("'\(text)' is not a valid value for \(name): expected \(expectation)")
    }
}

extension Optional: ArgumentValue where Wrapped: ExpressibleByArgument {
    static func make(from strings: [String], name: String) throws -> Self {
        try Wrapped.make(from: strings, name: name)
    }
    static var valueWhenAbsent: Self? { .some(.none) }
    static var isRepeating: Bool { false }
    static var choices: [String] { Wrapped.allValueStrings }
}

extension Array: ArgumentValue where Element: ExpressibleByArgument {
    static func make(from strings: [String], name: String) throws -> Self {
        try strings.map { try Element.parseOne($0, name: name) }
    }
    static var valueWhenAbsent: Self? { [] }
    static var isRepeating: Bool { true }
    static var choices: [String] { Element.allValueStrings }
}

extension String: ExpressibleByArgument {
    init?(argument: String) { self = argument }
    static var expectation: String { "text" }
}

extension Int: ExpressibleByArgument {
    init?(argument: String) { self.init(argument.trimmingWhitespace(), radix: 10) }
    static var expectation: String { "a whole number" }
}

extension Double: ExpressibleByArgument {
    init?(argument: String) {
        guard let value = Double(argument.trimmingWhitespace()), value.isFinite else { return nil }
        self = value
    }
    static var expectation: String { "a number" }
}

extension UInt16: ExpressibleByArgument {
    init?(argument: String) { self.init(argument.trimmingWhitespace(), radix: 10) }
    static var expectation: String { "a whole number from 0 to 65535" }
}

/// Enumerations with string raw values parse from their raw values and list them in help.
extension ExpressibleByArgument where Self: CaseIterable & RawRepresentable, RawValue == String {
    init?(argument: String) {
        guard let match = Self.allCases.first(where: { $0.rawValue == argument.lowercased() }) else { return nil }
        self = match
    }
    static var allValueStrings: [String] { allCases.map(\.rawValue) }
    static var expectation: String { "one of \(allValueStrings.joined(separator: ", "))" }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
