/// The typed edges of Curio's knowledge graph.
///
/// Each relation has a fixed direction (``domain`` → ``range``), one RDF predicate used on export
/// (schema.org, CIDOC-CRM as used by Linked Art, SKOS, or Curio's own namespace where nothing fits), and
/// a default provenance: the source field that produces it.
public enum Relation: UInt8, CaseIterable, Codable, Sendable, CustomStringConvertible, Comparable {
    /// item → agent, from `Item.makers` with a primary role (`artist`, `attributed to`, `studio of`…).
    case maker
    /// item → agent, from `Item.makers` with a derivative role (`after`, `manner of`, `follower of`…).
    case relatedMaker
    /// item → subject, from `Item.subjects`.
    case about
    /// item → movement, from `Item.movements`.
    case movement
    /// item → decade, from `Item.date` (midpoint decade of a range spanning at most 20 years).
    case decade
    /// item → century, from `Item.date` (midpoint century of a range spanning at most 100 years).
    case century
    /// item → material, from `Item.medium` (the media before "on").
    case medium
    /// item → material, from `Item.medium` (the support after "on").
    case support
    /// item → classification, from `Item.classification`.
    case classification
    /// agent → movement, from `Agent.movements`.
    case agentMovement
    /// agent → place, from `Agent.birthPlace`.
    case birthPlace
    /// agent → place, from `Agent.deathPlace`.
    case deathPlace
    /// agent → place, from `Agent.activePlaces`.
    case activePlace
    /// place → place (its country), from `Place.country`.
    case containedIn
    /// concept → broader concept (subject hierarchy, material/classification hierarchies) and decade → century.
    case broader
    /// movement → era, from the movement's `Concept.broader` when it names an era.
    case era

    /// Name used in CLI output, JSON and documentation (`maker`, `birth_place`).
    public var name: String {
        switch self {
        case .maker: "maker"
        case .relatedMaker: "related_maker"
        case .about: "about"
        case .movement: "movement"
        case .decade: "decade"
        case .century: "century"
        case .medium: "medium"
        case .support: "support"
        case .classification: "classification"
        case .agentMovement: "agent_movement"
        case .birthPlace: "birth_place"
        case .deathPlace: "death_place"
        case .activePlace: "active_place"
        case .containedIn: "contained_in"
        case .broader: "broader"
        case .era: "era"
        }
    }

    /// The relation whose ``name`` is `name`, if any.
    public init?(name: String) {
        guard let r = Relation.byName[name] else { return nil }
        self = r
    }

    private static let byName: [String: Relation] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// Name of the inverse direction, for neighbour listings (`made`, `narrower`).
    public var inverseName: String {
        switch self {
        case .maker: "made"
        case .relatedMaker: "inspired"
        case .about: "depicted_in"
        case .movement: "movement_of"
        case .decade: "decade_of"
        case .century: "century_of"
        case .medium: "medium_of"
        case .support: "support_of"
        case .classification: "classification_of"
        case .agentMovement: "member"
        case .birthPlace: "birth_place_of"
        case .deathPlace: "death_place_of"
        case .activePlace: "active_place_of"
        case .containedIn: "contains"
        case .broader: "narrower"
        case .era: "era_of"
        }
    }

    /// Node kinds the relation may start from.
    public var domain: Set<NodeKind> {
        switch self {
        case .maker, .relatedMaker, .about, .movement, .decade, .century, .medium, .support, .classification: [.item]
        case .agentMovement, .birthPlace, .deathPlace, .activePlace: [.agent]
        case .containedIn: [.place]
        case .broader: [.subject, .movement, .material, .classification, .era, .decade]
        case .era: [.movement]
        }
    }

    /// Node kinds the relation may point to.
    public var range: Set<NodeKind> {
        switch self {
        case .maker, .relatedMaker: [.agent]
        case .about: [.subject]
        case .movement, .agentMovement: [.movement]
        case .decade: [.decade]
        case .century: [.century]
        case .medium, .support: [.material]
        case .classification: [.classification]
        case .birthPlace, .deathPlace, .activePlace, .containedIn: [.place]
        case .broader: [.subject, .movement, .material, .classification, .era, .century]
        case .era: [.era]
        }
    }

    /// The source field that produces the relation unless an edge records another one.
    public var defaultProvenance: String {
        switch self {
        case .maker: "Item.makers[role=artist]"
        case .relatedMaker: "Item.makers[role=after]"
        case .about: "Item.subjects"
        case .movement: "Item.movements"
        case .decade: "Item.date"
        case .century: "Item.date"
        case .medium: "Item.medium"
        case .support: "Item.medium"
        case .classification: "Item.classification"
        case .agentMovement: "Agent.movements"
        case .birthPlace: "Agent.birthPlace"
        case .deathPlace: "Agent.deathPlace"
        case .activePlace: "Agent.activePlaces"
        case .containedIn: "Place.country"
        case .broader: "Concept.broader"
        case .era: "Concept.broader"
        }
    }

    public var description: String { name }

    public static func < (lhs: Relation, rhs: Relation) -> Bool { lhs.rawValue < rhs.rawValue }
}
