/// A symmetric meta-path between two items, described by its half from an item up to the shared middle node.
///
/// `item —maker→ agent ←maker— item` has the half `[maker]`; `item —about→ subject —broader→ subject ←broader—
/// subject ←about— item` has the half `[about, broader]`. The full path is the half followed by its mirror image.
/// ``distinctPositions`` lists half positions whose nodes must differ between the two sides, so that a path
/// through a place passes through two *different* artists (the same artist is already ``sameMaker``).
public struct MetaPath: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One step of the half path, always followed from the item side outwards.
    public enum Step: Hashable, Sendable, Codable {
        /// Any of these knowledge-graph relations, outgoing.
        case graph([Relation])
        /// From an item to the visitors who interacted with it (the interaction graph, not the catalogue).
        case visitors
    }

    /// Stable name (`item-maker-item`), used as a feature name and in reports.
    public var name: String
    /// The kind of evidence a path instance is.
    public var evidence: EvidenceKind
    /// Steps from an item to the middle node.
    public var half: [Step]
    /// Positions in `1..<half.count` whose nodes must differ between the two halves.
    public var distinctPositions: [Int]

    /// A meta-path from its half, the evidence it gives and its distinct positions.
    public init(name: String, evidence: EvidenceKind, half: [Step], distinctPositions: [Int] = []) {
        self.name = name
        self.evidence = evidence
        self.half = half
        self.distinctPositions = distinctPositions.sorted()
    }

    public var description: String { name }

    /// Whether the path uses the interaction graph.
    public var usesVisitors: Bool { half.contains(.visitors) }

    /// Items by the same maker.
    public static let sameMaker = MetaPath(name: "item-maker-item", evidence: .sharedMaker, half: [.graph([.maker])])
    /// Items after (or in the manner of) the same maker.
    public static let sameRelatedMaker = MetaPath(name: "item-after-item", evidence: .relatedMaker,
                                                  half: [.graph([.relatedMaker])])
    /// Items depicting the same subject term.
    public static let sameSubject = MetaPath(name: "item-subject-item", evidence: .sharedSubject, half: [.graph([.about])])
    /// Different subject terms under the same broader concept.
    public static let broaderSubject = MetaPath(name: "item-subject-broader-subject-item", evidence: .broaderSubject,
                                                half: [.graph([.about]), .graph([.broader])], distinctPositions: [1])
    /// Items of the same movement.
    public static let sameMovement = MetaPath(name: "item-movement-item", evidence: .sameMovement,
                                              half: [.graph([.movement])])
    /// Different artists of the same movement.
    public static let makerMovement = MetaPath(name: "item-maker-movement-maker-item", evidence: .sameMovement,
                                               half: [.graph([.maker]), .graph([.agentMovement])], distinctPositions: [1])
    /// Items of the same decade.
    public static let sameDecade = MetaPath(name: "item-decade-item", evidence: .samePeriod, half: [.graph([.decade])])
    /// Items of the same century.
    public static let sameCentury = MetaPath(name: "item-century-item", evidence: .samePeriod, half: [.graph([.century])])
    /// Different artists born, active or dead in the same place.
    public static let samePlace = MetaPath(name: "item-maker-place-maker-item", evidence: .samePlace,
                                           half: [.graph([.maker]), .graph([.birthPlace, .deathPlace, .activePlace])],
                                           distinctPositions: [1])
    /// Different artists linked to different places of the same country.
    public static let sameCountry = MetaPath(name: "item-maker-place-country-place-maker-item", evidence: .samePlace,
                                             half: [.graph([.maker]), .graph([.birthPlace, .deathPlace, .activePlace]),
                                                    .graph([.containedIn])],
                                             distinctPositions: [1, 2])
    /// Items in the same medium.
    public static let sameMedium = MetaPath(name: "item-medium-item", evidence: .sharedMaterial, half: [.graph([.medium])])
    /// Items on the same support.
    public static let sameSupport = MetaPath(name: "item-support-item", evidence: .sharedMaterial, half: [.graph([.support])])
    /// Items of the same classification.
    public static let sameClassification = MetaPath(name: "item-classification-item", evidence: .sharedClassification,
                                                    half: [.graph([.classification])])
    /// Items shared by the same visitors (the interaction graph).
    public static let coVisitation = MetaPath(name: "item-visitor-item", evidence: .coVisitation, half: [.visitors])

    /// Every catalogue meta-path.
    public static let catalogue: [MetaPath] = [
        sameMaker, sameRelatedMaker, sameSubject, broaderSubject, sameMovement, makerMovement, sameDecade, sameCentury,
        samePlace, sameCountry, sameMedium, sameSupport, sameClassification,
    ]
    /// Catalogue meta-paths plus co-visitation.
    public static let standard: [MetaPath] = catalogue + [coVisitation]
}

/// One compiled step: a sparse 0/1 matrix from one node space to the next, in both directions.
/// A class (immutable) so that reading a step while walking paths costs one reference count, not four.
final class StepMatrix: Sendable {
    let fromCount: Int
    let toCount: Int
    let fwdOffsets: [Int32]
    let fwdTargets: [Int32]
    let bwdOffsets: [Int32]
    let bwdSources: [Int32]

    init(fromCount: Int, toCount: Int, fwdOffsets: [Int32], fwdTargets: [Int32], bwdOffsets: [Int32], bwdSources: [Int32]) {
        self.fromCount = fromCount
        self.toCount = toCount
        self.fwdOffsets = fwdOffsets
        self.fwdTargets = fwdTargets
        self.bwdOffsets = bwdOffsets
        self.bwdSources = bwdSources
    }

    /// From (source, target) pairs; duplicates are merged.
    convenience init(fromCount: Int, toCount: Int, sources: [Int32], targets: [Int32]) {
        var counts = [Int32](repeating: 0, count: fromCount + 1)
        for s in sources { counts[Int(s) + 1] += 1 }
        for i in 0..<fromCount { counts[i + 1] += counts[i] }
        var fill = counts
        var rows = [Int32](repeating: 0, count: sources.count)
        for (s, t) in zip(sources, targets) {
            rows[Int(fill[Int(s)])] = t
            fill[Int(s)] += 1
        }
        var offsets = [Int32](repeating: 0, count: fromCount + 1)
        var out: [Int32] = []
        out.reserveCapacity(sources.count)
        for n in 0..<fromCount {
            let lo = Int(counts[n]), hi = Int(counts[n + 1])
            if hi > lo {
                let row = rows[lo..<hi].sorted()
                var last: Int32 = -1
                for t in row where t != last { out.append(t); last = t }
            }
            offsets[n + 1] = Int32(out.count)
        }
        var inCounts = [Int32](repeating: 0, count: toCount + 1)
        for t in out { inCounts[Int(t) + 1] += 1 }
        for i in 0..<toCount { inCounts[i + 1] += inCounts[i] }
        var inFill = inCounts
        var inS = [Int32](repeating: 0, count: out.count)
        for n in 0..<fromCount {
            for i in Int(offsets[n])..<Int(offsets[n + 1]) {
                let t = Int(out[i])
                inS[Int(inFill[t])] = Int32(n)
                inFill[t] += 1
            }
        }
        self.init(fromCount: fromCount, toCount: toCount, fwdOffsets: offsets, fwdTargets: out,
                  bwdOffsets: inCounts, bwdSources: inS)
    }

    /// The step for a set of graph relations (shares the graph's storage for a single relation).
    convenience init(graph: KnowledgeGraph, relations: [Relation]) {
        let n = graph.nodeCount
        if relations.count == 1 {
            let a = graph.adjacency(relations[0])
            self.init(fromCount: n, toCount: n, fwdOffsets: a.outOffsets, fwdTargets: a.outTargets,
                      bwdOffsets: a.inOffsets, bwdSources: a.inSources)
            return
        }
        var s: [Int32] = [], t: [Int32] = []
        for r in relations {
            let a = graph.adjacency(r)
            for u in 0..<n {
                for v in a.targets(u) {
                    s.append(Int32(u))
                    t.append(v)
                }
            }
        }
        self.init(fromCount: n, toCount: n, sources: s, targets: t)
    }

    @inline(__always) func fwdDegree(_ u: Int) -> Int { Int(fwdOffsets[u + 1] - fwdOffsets[u]) }
    @inline(__always) func bwdDegree(_ v: Int) -> Int { Int(bwdOffsets[v + 1] - bwdOffsets[v]) }
}

/// A meta-path compiled against one graph (and interaction graph).
///
/// A class, so that the walks (which take one per path, per candidate) hold it with one reference count rather
/// than copying the path's name, steps and flags each time.
final class CompiledMetaPath: Sendable {
    let path: MetaPath
    let steps: [StepMatrix]
    /// Whether half position `p` must differ between the two halves, for p in 0...steps.count.
    let isDistinct: [Bool]
    let firstDistinct: Int
    /// The path's evidence kind and whether it walks through visitors (``MetaPath/usesVisitors`` compares every
    /// step), read once here.
    let evidence: EvidenceKind
    let usesVisitors: Bool

    init(path: MetaPath, steps: [StepMatrix]) {
        self.path = path
        self.steps = steps
        evidence = path.evidence
        usesVisitors = path.usesVisitors
        var d = [Bool](repeating: false, count: steps.count + 1)
        for p in path.distinctPositions where p > 0 && p < steps.count { d[p] = true }
        isDistinct = d
        firstDistinct = path.distinctPositions.first(where: { $0 > 0 && $0 < steps.count }) ?? steps.count
    }

    var length: Int { steps.count }
}
