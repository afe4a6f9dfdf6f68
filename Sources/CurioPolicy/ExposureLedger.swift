import CurioCore
import Foundation
import Synchronization

/// Tracks the exposure Curio has actually delivered, per policy, so that fairness targets are met
/// over many requests (amortised), not only within one list.
///
/// Exposure of a slot follows the usual position-bias model of attention: rank r (1-based) receives
/// `1 / log2(r + 1)`, so slot 1 counts 1.0, slot 2 0.63, slot 10 0.29. Thread-safe; shared by all requests.
public final class ExposureLedger: Sendable {
    /// Attention weight of a 1-based rank.
    public static func weight(rank: Int) -> Double { 1.0 / log2(Double(rank) + 1.0) }

    private struct State {
        var requests = 0
        /// Exposure per group, per attribute.
        var groups: [GroupAttribute: [String: Double]] = [:]
        /// Exposure per item (dense catalogue index).
        var items: [Int: Double] = [:]
        var total = 0.0
    }

    private let state = Mutex(State())

    public init() {}

    /// Records a served list.
    /// - Parameters:
    ///   - indices: catalogue indices in served order.
    ///   - attributes: attributes whose group exposure should be tracked.
    public func record(_ indices: [Int], catalogue: PolicyCatalogue, attributes: [GroupAttribute]) {
        state.withLock { s in
            s.requests += 1
            for (r, index) in indices.enumerated() {
                let w = Self.weight(rank: r + 1)
                s.total += w
                s.items[index, default: 0] += w
                for a in attributes {
                    let values = catalogue.values(of: a, at: index)
                    let share = w / Double(values.count)
                    for v in values { s.groups[a, default: [:]][v, default: 0] += share }
                }
            }
        }
    }

    /// Delivered exposure per group value of `attribute`.
    public func groupExposure(_ attribute: GroupAttribute) -> [String: Double] {
        state.withLock { $0.groups[attribute] ?? [:] }
    }

    /// Delivered exposure of some values of `attribute` (absent values have none).
    public func groupExposure(_ attribute: GroupAttribute, values: Set<String>) -> [String: Double] {
        state.withLock { s in
            guard let groups = s.groups[attribute] else { return [:] }
            var out: [String: Double] = [:]
            for v in values { if let e = groups[v] { out[v] = e } }
            return out
        }
    }

    /// Delivered exposure per catalogue index.
    public func itemExposure() -> [Int: Double] { state.withLock { $0.items } }

    /// Number of lists recorded.
    public var requestCount: Int { state.withLock { $0.requests } }

    /// Total exposure delivered.
    public var totalExposure: Double { state.withLock { $0.total } }

    /// Forgets everything (e.g. at the start of a reporting period).
    public func reset() { state.withLock { $0 = State() } }
}
