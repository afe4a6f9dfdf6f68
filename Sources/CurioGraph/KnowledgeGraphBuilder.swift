import CurioCore

/// Options controlling which derived nodes the builder creates.
public struct GraphBuildOptions: Sendable, Hashable {
    /// Items whose parsed date spans at most this many years get a decade edge (midpoint decade).
    public var maxDecadeSpan: Int
    /// Items whose parsed date spans at most this many years get a century edge (midpoint century).
    public var maxCenturySpan: Int
    /// Whether to read material terms from `Item.medium` (``MediumNormalizer``).
    public var includeMaterials: Bool
    /// Roles (lower-case) that make an item → agent edge ``Relation/relatedMaker`` instead of ``Relation/maker``.
    public var derivativeRoles: Set<String>

    public init(maxDecadeSpan: Int = 20, maxCenturySpan: Int = 100, includeMaterials: Bool = true,
                derivativeRoles: Set<String> = GraphBuildOptions.standardDerivativeRoles) {
        self.maxDecadeSpan = maxDecadeSpan
        self.maxCenturySpan = maxCenturySpan
        self.includeMaterials = includeMaterials
        self.derivativeRoles = derivativeRoles
    }

    /// Maker roles naming someone whose work the object follows rather than its maker.
    public static let standardDerivativeRoles: Set<String> = [
        "after", "prints after", "copy after", "manner of", "imitator of", "follower of", "school of", "circle of",
        "pupil of", "formerly attributed to", "associated with", "style of", "workshop of",
    ]
}

/// What the builder noticed while building: references to records it was not given.
public struct GraphBuildReport: Sendable, Hashable {
    /// Concepts referenced by items or agents but not supplied (a node was created from the id).
    public var danglingConcepts: Int = 0
    /// Agents credited on items but not supplied (a node was created from the credited name).
    public var danglingAgents: Int = 0
    /// Broader concepts referenced but not supplied.
    public var danglingBroader: Int = 0
    /// Items without a parsed date, or whose date is too wide for a decade or century.
    public var itemsWithoutPeriod: Int = 0
    /// A few example messages, for logs.
    public var examples: [String] = []

    mutating func note(_ message: String) {
        if examples.count < 20 { examples.append(message) }
    }
}

/// Accumulates nodes and typed edges, then freezes them into a ``KnowledgeGraph``.
///
/// Nodes are created on first mention and never duplicated (one node per kind and key).
/// Edges may be added in any order; duplicates keep their first provenance.
public struct KnowledgeGraphBuilder: Sendable {
    private var kinds: [NodeKind] = []
    private var keys: [String] = []
    private var labels: [String] = []
    private var lookup = [[String: Int32]](repeating: [:], count: NodeKind.allCases.count)
    private var edgeSources = [[Int32]](repeating: [], count: Relation.allCases.count)
    private var edgeTargets = [[Int32]](repeating: [], count: Relation.allCases.count)
    private var edgeProvenance = [[UInt16]](repeating: [], count: Relation.allCases.count)
    private var provenanceTable: [String] = []
    private var provenanceIndex: [String: UInt16] = [:]
    private var conceptNodes: [ConceptID: Int32] = [:]
    private var mediumCache: [String: (media: [Int32], supports: [Int32])] = [:]
    /// Options used when adding records.
    public let options: GraphBuildOptions
    /// What was noticed so far.
    public private(set) var report = GraphBuildReport()

    public init(options: GraphBuildOptions = GraphBuildOptions()) {
        self.options = options
        for r in Relation.allCases { _ = provenanceID(r.defaultProvenance) }
    }

    /// Number of nodes so far.
    public var nodeCount: Int { kinds.count }

    /// The node of `kind` with `key`, created with `label` if new. An empty existing label is replaced.
    @discardableResult
    public mutating func node(_ kind: NodeKind, key: String, label: String) -> NodeIndex {
        let k = Int(kind.rawValue)
        if let n = lookup[k][key] {
            if labels[Int(n)].isEmpty, !label.isEmpty { labels[Int(n)] = label }
            return NodeIndex(n)
        }
        let n = Int32(kinds.count)
        kinds.append(kind)
        keys.append(key)
        labels.append(label)
        lookup[k][key] = n
        return NodeIndex(n)
    }

    /// Kind of a node created by this builder.
    public func kind(of node: NodeIndex) -> NodeKind { kinds[node.int] }

    /// Replaces the label of `node`.
    public mutating func setLabel(_ node: NodeIndex, _ label: String) { labels[node.int] = label }

    /// The existing node of `kind` with `key`, if any.
    public func existingNode(_ kind: NodeKind, key: String) -> NodeIndex? {
        lookup[Int(kind.rawValue)][key].map(NodeIndex.init)
    }

    /// Adds `source —relation→ target`, recording `provenance` (default: the relation's).
    /// - Throws: ``GraphError/badParameter(name:reason:)`` when the node kinds do not fit the relation.
    public mutating func addEdge(_ source: NodeIndex, _ relation: Relation, _ target: NodeIndex,
                                 provenance: String? = nil) throws {
        guard relation.domain.contains(kinds[source.int]), relation.range.contains(kinds[target.int]) else {
            throw GraphError.badParameter(
                name: "edge", reason: "\(relation.name) cannot join a \(kinds[source.int].name) to a \(kinds[target.int].name)")
        }
        appendEdge(source.rawValue, relation, target.rawValue, provenanceID(provenance ?? relation.defaultProvenance))
    }

    private mutating func appendEdge(_ s: Int32, _ r: Relation, _ t: Int32, _ p: UInt16) {
        let i = Int(r.rawValue)
        edgeSources[i].append(s)
        edgeTargets[i].append(t)
        edgeProvenance[i].append(p)
    }

    private mutating func provenanceID(_ text: String) -> UInt16 {
        if let id = provenanceIndex[text] { return id }
        let id = UInt16(clamping: provenanceTable.count)
        provenanceTable.append(text)
        provenanceIndex[text] = id
        return id
    }

    // MARK: Records

    /// Adds concepts and their hierarchy. Subjects, movements and eras are keyed by concept id; materials and
    /// classifications by their normalised label, so that they meet the terms read from items' text fields.
    public mutating func add(concepts: [Concept]) {
        var byID: [ConceptID: Concept] = [:]
        for c in concepts { byID[c.id] = c }
        for c in concepts { _ = conceptNode(c) }
        let broaderProvenance = provenanceID(Relation.broader.defaultProvenance)
        for c in concepts {
            guard let b = c.broader, let n = conceptNodes[c.id] else { continue }
            let bn: Int32
            let broaderKind: NodeKind
            if let bc = byID[b] {
                bn = conceptNode(bc)
                broaderKind = kinds[Int(bn)]
            } else {
                report.danglingBroader += 1
                report.note("concept \(c.id): broader \(b) was not supplied")
                broaderKind = kinds[Int(n)]
                bn = node(broaderKind, key: b.rawValue, label: b.rawValue).rawValue
                conceptNodes[b] = bn
            }
            let relation: Relation = (kinds[Int(n)] == .movement && broaderKind == .era) ? .era : .broader
            guard relation.domain.contains(kinds[Int(n)]), relation.range.contains(broaderKind) else {
                report.note("concept \(c.id): broader \(b) is a \(broaderKind.name), not joined")
                continue
            }
            appendEdge(n, relation, bn, broaderProvenance)
        }
    }

    private mutating func conceptNode(_ c: Concept) -> Int32 {
        if let n = conceptNodes[c.id] { return n }
        let n: NodeIndex
        switch c.scheme {
        case .subject: n = node(.subject, key: c.id.rawValue, label: c.label)
        case .movement: n = node(.movement, key: c.id.rawValue, label: c.label)
        case .era: n = node(.era, key: c.id.rawValue, label: c.label)
        case .material:
            let term = MediumNormalizer.terms(c.label).media.first ?? c.label.lowercased()
            n = node(.material, key: term, label: term)
        case .classification:
            n = node(.classification, key: Self.classificationKey(c.label), label: c.label)
        }
        conceptNodes[c.id] = n.rawValue
        return n.rawValue
    }

    /// Adds agents with their movements and places (birth, death, activity; each place → its country).
    public mutating func add(agents: [Agent]) {
        for a in agents {
            let n = node(.agent, key: a.id.rawValue, label: a.name).rawValue
            for m in a.movements {
                appendEdge(n, .agentMovement, referencedConcept(m, kind: .movement, from: "agent \(a.id)"),
                           provenanceID(Relation.agentMovement.defaultProvenance))
            }
            if let p = a.birthPlace { appendEdge(n, .birthPlace, placeNode(p), provenanceID(Relation.birthPlace.defaultProvenance)) }
            if let p = a.deathPlace { appendEdge(n, .deathPlace, placeNode(p), provenanceID(Relation.deathPlace.defaultProvenance)) }
            for p in a.activePlaces {
                appendEdge(n, .activePlace, placeNode(p), provenanceID(Relation.activePlace.defaultProvenance))
            }
        }
    }

    private mutating func placeNode(_ p: Place) -> Int32 {
        let n = node(.place, key: p.key, label: p.name).rawValue
        if let country = p.country?.trimmingSpaces, !country.isEmpty, country.lowercased() != p.key {
            let c = node(.place, key: country.lowercased(), label: country).rawValue
            appendEdge(n, .containedIn, c, provenanceID(Relation.containedIn.defaultProvenance))
        }
        return n
    }

    private mutating func referencedConcept(_ id: ConceptID, kind: NodeKind, from: String) -> Int32 {
        if let n = conceptNodes[id] { return n }
        report.danglingConcepts += 1
        report.note("\(from): \(kind.name) \(id) was not supplied")
        let n = node(kind, key: id.rawValue, label: id.rawValue).rawValue
        conceptNodes[id] = n
        return n
    }

    /// Adds items with their makers, subjects, movements, periods, materials and classification.
    public mutating func add(items: [Item]) {
        let pMaker = provenanceID(Relation.maker.defaultProvenance)
        let pAbout = provenanceID(Relation.about.defaultProvenance)
        let pMovement = provenanceID(Relation.movement.defaultProvenance)
        let pDate = provenanceID(Relation.decade.defaultProvenance)
        let pMedium = provenanceID(Relation.medium.defaultProvenance)
        let pClass = provenanceID(Relation.classification.defaultProvenance)
        let pDecadeCentury = provenanceID(Self.decadeCenturyProvenance)
        for item in items {
            let n = node(.item, key: item.id.rawValue, label: item.title).rawValue
            for credit in item.makers {
                let agent: Int32
                if let a = lookup[Int(NodeKind.agent.rawValue)][credit.agent.rawValue] {
                    agent = a
                } else {
                    report.danglingAgents += 1
                    report.note("item \(item.id): agent \(credit.agent) was not supplied")
                    agent = node(.agent, key: credit.agent.rawValue, label: credit.name).rawValue
                }
                let role = credit.role.lowercased()
                let relation: Relation = options.derivativeRoles.contains(role) ? .relatedMaker : .maker
                let p: UInt16
                if relation == .maker, role == "artist" || role.isEmpty { p = pMaker }
                else if relation == .relatedMaker, role == "after" { p = provenanceID(Relation.relatedMaker.defaultProvenance) }
                else { p = provenanceID("Item.makers[role=\(role)]") }
                appendEdge(n, relation, agent, p)
            }
            for s in item.subjects {
                appendEdge(n, .about, referencedConcept(s, kind: .subject, from: "item \(item.id)"), pAbout)
            }
            for m in item.movements {
                appendEdge(n, .movement, referencedConcept(m, kind: .movement, from: "item \(item.id)"), pMovement)
            }
            var dated = false
            if let date = item.date {
                let span = date.endYear - date.startYear
                var centuryNode: Int32?
                if span <= options.maxCenturySpan {
                    let c = date.century
                    let cn = node(.century, key: String(c), label: PeriodLabels.century(c)).rawValue
                    appendEdge(n, .century, cn, pDate)
                    centuryNode = cn
                    dated = true
                }
                if span <= options.maxDecadeSpan {
                    let d = date.decade
                    let isNew = lookup[Int(NodeKind.decade.rawValue)][String(d)] == nil
                    let dn = node(.decade, key: String(d), label: PeriodLabels.decade(d)).rawValue
                    appendEdge(n, .decade, dn, pDate)
                    if isNew {
                        let c = PeriodLabels.century(ofDecade: d)
                        let cn = c == date.century ? (centuryNode ?? node(.century, key: String(c), label: PeriodLabels.century(c)).rawValue)
                            : node(.century, key: String(c), label: PeriodLabels.century(c)).rawValue
                        appendEdge(dn, .broader, cn, pDecadeCentury)
                    }
                    dated = true
                }
            }
            if !dated { report.itemsWithoutPeriod += 1 }
            if options.includeMaterials, let medium = item.medium, !medium.isEmpty {
                let terms: (media: [Int32], supports: [Int32])
                if let cached = mediumCache[medium] {
                    terms = cached
                } else {
                    let t = MediumNormalizer.terms(medium)
                    terms = (t.media.map { node(.material, key: $0, label: $0).rawValue },
                             t.supports.map { node(.material, key: $0, label: $0).rawValue })
                    mediumCache[medium] = terms
                }
                for m in terms.media { appendEdge(n, .medium, m, pMedium) }
                for m in terms.supports { appendEdge(n, .support, m, pMedium) }
            }
            if let c = item.classification?.trimmingSpaces, !c.isEmpty {
                appendEdge(n, .classification, node(.classification, key: Self.classificationKey(c), label: c).rawValue, pClass)
            }
        }
    }

    /// Provenance of decade → century edges.
    public static let decadeCenturyProvenance = "DateRange.decade"

    static func classificationKey(_ label: String) -> String { label.trimmingSpaces.lowercased() }

    /// Freezes the accumulated nodes and edges into a graph. Complexity: O(N + E).
    public func finish() -> KnowledgeGraph {
        let n = kinds.count
        var adjacency: [RelationAdjacency] = []
        for r in Relation.allCases {
            let i = Int(r.rawValue)
            adjacency.append(RelationAdjacency(nodeCount: n, sources: edgeSources[i], targets: edgeTargets[i],
                                               provenance: edgeProvenance[i]))
        }
        return KnowledgeGraph(kinds: kinds, keys: keys, labels: labels, adjacency: adjacency,
                              provenanceTable: provenanceTable)
    }
}

extension KnowledgeGraph {
    /// Builds the knowledge graph of a collection from Core records.
    ///
    /// Concepts are added first (so hierarchies are in place), then agents with their places and movements,
    /// then items. References to records that were not supplied still get a node, and are counted in the report.
    /// Complexity: O(records + edges); the full Tate collection (69,202 items) builds in well under a second
    /// in release builds.
    public static func build(items: [Item], agents: [Agent], concepts: [Concept],
                             options: GraphBuildOptions = GraphBuildOptions()) -> KnowledgeGraph {
        buildWithReport(items: items, agents: agents, concepts: concepts, options: options).graph
    }

    /// Like ``build(items:agents:concepts:options:)``, also returning what the builder noticed.
    public static func buildWithReport(items: [Item], agents: [Agent], concepts: [Concept],
                                       options: GraphBuildOptions = GraphBuildOptions())
        -> (graph: KnowledgeGraph, report: GraphBuildReport) {
        var b = KnowledgeGraphBuilder(options: options)
        b.add(concepts: concepts)
        b.add(agents: agents)
        b.add(items: items)
        return (b.finish(), b.report)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and new lines.
    var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
