import CurioCore

extension MetaPathRecommender {
    /// ``contributions(_:history:)`` for several items at once: the history's half-paths are walked once and joined
    /// with each item's, so explaining a list of k items costs one history walk instead of k.
    /// - Returns: one array of contributions per item, in the order given (empty for items not in the graph).
    public func contributions(_ items: [ItemID], history: [WeightedItem]) -> [[Evidence]] {
        let hh = index.historyHalves(index.resolve(history))
        let g = index.graph
        return items.map { item in
            guard let j = g.node(item: item) else { return [] }
            return index.pairParts(hh, candidate: j.rawValue).compactMap { part in
                let w = weights[part.path] * part.value
                guard w > 0 else { return nil }
                let path = index.compiled[part.path]
                let liked = NodeIndex(part.liked)
                let via: EvidenceNode? = path.usesVisitors ? nil
                    : EvidenceNode(reference: g.reference(of: NodeIndex(part.middle)), label: g.label(of: NodeIndex(part.middle)))
                return Evidence(kind: path.evidence, likedItem: g.itemID(of: liked), likedTitle: g.label(of: liked), via: via,
                                weight: w)
            }
        }
    }
}

/// A meta-path link between a recommended item and one of the visitor's objects, kept as graph nodes: the
/// ``Evidence`` it stands for (with its ids, titles and references as strings) is written out only when needed.
public struct MetaPathLink: Sendable, Hashable {
    /// The kind of evidence the link is.
    public var kind: EvidenceKind
    /// The visitor's object (graph node).
    public var liked: Int32
    /// The node both sides share (a maker, a subject…); −1 for links through visitors.
    public var via: Int32
    /// The link's share of the item's score (the summed weighted walk mass of its path instances).
    public var weight: Double

    /// A link from its parts.
    public init(kind: EvidenceKind, liked: Int32, via: Int32, weight: Double) {
        self.kind = kind
        self.liked = liked
        self.via = via
        self.weight = weight
    }
}

extension MetaPathRecommender {
    /// ``contributions(_:history:)`` for several items, aggregated as ``Explainer/aggregate(_:)`` would (one link per
    /// kind, visitor's object and shared node, weights summed in the same order) but without writing strings:
    /// per item, the links in order of first appearance.
    public func links(_ items: [ItemID], history: [WeightedItem]) -> [[MetaPathLink]] {
        let hh = index.historyHalves(index.resolve(history))
        let g = index.graph
        // Links keyed by (kind, liked, via) packed in one integer: hashing one word per part, not a struct.
        var slots: [Int: Int] = [:]
        return items.map { item in
            guard let j = g.node(item: item) else { return [] }
            var out: [MetaPathLink] = []
            slots.removeAll(keepingCapacity: true)
            for part in index.pairParts(hh, candidate: j.rawValue) {
                let w = weights[part.path] * part.value
                guard w > 0 else { continue }
                let path = index.compiled[part.path]
                let kind = path.evidence
                let via: Int32 = path.usesVisitors ? -1 : part.middle
                let key = kind.order << 58 | Int(UInt32(bitPattern: part.liked)) << 29 ^ Int(via)
                func same(_ l: MetaPathLink) -> Bool { l.kind == kind && l.liked == part.liked && l.via == via }
                if let s = slots[key] {
                    // A packed key shared by two links (rare) falls back to a search.
                    if same(out[s]) { out[s].weight += w } else if let t = out.firstIndex(where: same) { out[t].weight += w } else {
                        out.append(MetaPathLink(kind: kind, liked: part.liked, via: via, weight: w))
                    }
                } else {
                    slots[key] = out.count
                    out.append(MetaPathLink(kind: kind, liked: part.liked, via: via, weight: w))
                }
            }
            return out
        }
    }

    /// The visitor's object a link cites.
    public func likedItem(_ link: MetaPathLink) -> ItemID? { index.graph.itemID(of: NodeIndex(link.liked)) }

    /// The reference of the shared node (`kind:key`), nil for links through visitors.
    public func viaReference(_ link: MetaPathLink) -> String? {
        link.via >= 0 ? index.graph.reference(of: NodeIndex(link.via)) : nil
    }

    /// The evidence a link stands for, with `weight`.
    public func evidence(_ link: MetaPathLink, weight: Double) -> Evidence {
        let g = index.graph
        let liked = NodeIndex(link.liked)
        let via: EvidenceNode? = link.via >= 0
            ? EvidenceNode(reference: g.reference(of: NodeIndex(link.via)), label: g.label(of: NodeIndex(link.via))) : nil
        return Evidence(kind: link.kind, likedItem: g.itemID(of: liked), likedTitle: g.label(of: liked), via: via, weight: weight)
    }

    /// The graph node of an item, if it is in the graph.
    public func node(of item: ItemID) -> Int32? { index.graph.node(item: item)?.rawValue }
}
