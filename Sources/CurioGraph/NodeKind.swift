/// The kinds of node in Curio's knowledge graph.
///
/// Every node has exactly one kind; its key is unique within the kind (an item's accession number,
/// an agent's id, a concept id, a place's full name, a decade's first year, a normalised material term).
public enum NodeKind: UInt8, CaseIterable, Codable, Sendable, CustomStringConvertible, Comparable {
    /// An object in the collection (``CurioCore/Item``).
    case item
    /// A maker: person, group or organisation (``CurioCore/Agent``).
    case agent
    /// A subject term (Tate's three-level subject hierarchy, Iconclass, AAT…).
    case subject
    /// An art movement (`Pre-Raphaelite Brotherhood`).
    case movement
    /// A named era movements fall within (`19th century`).
    case era
    /// A place: birth, death or activity place of an agent, or the country such a place lies in.
    case place
    /// A decade, derived from an item's parsed date (`1840s`).
    case decade
    /// A century, derived from an item's parsed date (`19th century`).
    case century
    /// A material, technique or support read from the medium text (`oil paint`, `canvas`).
    case material
    /// A classification or department (`painting`, `on paper, unique`).
    case classification

    /// Lower-case name used in IRIs, CLI output and `kind:key` node references.
    public var name: String {
        switch self {
        case .item: "item"
        case .agent: "agent"
        case .subject: "subject"
        case .movement: "movement"
        case .era: "era"
        case .place: "place"
        case .decade: "decade"
        case .century: "century"
        case .material: "material"
        case .classification: "classification"
        }
    }

    /// The kind whose ``name`` is `name`, if any.
    public init?(name: String) {
        guard let kind = NodeKind.byName[name] else { return nil }
        self = kind
    }

    private static let byName: [String: NodeKind] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    public var description: String { name }

    public static func < (lhs: NodeKind, rhs: NodeKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A node of a ``KnowledgeGraph``: a dense index valid for that graph only.
public struct NodeIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Position of the node in the graph's node arrays.
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = Int32(rawValue) }
    /// The index as an `Int`, for array subscripts.
    public var int: Int { Int(rawValue) }
    public var description: String { "#\(rawValue)" }
    public static func < (lhs: NodeIndex, rhs: NodeIndex) -> Bool { lhs.rawValue < rhs.rawValue }
}
