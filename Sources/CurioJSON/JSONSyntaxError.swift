/// Why a text is not JSON, and where.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the text breaks the grammar, or is not UTF-8 at all (a Latin-1 or UTF-16 file, say).
    public enum Kind: Sendable, Equatable {
        case syntax
        case encoding
    }

    public var kind: Kind
    /// 0-based byte offset of the problem in the parsed text.
    public var offset: Int
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column (in characters) of the problem within its line.
    public var column: Int
    /// What is wrong, in words (`expected ',' or '}' in an object`).
    public var reason: String

    public init(kind: Kind, offset: Int, line: Int, column: Int, reason: String) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 3, column 14: expected ':' after a member name`.
    public var description: String { "line \(line), column \(column): \(reason)" }
}
