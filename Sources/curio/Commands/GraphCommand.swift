import CurioCore
import CurioGraph
import CurioKit
import Foundation

/// `curio graph`: the collection's knowledge graph.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "graph",
        abstract: "Explore or export the knowledge graph (items, makers, subjects, movements, places, periods, materials).",
        discussion: """
            Nodes are named kind:key (item:N01981, agent:tate:artist:558, subject:tate:subject:1050, decade:1840, \
            material:oil paint); a bare key is tried as an item, agent, subject, movement, era, place, \
            classification and material in that order. See docs/graph.md.
            """,
        subcommands: [GraphStatsCommand.self, GraphNeighboursCommand.self, GraphPathCommand.self, GraphExportCommand.self])
}

struct GraphStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(name: "stats", abstract: "Nodes per kind and edges per relation.",
                                                    examples: ["curio graph stats", "curio graph stats --json"])
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let summary = try curio.knowledgeGraph().summary
        if global.json {
            try context.console.printJSON(summary)
            return .success
        }
        context.console.out("\(ProgressBar.grouped(summary.nodes)) nodes, \(ProgressBar.grouped(summary.edges)) edges (built in \(String(format: "%.1f", summary.buildSeconds)) s)\n\n")
        var nodes = TextTable([.init(title: "node kind"), .init(title: "count", alignRight: true)])
        for (k, v) in summary.nodesByKind.sorted(by: { $0.value > $1.value }) where v > 0 { nodes.append([k, ProgressBar.grouped(v)]) }
        var edges = TextTable([.init(title: "relation"), .init(title: "edges", alignRight: true)])
        for (k, v) in summary.edgesByRelation.sorted(by: { $0.value > $1.value }) where v > 0 { edges.append([k, ProgressBar.grouped(v)]) }
        context.console.out(nodes.render(width: context.console.width) + "\n" + edges.render(width: context.console.width))
        if summary.danglingReferences > 0 {
            context.console.out("\n\(ProgressBar.grouped(summary.danglingReferences)) references to records that are not stored got nodes of their own.\n")
        }
        return .success
    }
}

struct GraphNeighboursCommand: ParsableCommand {
    static let configuration = CommandConfiguration(name: "neighbours", abstract: "A node's typed neighbours with provenance.",
                                                    examples: ["curio graph neighbours N01981", "curio graph neighbours agent:tate:artist:558 --limit 20"])
    @Argument(valueName: "node", help: "A node reference (kind:key) or a bare key.")
    var node: String
    @Option(valueName: "n", help: "Show at most this many neighbours.")
    var limit: Int = 50
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...100_000).contains(limit) { throw CLIError.usage("--limit must be between 1 and 100000") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let n = try curio.graphNeighbours(of: node, limit: limit)
        if global.json {
            try context.console.printJSON(n)
            return .success
        }
        context.console.out("\(n.node.reference)  \(n.node.label)  (\(n.degree) neighbour\(n.degree == 1 ? "" : "s"))\n\n")
        var table = TextTable([.init(title: "relation"), .init(title: "node", maxWidth: 40), .init(title: "label", flexible: true, maxWidth: 60),
                               .init(title: "provenance", maxWidth: 40)])
        for x in n.neighbours { table.append([x.relation, x.node.reference, x.node.label, x.provenance]) }
        context.console.out(table.render(width: context.console.width))
        if n.degree > n.neighbours.count { context.console.out("… \(n.degree - n.neighbours.count) more (--limit)\n") }
        return .success
    }
}

struct GraphPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(name: "path", abstract: "The shortest path between two nodes.",
                                                    examples: ["curio graph path N01981 T03613", "curio graph path N01981 subject:tate:subject:557 --json"])
    @Argument(valueName: "a", help: "From this node.")
    var from: String
    @Argument(valueName: "b", help: "To this node.")
    var to: String
    @Option(valueName: "n", help: "Give up beyond this many hops.")
    var maxHops: Int = 6
    @Option(valueName: "n", help: "Do not pass through nodes with more neighbours than this (0: no limit).")
    var avoidHubs: Int = 1_000
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if !(1...20).contains(maxHops) { throw CLIError.usage("--max-hops must be between 1 and 20") }
        if avoidHubs < 0 { throw CLIError.usage("--avoid-hubs must not be negative") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let path = try curio.graphPath(from: from, to: to, maxHops: maxHops, avoidingHubsAbove: avoidHubs == 0 ? nil : avoidHubs)
        if global.json {
            try context.console.printJSON(path)
            return .success
        }
        context.console.out("\(path.from.label) → \(path.to.label): \(path.length) hop\(path.length == 1 ? "" : "s")\n")
        for s in path.steps {
            context.console.out("  \(s.from.reference) (\(s.from.label))  —\(s.relation)→  \(s.to.reference) (\(s.to.label))   [\(s.provenance)]\n")
        }
        return .success
    }
}

extension GraphExportFormat: ExpressibleByArgument {}

struct GraphExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "export", abstract: "Write the graph as N-Triples or JSON-LD (schema.org, CIDOC-CRM, SKOS terms).",
        examples: ["curio graph export --format nt --output collection.nt", "curio graph export --format jsonld --output collection.jsonld"])
    @Option(valueName: "format", help: "nt (N-Triples) or jsonld.")
    var format: GraphExportFormat = .nt
    @Option(valueName: "file", help: "Where to write (written to a temporary file, then renamed into place).")
    var output: String = ""
    @Option(valueName: "iri", help: "Base IRI of the nodes (absolute, ending in / or #).")
    var base: String = NodeIRIs.defaultBase
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if output.trimmingWhitespace().isEmpty { throw CLIError.usage("--output is required") }
    }

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let summary = try curio.exportGraph(format: format, to: (output as NSString).expandingTildeInPath, base: base)
        if global.json {
            try context.console.printJSON(GraphExportResult(output: output, format: format.rawValue, graph: summary))
            return .success
        }
        context.console.out("Wrote \(output): \(ProgressBar.grouped(summary.nodes)) nodes, \(ProgressBar.grouped(summary.edges)) edges (\(format.rawValue))\n")
        return .success
    }
}

/// `curio graph export --json`.
struct GraphExportResult: Encodable {
    var output: String
    var format: String
    var graph: GraphSummary
}
