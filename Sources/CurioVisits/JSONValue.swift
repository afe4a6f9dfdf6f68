import Foundation

/// A parsed JSON document that keeps booleans, numbers and null apart, so that venue validation can say
/// exactly which field has the wrong type. Decoded with Foundation's `JSONDecoder`.
enum JSONValue: Decodable, Sendable, Equatable {
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// A short name of the JSON type, for messages (`a string`, `an array`).
    var kindName: String {
        switch self {
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        case .null: "null"
        }
    }

    /// Serialises back to the Foundation objects `JSONSerialization` writes.
    var foundationObject: Any {
        switch self {
        case let .bool(b): b
        case let .number(n): n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case let .string(s): s
        case let .array(a): a.map(\.foundationObject)
        case let .object(o): o.mapValues(\.foundationObject)
        case .null: NSNull()
        }
    }
}
