import CurioCore

/// What kind of evidence connects a recommended item to the visitor.
public enum EvidenceKind: String, CaseIterable, Codable, Sendable, Hashable, Comparable {
    /// Made by the same artist as an item the visitor liked.
    case sharedMaker = "shared_maker"
    /// Made after (or in the manner of) the same artist.
    case relatedMaker = "related_maker"
    /// Depicts the same subject term.
    case sharedSubject = "shared_subject"
    /// Depicts a subject under the same broader concept.
    case broaderSubject = "broader_subject"
    /// Belongs to the same movement, directly or through its makers.
    case sameMovement = "same_movement"
    /// From the same decade or century.
    case samePeriod = "same_period"
    /// By an artist born, active or dead in the same place or country.
    case samePlace = "same_place"
    /// Uses the same medium or support.
    case sharedMaterial = "shared_material"
    /// Has the same classification.
    case sharedClassification = "shared_classification"
    /// Looks alike; ``Evidence/details`` carries the palette evidence (e.g. hex colours).
    case visualSimilarity = "visual_similarity"
    /// Is described alike; ``Evidence/details`` carries the matching terms.
    case textSimilarity = "text_similarity"
    /// Visitors who liked the visitor's item also liked this one.
    case coVisitation = "co_visitation"
    /// A curator promoted the item.
    case curatorBoost = "curator_boost"
    /// Close to the visitor's item in the knowledge-graph embedding space.
    case graphProximity = "graph_proximity"
    /// Many visitors engaged with it (the reason for visitors with no history, and for the popularity part of a
    /// model's score when nothing the visitor did explains the item).
    case popularity = "popularity"

    public static func < (a: EvidenceKind, b: EvidenceKind) -> Bool {
        a.order < b.order
    }

    /// Position in declaration order (what ``allCases`` lists), without building the array for each comparison.
    var order: Int {
        switch self {
        case .sharedMaker: 0
        case .relatedMaker: 1
        case .sharedSubject: 2
        case .broaderSubject: 3
        case .sameMovement: 4
        case .samePeriod: 5
        case .samePlace: 6
        case .sharedMaterial: 7
        case .sharedClassification: 8
        case .visualSimilarity: 9
        case .textSimilarity: 10
        case .coVisitation: 11
        case .curatorBoost: 12
        case .graphProximity: 13
        case .popularity: 14
        }
    }
}

/// A node that evidence passes through (the shared maker, subject, decade…), as a reference and a label.
public struct EvidenceNode: Hashable, Codable, Sendable {
    /// `kind:key` reference, resolvable with ``KnowledgeGraph/resolve(_:)`` (empty for nodes outside the graph).
    public var reference: String
    /// Display label (`Joseph Mallord William Turner`, `1840s`).
    public var label: String
    /// A node reference with its display label.
    public init(reference: String, label: String) {
        self.reference = reference
        self.label = label
    }
}

/// One piece of evidence behind a recommendation: what connects the item to the visitor, through which of the
/// visitor's own items, and how much it contributed to the score.
///
/// Recommenders that can decompose their score into additive parts report one ``Evidence`` per part; the
/// ``Explainer`` groups equal parts and renders them with ``ExplanationTemplates``.
public struct Evidence: Hashable, Codable, Sendable {
    /// What kind of evidence it is.
    public var kind: EvidenceKind
    /// The visitor's own item this evidence connects to (nil for evidence such as a curator boost).
    public var likedItem: ItemID?
    /// Title of ``likedItem`` (filled in by the explainer when the scorer does not know it).
    public var likedTitle: String?
    /// The node the connection passes through (maker, subject, decade…), when there is one.
    public var via: EvidenceNode?
    /// Extra evidence passed in from outside: palette colours, matching terms.
    public var details: [String]
    /// This evidence's additive contribution to the item's score.
    public var weight: Double

    /// A piece of evidence; `weight` is its additive contribution to the score.
    public init(kind: EvidenceKind, likedItem: ItemID? = nil, likedTitle: String? = nil, via: EvidenceNode? = nil,
                details: [String] = [], weight: Double) {
        self.kind = kind
        self.likedItem = likedItem
        self.likedTitle = likedTitle
        self.via = via
        self.details = details
        self.weight = weight
    }

    /// Evidence that is the same claim (kind, liked item, via node), whatever its weight.
    public struct Key: Hashable, Sendable {
        /// The kind of evidence.
        public var kind: EvidenceKind
        /// The liked item the claim is about.
        public var likedItem: ItemID?
        /// Reference of the via node.
        public var via: String?
    }

    /// The claim this evidence makes, used to group contributions.
    public var key: Key { Key(kind: kind, likedItem: likedItem, via: via?.reference) }
}

/// The `because` list of one recommendation plus a sentence for people.
public struct Explanation: Hashable, Codable, Sendable {
    /// Strongest evidence first.
    public var because: [Evidence]
    /// A short sentence, e.g. "Because you liked *Norham Castle, Sunrise*: also by Joseph Mallord William Turner, from the 1840s".
    public var sentence: String
    /// BCP 47 tag of ``sentence``.
    public var language: String
    /// An explanation from its evidence list and sentence.
    public init(because: [Evidence], sentence: String, language: String) {
        self.because = because
        self.sentence = sentence
        self.language = language
    }
}
