import CurioCore
import Foundation

/// One entry of a re-ranked list: the item, its final score, and what the policy did to it.
public struct RankedItem: Sendable, Equatable, Codable {
    public var id: ItemID
    /// The model's score, as given.
    public var modelScore: Float
    /// The score after policy adjustments (normalised to roughly 0…1).
    public var score: Float
    /// What the policy changed, in order, for explanations and audits.
    public var adjustments: [Adjustment]
    public init(id: ItemID, modelScore: Float, score: Float, adjustments: [Adjustment] = []) {
        self.id = id
        self.modelScore = modelScore
        self.score = score
        self.adjustments = adjustments
    }
}

/// A policy action on one item, reported so curators can audit and visitors can be told ("curator's pick").
public struct Adjustment: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case pinned, boosted, campaign, popularityCorrection = "popularity_correction", diversity, calibration
        case fairness, makerCap = "maker_cap"
    }
    public var kind: Kind
    public var detail: String
    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
}

/// A request to apply a policy to a model's candidates.
public struct RerankRequest: Sendable {
    /// Candidate items with model scores (any order). Give more than `k` (e.g. 5–10×) so re-rankers have room.
    public var candidates: [(id: ItemID, score: Float)]
    /// Length of the list to return.
    public var k: Int
    /// The visitor's own items (for calibration), most recent last.
    public var history: [ItemID]
    /// The time of the request (campaign windows).
    public var now: Date
    /// Whether to record the served list in the exposure ledger (false for previews and evaluation dry runs).
    public var recordExposure: Bool
    public init(candidates: [(id: ItemID, score: Float)], k: Int, history: [ItemID] = [], now: Date = Date(),
                recordExposure: Bool = true) {
        self.candidates = candidates
        self.k = k
        self.history = history
        self.now = now
        self.recordExposure = recordExposure
    }
}

/// A request to apply a policy to candidates given by catalogue index (``PolicyCatalogue/ids`` order) instead of
/// item id: what a server that scored the catalogue by index has at hand, without hashing ids.
public struct IndexedRerankRequest: Sendable {
    /// Candidate catalogue indices with model scores (any order).
    public var candidates: [(index: Int, score: Float)]
    /// Length of the list to return.
    public var k: Int
    /// Catalogue indices of the visitor's own items (for calibration), most recent last.
    public var history: [Int]
    /// The time of the request (campaign windows).
    public var now: Date
    /// Whether to record the served list in the exposure ledger.
    public var recordExposure: Bool
    public init(candidates: [(index: Int, score: Float)], k: Int, history: [Int] = [], now: Date = Date(),
                recordExposure: Bool = true) {
        self.candidates = candidates
        self.k = k
        self.history = history
        self.now = now
        self.recordExposure = recordExposure
    }
}

/// What the policy engine returns.
public struct RerankResult: Sendable {
    public var items: [RankedItem]
    /// Candidates removed by bans or licence filters.
    public var filtered: Int
    /// Candidate ids not in the catalogue (ignored).
    public var unknown: Int
    /// Catalogue indices of ``items``, in the same order.
    public var indices: [Int] = []
}
