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
                let path = index.metaPaths[part.path]
                let liked = NodeIndex(part.liked)
                let via: EvidenceNode? = path.usesVisitors ? nil
                    : EvidenceNode(reference: g.reference(of: NodeIndex(part.middle)), label: g.label(of: NodeIndex(part.middle)))
                return Evidence(kind: path.evidence, likedItem: g.itemID(of: liked), likedTitle: g.label(of: liked), via: via,
                                weight: w)
            }
        }
    }
}
