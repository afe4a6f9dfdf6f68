import CurioCore
import CurioGraph
import CurioPolicy
import Foundation

/// What a caller asks for: whose list, how long, which policy and filters.
public struct RecommendationRequest: Sendable {
    /// The visitor (their stored events are folded in on every request).
    public var visitor: VisitorID
    /// Length of the list (1…100).
    public var k: Int
    /// Leave out objects the visitor already engaged with (skipped and disliked ones are always left out).
    public var excludeSeen: Bool
    /// The curator policy by name; nil uses `default`; `none` switches policies off.
    public var policy: String?
    /// Only works by this maker (agent id, or part of a maker's name).
    public var maker: String?
    /// Only works about this subject (concept id or label; narrower subjects match too).
    public var subject: String?
    /// A trained model by name instead of the serving model.
    public var model: String?
    /// Record the served list in the exposure ledger (false for previews and dry runs).
    public var recordExposure: Bool
    /// Reference time (campaign windows, event validation).
    public var now: Date

    public init(visitor: VisitorID, k: Int = 10, excludeSeen: Bool = true, policy: String? = nil, maker: String? = nil,
                subject: String? = nil, model: String? = nil, recordExposure: Bool = true, now: Date = Date()) {
        self.visitor = visitor
        self.k = k
        self.excludeSeen = excludeSeen
        self.policy = policy
        self.maker = maker
        self.subject = subject
        self.model = model
        self.recordExposure = recordExposure
        self.now = now
    }
}

/// How a list was produced.
public enum RecommendationStrategy: String, Sendable, Codable {
    /// The trained model, with the visitor's current events folded in.
    case model
    /// A visitor with at most one object: content similarity to it.
    case contentColdStart = "content_cold_start"
    /// A visitor with no usable events: the most visited objects.
    case popular
}

/// A recommended list, as returned by ``Curio/recommend(_:)``, `curio recommend` and the HTTP API.
public struct RecommendationList: Sendable, Codable, Equatable {
    public var visitor: String
    /// The model that scored the list (`hybrid`, or `content` / `popularity` for cold visitors).
    public var model: String
    /// The model's version, when a trained artefact was used.
    public var modelVersion: Int?
    public var strategy: RecommendationStrategy
    /// The policy applied (nil when none).
    public var policy: String?
    public var policyVersion: Int?
    /// Distinct objects in the visitor's history.
    public var historyItems: Int
    public var items: [RecommendedItem]

    enum CodingKeys: String, CodingKey {
        case visitor, model, strategy, policy, items
        case modelVersion = "model_version"
        case policyVersion = "policy_version"
        case historyItems = "history_items"
    }
}

/// One recommended object with its summary, score and the reasons for it.
public struct RecommendedItem: Sendable, Codable, Equatable {
    public var id: String
    /// Final score after the policy (normalised to about 0…1 when a policy ran; the model's score otherwise).
    public var score: Float
    /// The model's own score.
    public var modelScore: Float
    public var title: String
    public var makers: [String]
    public var date: String?
    /// Evidence, strongest first.
    public var because: [BecauseEvidence]
    /// One English sentence built from ``because`` and the policy's adjustments.
    public var explanation: String
    /// What the curator policy did to this item (pinned, boosted, fairness…).
    public var adjustments: [PolicyAdjustment]

    enum CodingKeys: String, CodingKey {
        case id, score, title, makers, date, because, explanation, adjustments
        case modelScore = "model_score"
    }
}

/// One piece of evidence: its type, the visitor's own object it connects to, what links them, and its weight.
public struct BecauseEvidence: Sendable, Codable, Equatable {
    /// `shared_maker`, `shared_subject`, `broader_subject`, `same_movement`, `same_period`, `same_place`,
    /// `shared_material`, `shared_classification`, `co_visitation`, `text_similarity`, `graph_proximity`,
    /// `curator_boost`…
    public var type: String
    /// The visitor's own object this evidence connects to (nil for curator evidence).
    public var item: String?
    public var itemTitle: String?
    /// The node the connection passes through (`agent:tate:artist:558`) and its label.
    public var via: String?
    public var viaLabel: String?
    public var details: [String]?
    /// Share of the model's score this evidence accounts for (0…1); for curator evidence, the boost factor or 0.
    public var weight: Double

    public init(type: String, item: String? = nil, itemTitle: String? = nil, via: String? = nil, viaLabel: String? = nil,
                details: [String]? = nil, weight: Double) {
        self.type = type
        self.item = item
        self.itemTitle = itemTitle
        self.via = via
        self.viaLabel = viaLabel
        self.details = details
        self.weight = weight
    }

    /// The evidence from the graph's explainer.
    init(_ e: Evidence) {
        self.init(type: e.kind.rawValue, item: e.likedItem?.rawValue, itemTitle: e.likedTitle, via: e.via?.reference,
                  viaLabel: e.via?.label, details: e.details.isEmpty ? nil : e.details, weight: e.weight)
    }

    enum CodingKeys: String, CodingKey {
        case type, item, via, details, weight
        case itemTitle = "item_title"
        case viaLabel = "via_label"
    }
}

/// A policy action on one item.
public struct PolicyAdjustment: Sendable, Codable, Equatable {
    /// `pinned`, `boosted`, `campaign`, `popularity_correction`, `diversity`, `calibration`, `fairness`, `maker_cap`.
    public var kind: String
    public var detail: String
    public init(kind: String, detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// Objects similar to one object, with explanations.
public struct SimilarList: Sendable, Codable, Equatable {
    public var item: String
    public var title: String
    /// What similarity was computed on: `text` (MiniLM embeddings of the records), `image` (EfficientNet-Lite0
    /// features), `fused` (text, projected image and knowledge-graph vectors) or `metadata` (makers, subjects,
    /// movements, period, medium, classification).
    public var modality: String
    public var items: [RecommendedItem]
    /// For `fused`: the modalities the object's own vector was built from (`text`, `image`, `graph`).
    public var modalities: [String]?
    /// For `fused`: the weight of each modality and whether they were learned from visits or are the defaults.
    public var fusion: FusionDescription?
    /// Notes for the caller (e.g. a modality left out because it is not available yet).
    public var warnings: [String]?

    public init(item: String, title: String, modality: String, items: [RecommendedItem], modalities: [String]? = nil,
                fusion: FusionDescription? = nil, warnings: [String]? = nil) {
        self.item = item
        self.title = title
        self.modality = modality
        self.items = items
        self.modalities = modalities
        self.fusion = fusion
        self.warnings = warnings
    }
}

/// The fusion weights behind a `fused` similar list.
public struct FusionDescription: Sendable, Codable, Equatable {
    public var text: Double
    public var image: Double
    public var graph: Double
    /// `learned` (chosen on visit data by `curio fuse`) or `default`.
    public var source: String
    public init(text: Double, image: Double, graph: Double, source: String) {
        self.text = text
        self.image = image
        self.graph = graph
        self.source = source
    }
}
