import CurioCore

/// What re-rankers need to know about every item: its group memberships, popularity and
/// (optionally) a content vector for diversity. Built once per catalogue version; immutable and `Sendable`.
public struct PolicyCatalogue: Sendable {
    /// Dense index of each item.
    public let index: [ItemID: Int]
    public let ids: [ItemID]
    /// Values per attribute per item (dense index). Empty arrays never occur: unknowns get ``GroupAttribute/unknownValue``.
    private let values: [GroupAttribute: [[String]]]
    /// Interaction counts (or any popularity measure) per item.
    public let popularity: [Double]
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
        self.values = values
        self.popularity = items.map { popularity[$0.id] ?? 0 }
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
    public func has(_ attribute: GroupAttribute) -> Bool { values[attribute] != nil }

    /// Values of `attribute` for the item at `index` (never empty).
    public func values(of attribute: GroupAttribute, at index: Int) -> [String] {
        values[attribute]?[index] ?? [GroupAttribute.unknownValue]
    }

    /// All distinct values of an attribute across the catalogue.
    public func distinctValues(of attribute: GroupAttribute) -> Set<String> {
        var s = Set<String>()
        for v in values[attribute] ?? [] { s.formUnion(v) }
        return s
    }

    /// Whether the item at `index` belongs to `group`.
    public func isMember(_ index: Int, of group: GroupKey) -> Bool {
        values(of: group.attribute, at: index).contains(group.value)
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
