/// Which way an edge is followed relative to the node being inspected.
public enum EdgeDirection: String, Sendable, Codable, Hashable {
    /// The node is the edge's source (`item —maker→ agent` seen from the item).
    case outgoing
    /// The node is the edge's target (`item —maker→ agent` seen from the agent).
    case incoming
}

/// One neighbour of a node: the edge that joins them and where it came from.
public struct Neighbour: Sendable, Hashable {
    public var relation: Relation
    public var direction: EdgeDirection
    public var node: NodeIndex
    /// The source field that produced the edge (`Item.subjects`, `Agent.birthPlace`).
    public var provenance: String

    /// `maker` for an outgoing edge, its inverse name (`made`) for an incoming one.
    public var relationName: String { direction == .outgoing ? relation.name : relation.inverseName }
}

/// Node and edge counts of a graph.
public struct GraphStats: Sendable, Hashable {
    public var nodes: Int
    public var edges: Int
    /// Nodes per kind (every kind present, zero when absent).
    public var nodesByKind: [NodeKind: Int]
    /// Edges per relation (every relation present, zero when absent).
    public var edgesByRelation: [Relation: Int]
}

/// One hop of a path: the edge followed and the direction it was followed in.
public struct PathStep: Sendable, Hashable {
    public var from: NodeIndex
    public var relation: Relation
    public var direction: EdgeDirection
    public var to: NodeIndex
    public var provenance: String
}

/// A path between two nodes as a sequence of typed steps.
public struct GraphPath: Sendable, Hashable {
    public var steps: [PathStep]
    /// The nodes visited, starting with the source and ending with the target.
    public var nodes: [NodeIndex]
    /// Number of edges.
    public var length: Int { steps.count }
}

extension KnowledgeGraph {
    /// Counts of nodes per kind and edges per relation. O(kinds + relations).
    public func stats() -> GraphStats {
        var byKind: [NodeKind: Int] = [:]
        for k in NodeKind.allCases { byKind[k] = nodesByKind[Int(k.rawValue)].count }
        var byRelation: [Relation: Int] = [:]
        for r in Relation.allCases { byRelation[r] = adjacency(r).edgeCount }
        return GraphStats(nodes: nodeCount, edges: edgeCount, nodesByKind: byKind, edgesByRelation: byRelation)
    }

    /// The neighbours of `node`, outgoing edges first, each group by relation then node index.
    ///
    /// - Parameters:
    ///   - relations: only these relations (all when nil).
    ///   - direction: only this direction (both when nil).
    ///   - limit: at most this many neighbours per relation and direction (hubs such as `paper` have tens of thousands).
    public func neighbours(of node: NodeIndex, relations: Set<Relation>? = nil, direction: EdgeDirection? = nil,
                           limit: Int = .max) -> [Neighbour] {
        var out: [Neighbour] = []
        let n = node.int
        if direction != .incoming {
            for r in Relation.allCases where relations?.contains(r) ?? true {
                let adj = adjacency(r)
                let lo = Int(adj.outOffsets[n])
                let hi = lo + min(limit, Int(adj.outOffsets[n + 1]) - lo)
                for i in lo..<hi {
                    out.append(Neighbour(relation: r, direction: .outgoing, node: NodeIndex(adj.outTargets[i]),
                                         provenance: provenanceTable[Int(adj.outProvenance[i])]))
                }
            }
        }
        if direction != .outgoing {
            for r in Relation.allCases where relations?.contains(r) ?? true {
                let adj = adjacency(r)
                var taken = 0
                for s in adj.sources(n) {
                    if taken == limit { break }
                    taken += 1
                    let p = adj.edgePosition(source: Int(s), target: Int32(n)).map { provenanceTable[Int(adj.outProvenance[$0])] }
                    out.append(Neighbour(relation: r, direction: .incoming, node: NodeIndex(s),
                                         provenance: p ?? r.defaultProvenance))
                }
            }
        }
        return out
    }

    /// Total number of edges at `node` (both directions, all relations).
    public func degree(of node: NodeIndex) -> Int {
        adjacency.reduce(0) { $0 + $1.outDegree(node.int) + $1.inDegree(node.int) }
    }

    /// A shortest path from `source` to `target`, following edges in either direction.
    ///
    /// Breadth-first search; among equally short paths the one found first (relations in declaration order,
    /// outgoing before incoming, lower node indices first) is returned, so results are deterministic.
    /// - Parameters:
    ///   - maxHops: longest path considered.
    ///   - relations: relations that may be followed (all when nil).
    ///   - avoidingHubsAbove: nodes (other than the endpoints) with more edges than this are not passed through,
    ///     so that paths say something more specific than "both are on paper" (no limit when nil).
    /// - Throws: ``GraphError/noPath(from:to:maxHops:)`` when the nodes are not joined within `maxHops`.
    /// Complexity: O(nodes + edges) in the worst case.
    public func shortestPath(from source: NodeIndex, to target: NodeIndex, maxHops: Int = 6,
                             relations: Set<Relation>? = nil, avoidingHubsAbove: Int? = nil) throws -> GraphPath {
        guard maxHops >= 0 else { throw GraphError.badParameter(name: "max-hops", reason: "must be 0 or more") }
        if source == target { return GraphPath(steps: [], nodes: [source]) }
        let allowed = Relation.allCases.filter { relations?.contains($0) ?? true }
        // parent[n] = (previous node, relation, direction); -1 = unvisited.
        var parent = [Int32](repeating: -1, count: nodeCount)
        var parentRelation = [UInt8](repeating: 0, count: nodeCount)
        var parentOutgoing = [Bool](repeating: false, count: nodeCount)
        parent[source.int] = source.rawValue
        var frontier: [Int32] = [source.rawValue]
        var hops = 0
        var found = false
        search: while !frontier.isEmpty, hops < maxHops {
            hops += 1
            var next: [Int32] = []
            for u in frontier {
                let ui = Int(u)
                if u != source.rawValue, let cap = avoidingHubsAbove, degree(of: NodeIndex(u)) > cap { continue }
                for r in allowed {
                    let adj = adjacency(r)
                    for v in adj.targets(ui) where parent[Int(v)] < 0 {
                        parent[Int(v)] = u; parentRelation[Int(v)] = r.rawValue; parentOutgoing[Int(v)] = true
                        if v == target.rawValue { found = true; break search }
                        next.append(v)
                    }
                    for v in adj.sources(ui) where parent[Int(v)] < 0 {
                        parent[Int(v)] = u; parentRelation[Int(v)] = r.rawValue; parentOutgoing[Int(v)] = false
                        if v == target.rawValue { found = true; break search }
                        next.append(v)
                    }
                }
            }
            frontier = next
        }
        guard found else {
            throw GraphError.noPath(from: reference(of: source), to: reference(of: target), maxHops: maxHops)
        }
        var steps: [PathStep] = []
        var v = target.rawValue
        while v != source.rawValue {
            let u = parent[Int(v)]
            let r = Relation(rawValue: parentRelation[Int(v)])!
            let outgoing = parentOutgoing[Int(v)]
            let (s, t) = outgoing ? (u, v) : (v, u)
            let prov = provenance(NodeIndex(s), r, NodeIndex(t)) ?? r.defaultProvenance
            steps.append(PathStep(from: NodeIndex(u), relation: r, direction: outgoing ? .outgoing : .incoming,
                                  to: NodeIndex(v), provenance: prov))
            v = u
        }
        steps.reverse()
        return GraphPath(steps: steps, nodes: [source] + steps.map(\.to))
    }
}
