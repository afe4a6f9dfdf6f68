import CurioCore
import CurioGraph
import Foundation

/// Counts of the knowledge graph, as printed by `curio graph stats`.
public struct GraphSummary: Sendable, Codable, Equatable {
    public var nodes: Int
    public var edges: Int
    /// Nodes per kind (`item`, `agent`, `subject`…).
    public var nodesByKind: [String: Int]
    /// Edges per relation (`maker`, `about`, `broader`…).
    public var edgesByRelation: [String: Int]
    /// References the builder could not resolve (items crediting unknown agents, unknown concepts…).
    public var danglingReferences: Int
    public var buildSeconds: Double

    enum CodingKeys: String, CodingKey {
        case nodes, edges
        case nodesByKind = "nodes_by_kind"
        case edgesByRelation = "edges_by_relation"
        case danglingReferences = "dangling_references"
        case buildSeconds = "build_seconds"
    }
}

/// A node of the graph as shown to people: `kind:key` reference and label.
public struct GraphNodeSummary: Sendable, Codable, Equatable {
    public var reference: String
    public var kind: String
    public var label: String
}

/// One typed neighbour with the edge's provenance.
public struct GraphNeighbourSummary: Sendable, Codable, Equatable {
    /// The relation as seen from the node (`maker`, or `made` for the inverse).
    public var relation: String
    public var node: GraphNodeSummary
    /// The source field that produced the edge (`Item.makers[role=artist]`).
    public var provenance: String
}

/// A node and its neighbours.
public struct GraphNeighbourhood: Sendable, Codable, Equatable {
    public var node: GraphNodeSummary
    /// All neighbours, before `limit`.
    public var degree: Int
    public var neighbours: [GraphNeighbourSummary]
}

/// The shortest path between two nodes.
public struct GraphPathSummary: Sendable, Codable, Equatable {
    public struct Step: Sendable, Codable, Equatable {
        public var from: GraphNodeSummary
        public var relation: String
        public var to: GraphNodeSummary
        public var provenance: String
    }
    public var from: GraphNodeSummary
    public var to: GraphNodeSummary
    public var length: Int
    public var steps: [Step]
}

/// The two export formats.
public enum GraphExportFormat: String, Sendable, CaseIterable {
    case nt, jsonld
}

extension Curio {
    /// The knowledge graph of the collection (built from the stored items, makers and concepts; the serving
    /// snapshot's graph when one is loaded).
    public func knowledgeGraph() throws -> (graph: KnowledgeGraph, summary: GraphSummary) {
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        let agents = try store.allAgents()
        let concepts = try store.concepts(scheme: nil)
        let start = Date()
        let (graph, report) = KnowledgeGraph.buildWithReport(items: items, agents: agents, concepts: concepts)
        let stats = graph.stats()
        let summary = GraphSummary(
            nodes: stats.nodes, edges: stats.edges,
            nodesByKind: Dictionary(uniqueKeysWithValues: stats.nodesByKind.map { ($0.key.name, $0.value) }),
            edgesByRelation: Dictionary(uniqueKeysWithValues: stats.edgesByRelation.map { ($0.key.name, $0.value) }),
            danglingReferences: report.danglingAgents + report.danglingConcepts + report.danglingBroader,
            buildSeconds: Date().timeIntervalSince(start))
        return (graph, summary)
    }

    /// A node's typed neighbours (at most `limit`, for hubs such as `paper`).
    /// - Throws: ``CurioGraph/GraphError/unknownNode(id:)``.
    public func graphNeighbours(of reference: String, limit: Int = 50) throws -> GraphNeighbourhood {
        let graph = try knowledgeGraph().graph
        let node = try graph.resolve(reference)
        let all = graph.neighbours(of: node)
        let shown = all.prefix(limit).map {
            GraphNeighbourSummary(relation: $0.relationName, node: Self.summary(of: $0.node, in: graph), provenance: $0.provenance)
        }
        return GraphNeighbourhood(node: Self.summary(of: node, in: graph), degree: all.count, neighbours: Array(shown))
    }

    /// The shortest path between two nodes (edges followed either way), avoiding hubs with more than
    /// `avoidingHubsAbove` neighbours so that paths say something.
    /// - Throws: ``CurioGraph/GraphError/unknownNode(id:)``, ``CurioGraph/GraphError/noPath(from:to:maxHops:)``.
    public func graphPath(from a: String, to b: String, maxHops: Int = 6, avoidingHubsAbove: Int? = 1_000) throws -> GraphPathSummary {
        let graph = try knowledgeGraph().graph
        let source = try graph.resolve(a), target = try graph.resolve(b)
        let path = try graph.shortestPath(from: source, to: target, maxHops: maxHops, avoidingHubsAbove: avoidingHubsAbove)
        return GraphPathSummary(
            from: Self.summary(of: source, in: graph), to: Self.summary(of: target, in: graph), length: path.length,
            steps: path.steps.map {
                .init(from: Self.summary(of: $0.from, in: graph),
                      relation: $0.direction == .outgoing ? $0.relation.name : $0.relation.inverseName,
                      to: Self.summary(of: $0.to, in: graph), provenance: $0.provenance)
            })
    }

    /// Writes the graph as N-Triples or JSON-LD; returns the graph's counts.
    /// - Throws: ``CurioGraph/GraphError/cannotWrite(path:reason:)``, ``CurioGraph/GraphError/badParameter(name:reason:)``.
    public func exportGraph(format: GraphExportFormat, to path: String, base: String = NodeIRIs.defaultBase) throws -> GraphSummary {
        let (graph, summary) = try knowledgeGraph()
        switch format {
        case .nt: try graph.writeNTriples(to: path, base: base)
        case .jsonld: try graph.writeJSONLD(to: path, base: base)
        }
        return summary
    }

    static func summary(of node: NodeIndex, in graph: KnowledgeGraph) -> GraphNodeSummary {
        GraphNodeSummary(reference: graph.reference(of: node), kind: graph.kind(of: node).name, label: graph.label(of: node))
    }
}
