import CurioCore
import Foundation

/// How visitor events become implicit-feedback weights.
///
/// Every deduplicated event contributes a weight to its (visitor, item) pair; the pair's total is its confidence.
///
/// | kind | contribution |
/// |---|---|
/// | `view` | ``view`` (default 1) |
/// | `scan` | ``scan`` (default 2: scanning a label is a deliberate act) |
/// | `like` | ``like`` (default 4) |
/// | `share` | ``share`` (default 4) |
/// | `dwell` | ``dwellScale`` · ln(1 + seconds / ``dwellUnitSeconds``), capped at ``dwellCap`` (30 s ≈ 0.69, 2 min ≈ 1.6) |
/// | `rate` | ``ratingScale`` · (rating − 3): 4 and 5 stars add, 1 and 2 subtract, 3 is neutral |
/// | `beacon-enter` | ``beaconEnter`` (default 0.5: being near an object is weak evidence) |
/// | `beacon-leave` | ``beaconLeave`` (default 0) |
/// | `skip` | ``skip`` (default −1) |
/// | `dislike` | ``dislike`` (default −4) |
///
/// A pair whose total is not positive is **negative feedback**: it is left out of the training matrix (implicit
/// models need non-negative confidences) and kept in ``InteractionMatrix/negatives`` so that serving never
/// recommends an object the visitor skipped or disliked. Totals are capped at ``maximumWeight`` so a single
/// over-eager visitor cannot dominate an item.
public struct FeedbackWeights: Codable, Sendable, Hashable {
    public var view: Float = 1
    public var scan: Float = 2
    public var like: Float = 4
    public var share: Float = 4
    public var beaconEnter: Float = 0.5
    public var beaconLeave: Float = 0
    public var skip: Float = -1
    public var dislike: Float = -4
    /// Multiplier of the log-scaled dwell time.
    public var dwellScale: Float = 1
    /// Seconds that make one unit inside the logarithm.
    public var dwellUnitSeconds: Double = 30
    /// Largest contribution of one dwell.
    public var dwellCap: Float = 3
    /// Multiplier of the centred rating (rating − 3).
    public var ratingScale: Float = 1.5
    /// Largest total weight of one (visitor, item) pair.
    public var maximumWeight: Float = 10

    /// The defaults described in the type documentation.
    public init() {}

    /// The contribution of one event, or nil when the event carries no usable value (a rating or dwell without
    /// a number). Validation of values happens before (see ``InteractionBuilder``).
    public func weight(of event: Event) -> Float? {
        switch event.kind {
        case .view: return view
        case .scan: return scan
        case .like: return like
        case .share: return share
        case .beaconEnter: return beaconEnter
        case .beaconLeave: return beaconLeave
        case .skip: return skip
        case .dislike: return dislike
        case .dwell:
            guard let seconds = event.value, seconds.isFinite, seconds >= 0 else { return nil }
            return min(dwellCap, dwellScale * Float(log1p(seconds / max(dwellUnitSeconds, 1e-9))))
        case .rate:
            guard let rating = event.value, rating.isFinite else { return nil }
            return ratingScale * Float(rating - 3)
        }
    }

    /// Checks that the weights make sense.
    /// - Throws: ``RecommendError/badParameter(name:reason:)``.
    public func validate() throws(RecommendError) {
        let all: [(String, Float)] = [("view", view), ("scan", scan), ("like", like), ("share", share),
                                      ("beacon_enter", beaconEnter), ("beacon_leave", beaconLeave), ("skip", skip),
                                      ("dislike", dislike), ("dwell_scale", dwellScale), ("dwell_cap", dwellCap),
                                      ("rating_scale", ratingScale), ("maximum_weight", maximumWeight)]
        for (name, value) in all where !value.isFinite {
            throw .badParameter(name: "feedback.\(name)", reason: "must be a finite number")
        }
        if !(dwellUnitSeconds > 0) { throw .badParameter(name: "feedback.dwell_unit_seconds", reason: "must be positive") }
        if !(maximumWeight > 0) { throw .badParameter(name: "feedback.maximum_weight", reason: "must be positive") }
    }
}
