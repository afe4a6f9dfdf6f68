import CurioCore

/// What re-rankers need to know about every item: its group memberships, popularity and
/// (optionally) a content vector for diversity. Built once per catalogue version; immutable and `Sendable`.
public struct PolicyCatalogue: Sendable {
    /// Dense index of each item.
    public let index: [ItemID: Int]
    public let ids: [ItemID]
    /// Values per attribute, interned (see ``AttributeValues``).
    private let tables: [GroupAttribute: AttributeValues]
    /// The table of an attribute the catalogue does not know: every item is ``GroupAttribute/unknownValue``.
    private let unknownTable: AttributeValues
    /// The tables every request consults, without a dictionary lookup.
    private let makerGenderTable: AttributeValues
    private let makerTable: AttributeValues
    /// Interaction counts (or any popularity measure) per item.
    public let popularity: [Double]
    /// The largest value of ``popularity`` (0 for an empty catalogue).
    public let maxPopularity: Double
    /// Unit-length content vectors (row-major, `dimension` wide), or empty.
    public let vectors: [Float]
    public let dimension: Int

    /// Licence texts that count as open (case-insensitive substring match).
    public static let openLicenceMarkers = ["cc0", "cc-by", "cc by", "public domain", "creative commons", "open access"]

    /// Builds the catalogue from Core records.
    /// - Parameters:
    ///   - agents: makers by id, for gender and birth country.
    ///   - popularity: interaction counts per item; missing items count 0.
    ///   - vectors: content vectors per item (normalised here); items without one get a zero vector.
    ///   - custom: custom attributes, by attribute name then item.
    public init(items: [Item], agents: [AgentID: Agent], popularity: [ItemID: Double] = [:],
                vectors: [ItemID: [Float]] = [:], custom: [String: [ItemID: String]] = [:]) {
        var index: [ItemID: Int] = [:]
        index.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { index[item.id] = i }
        self.index = index
        self.ids = items.map(\.id)
        let unknown = GroupAttribute.unknownValue
        func orUnknown(_ v: [String]) -> [String] {
            let cleaned = Array(Set(v.filter { !$0.isEmpty })).sorted()
            return cleaned.isEmpty ? [unknown] : cleaned
        }
        var values: [GroupAttribute: [[String]]] = [:]
        values[.makerGender] = items.map { item in
            orUnknown(item.makers.compactMap { agents[$0.agent]?.gender })
        }
        values[.makerCountry] = items.map { item in
            orUnknown(item.makers.compactMap { agents[$0.agent]?.birthPlace?.country ?? agents[$0.agent]?.birthPlace?.placeName })
        }
        values[.maker] = items.map { orUnknown($0.makers.map(\.agent.rawValue)) }
        values[.century] = items.map { orUnknown($0.date.map { [String($0.century)] } ?? []) }
        values[.movement] = items.map { orUnknown($0.movements.map(\.rawValue)) }
        values[.classification] = items.map { orUnknown($0.classification.map { [$0] } ?? []) }
        values[.acquisitionDecade] = items.map { orUnknown($0.acquisitionYear.map { [String($0 / 10 * 10)] } ?? []) }
        values[.licence] = items.map { item in
            let texts = ([item.rights] + item.images.map(\.licence)).compactMap { $0?.lowercased() }
            if texts.isEmpty { return [unknown] }
            let open = texts.contains { t in Self.openLicenceMarkers.contains { t.contains($0) } }
            return [open ? "open" : "restricted"]
        }
        for (name, map) in custom {
            values[.custom(name)] = items.map { orUnknown(map[$0.id].map { [$0] } ?? []) }
        }
        var tables: [GroupAttribute: AttributeValues] = [:]
        for (attribute, perItem) in values { tables[attribute] = AttributeValues(perItem: perItem) }
        self.tables = tables
        self.unknownTable = AttributeValues(uniformUnknownFor: items.count)
        self.makerGenderTable = tables[.makerGender] ?? unknownTable
        self.makerTable = tables[.maker] ?? unknownTable
        self.popularity = items.map { popularity[$0.id] ?? 0 }
        self.maxPopularity = self.popularity.max() ?? 0
        let dim = vectors.values.first?.count ?? 0
        self.dimension = dim
        var flat = [Float](repeating: 0, count: dim * items.count)
        if dim > 0 {
            for (i, item) in items.enumerated() {
                guard let v = vectors[item.id], v.count == dim else { continue }
                var norm: Float = 0
                for x in v { norm += x * x }
                norm = norm.squareRoot()
                guard norm > 0 else { continue }
                for d in 0..<dim { flat[i * dim + d] = v[d] / norm }
            }
        }
        self.vectors = flat
    }

    /// Number of items.
    public var count: Int { ids.count }

    /// Whether the catalogue knows this attribute (built-in attributes are always known).
    public func has(_ attribute: GroupAttribute) -> Bool { tables[attribute] != nil }

    /// The interned values of `attribute` (for an attribute the catalogue does not know, a table in which every item
    /// is ``GroupAttribute/unknownValue``). Re-rankers work on its integer value ids instead of strings.
    public func table(for attribute: GroupAttribute) -> AttributeValues {
        switch attribute {
        case .makerGender: makerGenderTable
        case .maker: makerTable
        default: tables[attribute] ?? unknownTable
        }
    }

    /// Values of `attribute` for the item at `index` (never empty), in the order of their names.
    public func values(of attribute: GroupAttribute, at index: Int) -> [String] {
        let t = table(for: attribute)
        return t.range(at: index).map { t.names[Int(t.ids[$0])] }
    }

    /// All distinct values of an attribute across the catalogue.
    public func distinctValues(of attribute: GroupAttribute) -> Set<String> {
        Set(tables[attribute]?.names ?? [])
    }

    /// Whether the item at `index` belongs to `group`.
    public func isMember(_ index: Int, of group: GroupKey) -> Bool {
        let t = table(for: group.attribute)
        guard let id = t.id(of: group.value) else { return false }
        return t.contains(index, id)
    }

    /// Cosine similarity of two items' content vectors (0 when either has none).
    public func similarity(_ a: Int, _ b: Int) -> Float {
        guard dimension > 0 else { return 0 }
        var s: Float = 0
        vectors.withUnsafeBufferPointer { v in
            let pa = a * dimension, pb = b * dimension
            for d in 0..<dimension { s += v[pa + d] * v[pb + d] }
        }
        return s
    }
}

/// The values of one attribute for every item, interned once per catalogue: each distinct value has an integer id,
/// ids follow the order of the values' names, and each item's ids are stored contiguously (compressed sparse rows).
/// Re-rankers and the ``ExposureLedger`` compare and index by these ids instead of hashing strings.
///
/// A class so that the ledger can tell by identity whether ids it has mapped come from this table.
public final class AttributeValues: Sendable {
    /// Value id → value name, in ascending order of names.
    public let names: [String]
    /// Value name → value id.
    private let lookup: [String: Int32]
    /// Item `i`'s value ids are `ids[offsets[i] ..< offsets[i + 1]]`, ascending (empty when ``isUniform``).
    private let offsets: [Int32]
    /// Value ids of all items, concatenated.
    public let ids: [Int32]
    /// Whether every item has the single value id 0 (an attribute the catalogue does not know).
    private let isUniform: Bool
    /// The id of ``GroupAttribute/unknownValue``, when some item has it.
    public let unknown: Int32?

    /// Interns per-item value lists (each non-empty, without duplicates, in ascending order of names).
    init(perItem: [[String]]) {
        var distinct = Set<String>()
        for vs in perItem { distinct.formUnion(vs) }
        let names = distinct.sorted()
        var lookup: [String: Int32] = [:]
        lookup.reserveCapacity(names.count)
        for (i, n) in names.enumerated() { lookup[n] = Int32(i) }
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(perItem.count + 1)
        var ids: [Int32] = []
        ids.reserveCapacity(perItem.count)
        for vs in perItem {
            // Names are sorted, so ids are too.
            for v in vs { if let id = lookup[v] { ids.append(id) } }
            offsets.append(Int32(ids.count))
        }
        self.names = names
        self.lookup = lookup
        self.offsets = offsets
        self.ids = ids
        self.isUniform = false
        self.unknown = lookup[GroupAttribute.unknownValue]
    }

    /// A table in which each of `count` items has the single value ``GroupAttribute/unknownValue``.
    init(uniformUnknownFor count: Int) {
        self.names = [GroupAttribute.unknownValue]
        self.lookup = [GroupAttribute.unknownValue: 0]
        self.offsets = []
        self.ids = [0]
        self.isUniform = true
        self.unknown = 0
    }

    /// Number of distinct values.
    public var count: Int { names.count }

    /// The id of a value name, if some item has it.
    public func id(of name: String) -> Int32? { lookup[name] }

    /// Positions in ``ids`` of the item's value ids.
    @inline(__always)
    public func range(at index: Int) -> Range<Int> {
        isUniform ? 0..<1 : Int(offsets[index])..<Int(offsets[index + 1])
    }

    /// Number of values of the item (at least 1).
    @inline(__always)
    public func valueCount(at index: Int) -> Int { range(at: index).count }

    /// Whether the item has value `id`.
    public func contains(_ index: Int, _ id: Int32) -> Bool {
        for p in range(at: index) where ids[p] == id { return true }
        return false
    }
}
