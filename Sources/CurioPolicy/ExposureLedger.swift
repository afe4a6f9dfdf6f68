import CurioCore
import Foundation
import Synchronization

/// Tracks the exposure Curio has actually delivered, per policy, so that fairness targets are met
/// over many requests (amortised), not only within one list.
///
/// Exposure of a slot follows the usual position-bias model of attention: rank r (1-based) receives
/// `1 / log2(r + 1)`, so slot 1 counts 1.0, slot 2 0.63, slot 10 0.29. Thread-safe; shared by all requests.
///
/// Group exposure is kept in arrays indexed by the catalogue's interned value ids (``AttributeValues``), so
/// recording a list and reading what the re-rankers need hash no strings; the String-keyed accessors are views for
/// reports. Work under the lock is a few array reads and additions per request.
public final class ExposureLedger: Sendable {
    /// Attention weight of a 1-based rank.
    public static func weight(rank: Int) -> Double { 1.0 / log2(Double(rank) + 1.0) }

    /// Exposure per value of one attribute.
    struct GroupTotals {
        /// Slot → value name; slots of values first seen through the bound table follow its id order (name order).
        var names: [String] = []
        var lookup: [String: Int] = [:]
        /// Delivered exposure per slot.
        var exposure: [Double] = []
        /// The catalogue table whose value ids ``slots`` maps.
        var bound: AttributeValues?
        /// Catalogue value id → slot, for ``bound``.
        var slots: [Int] = []

        /// Maps `table`'s value ids to slots, adding slots for names not seen yet.
        mutating func bind(_ table: AttributeValues) {
            if bound === table { return }
            slots = table.names.map { name in
                if let slot = lookup[name] { return slot }
                lookup[name] = names.count
                names.append(name)
                exposure.append(0)
                return names.count - 1
            }
            bound = table
        }

        /// Delivered exposure of a value name (0 when none).
        func exposure(of name: String) -> Double { lookup[name].map { exposure[$0] } ?? 0 }
    }

    struct State {
        var requests = 0
        /// Exposure per group, per attribute (a handful of attributes: searched linearly).
        var attributes: [GroupAttribute] = []
        var groups: [GroupTotals] = []
        /// Exposure per item (dense catalogue index; 0 = never shown).
        var items: [Double] = []
        /// Number of items with exposure.
        var shown = 0
        var total = 0.0

        /// The totals of `attribute`, bound to `table`.
        mutating func totals(_ attribute: GroupAttribute, bound table: AttributeValues) -> Int {
            let a: Int
            if let i = attributes.firstIndex(of: attribute) {
                a = i
            } else {
                attributes.append(attribute)
                groups.append(GroupTotals())
                a = attributes.count - 1
            }
            groups[a].bind(table)
            return a
        }

        func totals(_ attribute: GroupAttribute) -> GroupTotals? {
            attributes.firstIndex(of: attribute).map { groups[$0] }
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Records a served list.
    /// - Parameters:
    ///   - indices: catalogue indices in served order.
    ///   - attributes: attributes whose group exposure should be tracked.
    public func record(_ indices: [Int], catalogue: PolicyCatalogue, attributes: [GroupAttribute]) {
        let tables = attributes.map { catalogue.table(for: $0) }
        state.withLock { s in
            s.requests += 1
            let slotsOf = zip(attributes, tables).map { s.totals($0, bound: $1) }
            if let top = indices.max(), top >= s.items.count {
                s.items.append(contentsOf: repeatElement(0, count: top + 1 - s.items.count))
            }
            for (r, index) in indices.enumerated() {
                let w = Self.weight(rank: r + 1)
                s.total += w
                if s.items[index] == 0 { s.shown += 1 }
                s.items[index] += w
                for (a, table) in zip(slotsOf, tables) {
                    let range = table.range(at: index)
                    let share = w / Double(range.count)
                    for p in range { s.groups[a].exposure[s.groups[a].slots[Int(table.ids[p])]] += share }
                }
            }
        }
    }

    /// Runs `body` on the ledger's state under its lock (for re-rankers: keep it to a few reads).
    func withState<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }

    /// Delivered exposure per group value of `attribute`.
    public func groupExposure(_ attribute: GroupAttribute) -> [String: Double] {
        state.withLock { s in
            guard let t = s.totals(attribute) else { return [:] }
            var out: [String: Double] = [:]
            for (slot, e) in t.exposure.enumerated() where e != 0 { out[t.names[slot]] = e }
            return out
        }
    }

    /// Delivered exposure of some values of `attribute` (absent values have none).
    public func groupExposure(_ attribute: GroupAttribute, values: Set<String>) -> [String: Double] {
        state.withLock { s in
            guard let t = s.totals(attribute) else { return [:] }
            var out: [String: Double] = [:]
            for v in values { if let slot = t.lookup[v], t.exposure[slot] != 0 { out[v] = t.exposure[slot] } }
            return out
        }
    }

    /// Delivered exposure per catalogue index.
    public func itemExposure() -> [Int: Double] {
        state.withLock { s in
            var out: [Int: Double] = [:]
            out.reserveCapacity(s.shown)
            for (i, e) in s.items.enumerated() where e != 0 { out[i] = e }
            return out
        }
    }

    /// Number of lists recorded.
    public var requestCount: Int { state.withLock { $0.requests } }

    /// Total exposure delivered.
    public var totalExposure: Double { state.withLock { $0.total } }

    /// Forgets everything (e.g. at the start of a reporting period).
    public func reset() { state.withLock { $0 = State() } }
}
