/// Any JSON value, as read by ``JSONParser`` or written as a Swift literal.
///
/// Every module that reads JSON field by field (catalogue importers, request bodies, venue and policy files) uses this
/// one type, so that a wrong type can be reported with the exact field and the same wording everywhere
/// (``typeDescription``). Numbers are `Double`s: integers up to 2^53 round-trip exactly (``integer``).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object (nil for other values or a missing key).
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// The element at `index` of an array (nil for other values or an index out of range).
    public subscript(index: Int) -> JSONValue? {
        if case let .array(a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The text of a string value.
    public var string: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// Any number.
    public var number: Double? {
        if case let .number(n) = self { return n }
        return nil
    }

    /// A number with no fractional part that fits exactly in an `Int` (2^53 at most).
    public var integer: Int? {
        if case let .number(n) = self, n.rounded() == n, abs(n) <= 9_007_199_254_740_992 { return Int(n) }
        return nil
    }

    /// A boolean value.
    public var bool: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The elements of an array.
    public var array: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    /// The members of an object.
    public var object: [String: JSONValue]? {
        if case let .object(o) = self { return o }
        return nil
    }

    /// Whether the value is `null`.
    public var isNull: Bool { self == .null }

    /// The JSON type with an article, for error messages: `a string`, `an array`, `null`.
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

    /// A number as catalogue text: integers without a fractional part (`11`, not `11.0`).
    public static func text(of number: Double) -> String {
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 { return String(Int64(number)) }
        return String(number)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    /// Later duplicate keys replace earlier ones, as when parsing.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
