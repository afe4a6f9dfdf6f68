import CurioCore
import Foundation

/// A curator policy: how model scores are turned into the list a visitor sees.
///
/// Policies are JSON documents (see `docs/policies.md`), versioned, validated before activation and applied
/// at serving time without retraining. Every part is optional; an empty policy returns the model's ranking.
public struct Policy: Sendable, Equatable {
    /// The policy's name (`default`, `family-weekend`).
    public var name: String
    /// Monotonic version; the registry assigns one on activation.
    public var version: Int
    /// A human note shown in dashboards.
    public var note: String?
    /// How strongly to counter popularity bias (0 = off, 1 = strong).
    public var popularityCorrection: Double
    /// Diversity trade-off λ for maximal marginal relevance over content vectors (0 = off, 1 = only diversity).
    public var diversity: Double
    /// At most this many works by one maker per list (nil = unlimited).
    public var maxPerMaker: Int?
    /// No maker gets more than this share of all exposure, amortised over requests (nil = unlimited).
    public var makerShare: MakerShare?
    /// Calibration to the visitor's own mix of interests.
    public var calibration: Calibration?
    /// Exposure targets across groups, amortised over requests.
    public var exposure: ExposureTargets?
    /// Pins, bans, boosts, licence filters and campaigns.
    public var rules: [Rule]

    public init(name: String, version: Int = 0, note: String? = nil, popularityCorrection: Double = 0,
                diversity: Double = 0, maxPerMaker: Int? = nil, makerShare: MakerShare? = nil, calibration: Calibration? = nil,
                exposure: ExposureTargets? = nil, rules: [Rule] = []) {
        self.name = name
        self.version = version
        self.note = note
        self.popularityCorrection = popularityCorrection
        self.diversity = diversity
        self.maxPerMaker = maxPerMaker
        self.makerShare = makerShare
        self.calibration = calibration
        self.exposure = exposure
        self.rules = rules
    }

    /// Calibration (Steck, 2018): keep the list's distribution over an attribute close to the visitor's history.
    public struct Calibration: Sendable, Equatable {
        public var attribute: GroupAttribute
        /// Trade-off λ between relevance and calibration (0…1).
        public var strength: Double
        public init(attribute: GroupAttribute, strength: Double) {
            self.attribute = attribute
            self.strength = strength
        }
    }

    /// A ceiling on any one maker's share of all exposure, met over many requests like an exposure target: makers
    /// above it pay an exposure price (their works drop out of the lists where they are least needed), and a maker
    /// more than `tolerance` above it is skipped while other candidates remain.
    ///
    /// Unlike ``maxPerMaker``, which caps every list, a visitor devoted to one painter still sees several of their
    /// works; the ceiling acts on the collection-wide total.
    public struct MakerShare: Sendable, Equatable {
        /// The largest share of exposure (0…1) one maker may receive.
        public var max: Double
        public var tolerance: Double
        /// Gain of the exposure price, as in ``ExposureTargets/pricing``.
        public var pricing: Double
        public init(max: Double, tolerance: Double = 0.02, pricing: Double = ExposureTargets.defaultPricing) {
            self.max = max
            self.tolerance = tolerance
            self.pricing = pricing
        }
    }

    /// Target exposure shares for the groups of one attribute.
    public struct ExposureTargets: Sendable, Equatable {
        public var attribute: GroupAttribute
        /// Minimum and/or maximum share of exposure per group value.
        public var targets: [String: Share]
        /// How far below a minimum (or above a maximum) a group may drift before the controller steps in.
        public var tolerance: Double
        /// Whether shares are computed over all exposure or only over items whose value is known.
        public var denominator: Denominator
        /// Gain of the exposure price (0 = off: only the tolerance rule steers). Each group below its minimum gets a
        /// score bonus of `pricing × deficit / exposure of an average list` (in units of the list's score range),
        /// each group above its maximum the same as a penalty — the dual price of the exposure constraint, raised
        /// while the target is missed. Its effect: the group's works enter the lists where they cost least
        /// relevance (visitors for whom they are nearly as good as the model's picks), instead of taking a slot in
        /// whichever list comes next.
        public var pricing: Double
        /// The default gain of ``pricing``.
        public static let defaultPricing = 0.1
        public init(attribute: GroupAttribute, targets: [String: Share], tolerance: Double = 0.01,
                    denominator: Denominator = .known, pricing: Double = ExposureTargets.defaultPricing) {
            self.attribute = attribute
            self.targets = targets
            self.tolerance = tolerance
            self.denominator = denominator
            self.pricing = pricing
        }
        public enum Denominator: String, Sendable, Equatable { case all, known }
        public struct Share: Sendable, Equatable {
            public var min: Double?
            public var max: Double?
            public init(min: Double? = nil, max: Double? = nil) {
                self.min = min
                self.max = max
            }
        }
    }

    /// A curator rule.
    public enum Rule: Sendable, Equatable {
        /// Put `item` at 1-based `slot` whenever it is eligible (not banned or filtered), even if the model did not propose it.
        case pin(item: ItemID, slot: Int)
        /// Never show these items / groups.
        case ban(Target)
        /// Multiply the (normalised) score of matching items by `factor` (> 1 promotes, < 1 demotes).
        case boost(Target, factor: Double)
        /// Only show items whose licence is open.
        case requireOpenLicence
        /// Promote items during a date window (an exhibition), optionally guaranteeing one a slot.
        case campaign(name: String, from: Date, to: Date, target: Target, factor: Double, slot: Int?)
    }

    /// What a rule applies to.
    public enum Target: Sendable, Equatable, CustomStringConvertible {
        case items([ItemID])
        case group(GroupKey)
        public var description: String {
            switch self {
            case let .items(ids): "items " + ids.map(\.rawValue).joined(separator: ", ")
            case let .group(g): "group \(g)"
            }
        }
        func matches(_ index: Int, id: ItemID, in catalogue: PolicyCatalogue) -> Bool {
            switch self {
            case let .items(ids): ids.contains(id)
            case let .group(g): catalogue.isMember(index, of: g)
            }
        }
    }
}
