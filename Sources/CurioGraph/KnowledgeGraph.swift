import CurioCore

/// A typed, integer-indexed knowledge graph over a collection: items, agents, concepts, places, periods,
/// materials and classifications, joined by ``Relation`` edges that remember the source field that produced them.
///
/// Nodes are dense indices (``NodeIndex``); each relation is stored as compressed sparse rows in both directions
/// (``RelationAdjacency``), so neighbour lookups are O(degree) and whole-graph passes are cache-friendly.
/// The graph is an immutable value: build it with ``build(items:agents:concepts:options:)`` or
/// ``KnowledgeGraphBuilder``, or read it back from N-Triples with ``readNTriples(path:base:)``.
public struct KnowledgeGraph: Sendable {
    /// Kind of each node.
    public let kinds: [NodeKind]
    /// Key of each node, unique within its kind (see ``NodeKind``).
    public let keys: [String]
    /// Human-readable label of each node (title, name, term).
    public let labels: [String]
    /// Adjacency per relation, indexed by `Relation.rawValue`.
    public let adjacency: [RelationAdjacency]
    /// Provenance strings referenced by ``RelationAdjacency/outProvenance``.
    public let provenanceTable: [String]
    /// Nodes of each kind, ascending, indexed by `NodeKind.rawValue`.
    public let nodesByKind: [[Int32]]
    /// Position of each node within ``nodesByKind`` of its kind.
    public let localIndex: [Int32]
    private let lookup: [[String: Int32]]

    init(kinds: [NodeKind], keys: [String], labels: [String], adjacency: [RelationAdjacency], provenanceTable: [String]) {
        self.kinds = kinds
        self.keys = keys
        self.labels = labels
        self.adjacency = adjacency
        self.provenanceTable = provenanceTable
        var byKind = [[Int32]](repeating: [], count: NodeKind.allCases.count)
        var local = [Int32](repeating: 0, count: kinds.count)
        var lookup = [[String: Int32]](repeating: [:], count: NodeKind.allCases.count)
        for (i, k) in kinds.enumerated() {
            local[i] = Int32(byKind[Int(k.rawValue)].count)
            byKind[Int(k.rawValue)].append(Int32(i))
            lookup[Int(k.rawValue)][keys[i]] = Int32(i)
        }
        nodesByKind = byKind
        localIndex = local
        self.lookup = lookup
    }

    // MARK: Nodes

    /// Number of nodes.
    public var nodeCount: Int { kinds.count }
    /// Number of edges over all relations.
    public var edgeCount: Int { adjacency.reduce(0) { $0 + $1.edgeCount } }

    /// The adjacency of `relation`.
    @inline(__always)
    public func adjacency(_ relation: Relation) -> RelationAdjacency { adjacency[Int(relation.rawValue)] }

    /// Kind of `node`.
    public func kind(of node: NodeIndex) -> NodeKind { kinds[node.int] }
    /// Key of `node` (unique within its kind).
    public func key(of node: NodeIndex) -> String { keys[node.int] }
    /// Label of `node`.
    public func label(of node: NodeIndex) -> String { labels[node.int] }
    /// `kind:key`, the reference accepted by ``resolve(_:)``.
    public func reference(of node: NodeIndex) -> String { "\(kinds[node.int].name):\(keys[node.int])" }

    /// The node of `kind` with `key`, if any. O(1).
    public func node(kind: NodeKind, key: String) -> NodeIndex? {
        lookup[Int(kind.rawValue)][key].map(NodeIndex.init)
    }
    /// The node of an item.
    public func node(item: ItemID) -> NodeIndex? { node(kind: .item, key: item.rawValue) }
    /// The node of an agent.
    public func node(agent: AgentID) -> NodeIndex? { node(kind: .agent, key: agent.rawValue) }
    /// The node of a subject, movement or era concept.
    public func node(concept: ConceptID) -> NodeIndex? {
        for kind in [NodeKind.subject, .movement, .era] {
            if let n = node(kind: kind, key: concept.rawValue) { return n }
        }
        return nil
    }

    /// Nodes of `kind`, ascending.
    public func nodes(of kind: NodeKind) -> [NodeIndex] { nodesByKind[Int(kind.rawValue)].map(NodeIndex.init) }
    /// Number of nodes of `kind`.
    public func count(of kind: NodeKind) -> Int { nodesByKind[Int(kind.rawValue)].count }

    /// The item id of an item node.
    public func itemID(of node: NodeIndex) -> ItemID? {
        kinds[node.int] == .item ? ItemID(keys[node.int]) : nil
    }

    /// Finds a node from a user-supplied reference.
    ///
    /// Accepts `kind:key` (`agent:tate:artist:38`, `decade:1840`, `material:oil paint`) or a bare key, which is
    /// tried as an item, agent, subject, movement, era, place and classification key in that order.
    /// - Throws: ``GraphError/unknownNode(id:)`` when nothing matches.
    public func resolve(_ reference: String) throws -> NodeIndex {
        if let colon = reference.firstIndex(of: ":"), let kind = NodeKind(name: String(reference[..<colon])) {
            let key = String(reference[reference.index(after: colon)...])
            if let n = node(kind: kind, key: key) { return n }
            if let n = node(kind: kind, key: key.lowercased()) { return n }
        }
        for kind in [NodeKind.item, .agent, .subject, .movement, .era, .place, .classification, .material] {
            if let n = node(kind: kind, key: reference) { return n }
        }
        if let n = node(kind: .place, key: reference.lowercased()) { return n }
        throw GraphError.unknownNode(id: reference)
    }

    // MARK: Edges

    /// Whether the edge `source —relation→ target` exists. O(log degree).
    public func hasEdge(_ source: NodeIndex, _ relation: Relation, _ target: NodeIndex) -> Bool {
        adjacency(relation).edgePosition(source: source.int, target: target.rawValue) != nil
    }

    /// The provenance recorded for `source —relation→ target`, or nil when the edge does not exist.
    public func provenance(_ source: NodeIndex, _ relation: Relation, _ target: NodeIndex) -> String? {
        let adj = adjacency(relation)
        guard let p = adj.edgePosition(source: source.int, target: target.rawValue) else { return nil }
        return provenanceTable[Int(adj.outProvenance[p])]
    }

    /// Targets of `node` along `relation`.
    public func targets(of node: NodeIndex, _ relation: Relation) -> [NodeIndex] {
        adjacency(relation).targets(node.int).map(NodeIndex.init)
    }

    /// Sources of edges of `relation` pointing at `node`.
    public func sources(of node: NodeIndex, _ relation: Relation) -> [NodeIndex] {
        adjacency(relation).sources(node.int).map(NodeIndex.init)
    }

    /// Every edge of `relation` as (source, target, provenance), in source then target order.
    public func edges(_ relation: Relation) -> [(source: NodeIndex, target: NodeIndex, provenance: String)] {
        let adj = adjacency(relation)
        var out: [(source: NodeIndex, target: NodeIndex, provenance: String)] = []
        out.reserveCapacity(adj.edgeCount)
        for n in 0..<nodeCount {
            for i in Int(adj.outOffsets[n])..<Int(adj.outOffsets[n + 1]) {
                out.append((NodeIndex(n), NodeIndex(adj.outTargets[i]), provenanceTable[Int(adj.outProvenance[i])]))
            }
        }
        return out
    }
}

extension KnowledgeGraph: Equatable {
    /// Two graphs are equal when they have the same nodes (kind, key, label) in the same order and the same
    /// edges with the same provenance. Provenance-table order does not matter.
    public static func == (a: KnowledgeGraph, b: KnowledgeGraph) -> Bool {
        guard a.kinds == b.kinds, a.keys == b.keys, a.labels == b.labels, a.adjacency.count == b.adjacency.count else {
            return false
        }
        for r in 0..<a.adjacency.count {
            let x = a.adjacency[r], y = b.adjacency[r]
            guard x.outOffsets == y.outOffsets, x.outTargets == y.outTargets else { return false }
            for i in 0..<x.outProvenance.count
            where a.provenanceTable[Int(x.outProvenance[i])] != b.provenanceTable[Int(y.outProvenance[i])] {
                return false
            }
        }
        return true
    }
}
