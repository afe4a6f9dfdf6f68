/// An item attribute that partitions the collection into groups for exposure control and rules.
///
/// Values are strings; an item may have several (a work by two makers of different genders belongs to both
/// gender groups, each with half its weight). An item with no value belongs to the ``unknownValue`` group,
/// which is reported like any other group and can be targeted explicitly.
public enum GroupAttribute: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Gender of the item's makers as the catalogue gives it (`Female`, `Male`).
    case makerGender
    /// Country of the makers' birth place.
    case makerCountry
    /// The maker's agent id (used for "at most N works by one maker").
    case maker
    /// Century of the item's date (`19`, or `-1` for the 1st century BCE).
    case century
    /// Art movement concept id.
    case movement
    /// Classification or department.
    case classification
    /// Decade in which the institution acquired the item (`1920`).
    case acquisitionDecade
    /// Whether the item's record/image is openly licensed (`open`, `restricted`).
    case licence
    /// A custom attribute supplied by the institution when the catalogue is built.
    case custom(String)

    /// The value used for items without the attribute.
    public static let unknownValue = "unknown"

    /// Parses the snake_case name used in policy files (`maker_gender`, `custom:department`).
    public init?(name: String) {
        switch name {
        case "maker_gender": self = .makerGender
        case "maker_country": self = .makerCountry
        case "maker": self = .maker
        case "century": self = .century
        case "movement": self = .movement
        case "classification": self = .classification
        case "acquisition_decade": self = .acquisitionDecade
        case "licence", "license": self = .licence
        default:
            guard name.hasPrefix("custom:"), name.count > 7 else { return nil }
            self = .custom(String(name.dropFirst(7)))
        }
    }

    /// The snake_case name used in policy files and metrics.
    public var name: String {
        switch self {
        case .makerGender: "maker_gender"
        case .makerCountry: "maker_country"
        case .maker: "maker"
        case .century: "century"
        case .movement: "movement"
        case .classification: "classification"
        case .acquisitionDecade: "acquisition_decade"
        case .licence: "licence"
        case let .custom(n): "custom:\(n)"
        }
    }

    public var description: String { name }

    /// Every built-in attribute name, for error messages.
    public static let builtInNames = ["maker_gender", "maker_country", "maker", "century", "movement",
                                      "classification", "acquisition_decade", "licence", "custom:<name>"]

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let a = GroupAttribute(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "unknown group attribute '\(name)'; known: \(Self.builtInNames.joined(separator: ", "))"))
        }
        self = a
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// A group: an attribute and one of its values (`maker_gender = Female`).
public struct GroupKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var attribute: GroupAttribute
    public var value: String
    public init(attribute: GroupAttribute, value: String) {
        self.attribute = attribute
        self.value = value
    }
    public var description: String { "\(attribute.name)=\(value)" }
}
