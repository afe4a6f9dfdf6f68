import Foundation

/// Any JSON value, for reading request bodies field by field (so errors can point at the exact field)
/// and for writing documents such as the OpenAPI description.
public enum JSONValue: Sendable, Equatable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Literal conveniences, so documents can be written as Swift literals.
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        // Each failed attempt throws, which is slow: try the likeliest shapes of request bodies first.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([String: JSONValue].self) { self = .object(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else { self = .array(try container.decode([JSONValue].self)) }
    }

    /// Encodes the value; integral numbers are written without a fraction.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// The JSON type name for error messages (`a string`, `an array`).
    public var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Nesting deeper than this is refused before parsing, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 32

    /// Parses a request body. Rejects nesting deeper than ``maximumDepth`` and malformed JSON with a message
    /// naming the position.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        let depth = nestingDepth(of: data)
        if depth > maximumDepth { throw JSONParseError(message: "nesting is deeper than \(maximumDepth) levels") }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            // JSONDecoder does not say where the error is; JSONSerialization's message does ("around character 9").
            var message = "it is not well-formed"
            do {
                _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch let parseError {
                if let detail = (parseError as NSError).userInfo[NSDebugDescriptionErrorKey] as? String { message = detail }
            }
            throw JSONParseError(message: message)
        }
    }

    /// Maximum bracket nesting outside strings; linear scan, no allocation.
    static func nestingDepth(of data: Data) -> Int {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}

/// A body that is not well-formed JSON.
public struct JSONParseError: Error, Sendable {
    /// What is wrong and where, as far as the parser can tell.
    public var message: String
}
