import CurioJSON
import Foundation

extension JSONValue {
    /// Request bodies nested deeper than this are refused: no Curio request needs more, and hostile input cannot
    /// exhaust the stack.
    public static let maximumRequestDepth = 32

    /// Parses a request body with ``CurioJSON/JSONParser`` (strict RFC 8259, nesting limited to
    /// ``maximumRequestDepth``).
    /// - Throws: ``JSONParseError`` naming the line, column and problem.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        do {
            return try JSONParser.parse(data, maximumDepth: maximumRequestDepth)
        } catch {
            throw JSONParseError(message: error.description)
        }
    }
}

/// A body that is not well-formed JSON.
public struct JSONParseError: Error, Sendable {
    /// What is wrong and where (`line 1, column 9: expected ',' or '}' in an object, found '"'`).
    public var message: String
}
