import CurioCore
import CurioMath
import Foundation

/// What removing a piece of evidence means when measuring explanation fidelity.
public enum EvidenceRemoval: String, Sendable, Codable, CaseIterable {
    /// Drop the liked item the evidence cites from the visitor's history.
    case likedItem = "liked_item"
    /// Cut the candidate's links that carry the cited evidence (e.g. the `maker` edge to the shared artist).
    case evidenceLinks = "evidence_links"
}

/// Options for learning meta-path weights from interactions.
public struct MetaPathFitOptions: Sendable, Hashable, Codable {
    /// Seed of visitor, positive and negative sampling.
    public var seed: UInt64
    /// Positive items sampled per visitor (each scored against the rest of the visitor's items).
    public var positivesPerVisitor: Int
    /// Random unseen items sampled per positive.
    public var negativesPerPositive: Int
    /// At most this many visitors are sampled.
    public var maxVisitors: Int
    /// Full-batch projected Adam iterations.
    public var iterations: Int
    /// Adam learning rate.
    public var learningRate: Double
    /// L2 penalty on the (scaled) weights.
    public var l2: Double

    /// Options with defaults.
    public init(seed: UInt64 = 42, positivesPerVisitor: Int = 4, negativesPerPositive: Int = 4, maxVisitors: Int = 3_000,
                iterations: Int = 400, learningRate: Double = 0.05, l2: Double = 1e-4) {
        self.seed = seed
        self.positivesPerVisitor = positivesPerVisitor
        self.negativesPerPositive = negativesPerPositive
        self.maxVisitors = maxVisitors
        self.iterations = iterations
        self.learningRate = learningRate
        self.l2 = l2
    }
}

/// What weight learning did.
public struct MetaPathFitReport: Sendable, Hashable, Codable {
    /// Learned weight per meta-path name (on the raw random-walk values).
    public var weights: [String: Double]
    /// Training pairs (positive, negative).
    public var pairs: Int
    /// Mean BPR loss with all scaled weights at 1 (before) and after learning.
    public var lossBefore: Double
    /// Mean BPR loss after learning.
    public var lossAfter: Double
    /// Fraction of training pairs ranked correctly after learning.
    public var pairwiseAccuracy: Double
    /// Seconds spent extracting features and optimising.
    public var seconds: Double
}

/// A graph-aware recommender: the score of an item is a weighted sum, over meta-paths, of the random-walk
/// mass flowing from the visitor's items to it along that meta-path.
///
/// `score(j) = Σ_paths w_p · Σ_liked h α_h · Σ_instances h⇝j of p  Π 1/degree`
///
/// Weights are non-negative and learned from interactions (BPR over meta-path features with leave-one-out
/// histories), so every path instance adds to the score and ``contributions(_:history:)`` is an exact
/// decomposition of it: the contributions sum to the score.
public struct MetaPathRecommender: Sendable {
    /// The compiled meta-paths.
    public let index: MetaPathIndex
    /// Weight per meta-path (same order as ``MetaPathIndex/metaPaths``), non-negative.
    public var weights: [Double]
    /// What ``score(_:history:removing:)`` removes.
    public var removal: EvidenceRemoval

    /// A recommender with given weights (all 1 when nil).
    public init(index: MetaPathIndex, weights: [Double]? = nil, removal: EvidenceRemoval = .evidenceLinks) {
        self.index = index
        self.weights = (weights ?? [Double](repeating: 1, count: index.metaPaths.count)).map { max(0, $0) }
        self.removal = removal
    }

    /// The graph the recommender walks.
    public var graph: KnowledgeGraph { index.graph }

    /// Weights by meta-path name.
    public var namedWeights: [String: Double] {
        Dictionary(zip(index.metaPaths.map(\.name), weights), uniquingKeysWith: +)
    }

    // MARK: Learning

    /// Learns meta-path weights from visitors' interactions.
    ///
    /// For sampled visitors and sampled positive items j, the features are the meta-path values from the visitor's
    /// *other* items to j (and the visitor's own interactions are excluded from co-visitation paths); negatives are
    /// uniformly drawn unseen items. Features are scaled by their mean over positives, then non-negative weights
    /// maximise the BPR objective `Σ log σ(w·(x⁺ − x⁻)) − λ‖w‖²` by projected Adam. Deterministic for a seed.
    /// - Throws: ``GraphError/badParameter(name:reason:)`` when no visitor has two items in the graph.
    public static func fit(index: MetaPathIndex, interactions: [VisitorID: [WeightedItem]],
                           options: MetaPathFitOptions = MetaPathFitOptions()) throws -> (MetaPathRecommender, MetaPathFitReport) {
        let start = Date()
        var rng = SeededRandom(seed: options.seed)
        let P = index.metaPaths.count
        let itemNodes = index.graph.nodesByKind[Int(NodeKind.item.rawValue)]
        guard !itemNodes.isEmpty else { throw GraphError.badParameter(name: "graph", reason: "has no items") }
        var candidates: [(VisitorID, [(node: Int32, weight: Double)])] = []
        for v in interactions.keys.sorted() {
            let h = index.resolve(interactions[v] ?? [])
            if h.count >= 2 { candidates.append((v, h)) }
        }
        guard !candidates.isEmpty else {
            throw GraphError.badParameter(name: "interactions", reason: "no visitor has two or more items in the graph")
        }
        if candidates.count > options.maxVisitors {
            for i in 0..<options.maxVisitors {
                let j = i + rng.nextInt(below: candidates.count - i)
                candidates.swapAt(i, j)
            }
            candidates.removeLast(candidates.count - options.maxVisitors)
        }
        var diffs: [[Double]] = []
        var positiveSum = [Double](repeating: 0, count: P)
        var positives = 0
        for (visitor, history) in candidates {
            let hh = index.historyHalves(history)
            let seen = Set(history.map(\.node))
            let excluded = index.visitorIndex[visitor]
            var order = Array(history.indices)
            for i in 0..<min(options.positivesPerVisitor, order.count) {
                let j = i + rng.nextInt(below: order.count - i)
                order.swapAt(i, j)
            }
            for pos in order.prefix(options.positivesPerVisitor) {
                let j = history[pos].node
                let xp = values(index.pairParts(hh, candidate: j, skipping: j, excludingVisitor: excluded), P)
                for p in 0..<P { positiveSum[p] += xp[p] }
                positives += 1
                var drawn = 0, attempts = 0
                while drawn < options.negativesPerPositive, attempts < 50 * options.negativesPerPositive {
                    attempts += 1
                    let k = itemNodes[rng.nextInt(below: itemNodes.count)]
                    if seen.contains(k) { continue }
                    drawn += 1
                    let xn = values(index.pairParts(hh, candidate: k, skipping: j, excludingVisitor: excluded), P)
                    diffs.append(zip(xp, xn).map { $0 - $1 })
                }
            }
        }
        let scale = positiveSum.map { $0 > 0 ? Double(positives) / $0 : 0 }
        let scaled = diffs.map { d in zip(d, scale).map { $0 * $1 } }
        var w = scale.map { $0 > 0 ? 1.0 : 0.0 }
        func loss(_ w: [Double]) -> (Double, Double) {
            var total = 0.0, correct = 0
            for d in scaled {
                var z = 0.0
                for p in 0..<P { z += w[p] * d[p] }
                total += softplus(-z)
                if z > 0 { correct += 1 }
            }
            let n = Double(max(1, scaled.count))
            return (total / n + options.l2 * w.reduce(0) { $0 + $1 * $1 }, Double(correct) / n)
        }
        let before = loss(w).0
        var m = [Double](repeating: 0, count: P), v = [Double](repeating: 0, count: P)
        let b1 = 0.9, b2 = 0.999
        for t in 1...max(1, options.iterations) {
            var grad = [Double](repeating: 0, count: P)
            for d in scaled {
                var z = 0.0
                for p in 0..<P { z += w[p] * d[p] }
                let g = sigmoid(-z)
                for p in 0..<P { grad[p] -= g * d[p] }
            }
            let n = Double(max(1, scaled.count))
            for p in 0..<P {
                let gp = grad[p] / n + 2 * options.l2 * w[p]
                m[p] = b1 * m[p] + (1 - b1) * gp
                v[p] = b2 * v[p] + (1 - b2) * gp * gp
                let mh = m[p] / (1 - pow(b1, Double(t))), vh = v[p] / (1 - pow(b2, Double(t)))
                w[p] = scale[p] > 0 ? max(0, w[p] - options.learningRate * mh / (vh.squareRoot() + 1e-8)) : 0
            }
        }
        let (after, accuracy) = loss(w)
        let weights = zip(w, scale).map { $0 * $1 }
        let model = MetaPathRecommender(index: index, weights: weights)
        let report = MetaPathFitReport(weights: model.namedWeights, pairs: scaled.count, lossBefore: before,
                                       lossAfter: after, pairwiseAccuracy: accuracy,
                                       seconds: Date().timeIntervalSince(start))
        return (model, report)
    }

    private static func values(_ parts: [MetaPathIndex.PairPart], _ count: Int) -> [Double] {
        var x = [Double](repeating: 0, count: count)
        for part in parts { x[part.path] += part.value }
        return x
    }

    // MARK: Scoring

    /// Scores of every item in the graph for a visitor's history, in ``MetaPathIndex/itemID(atDense:)`` order.
    /// Cost is about the number of edges below the middle nodes reached, not the number of items.
    public func scores(history: [WeightedItem]) -> [Double] {
        index.denseScores(index.resolve(history), weights: weights)
    }

    /// The `count` best items for a history, excluding the history itself and `excluding`.
    /// Items with no path to the history (score 0) are not returned.
    public func recommend(history: [WeightedItem], count: Int, excluding: Set<ItemID> = []) -> [RankedItem] {
        let scores = scores(history: history)
        var banned = Set<Int>()
        for h in history { if let i = index.denseIndex(of: h.item) { banned.insert(i) } }
        for e in excluding { if let i = index.denseIndex(of: e) { banned.insert(i) } }
        let floats = scores.map { Float($0) }
        let top = TopK.select(floats, k: count) { banned.contains($0) || scores[$0] <= 0 }
        return top.map { RankedItem(item: index.itemID(atDense: $0.index), score: scores[$0.index]) }
    }

    /// The exact score of one item, summed over its path instances (equals the dense score up to rounding).
    public func score(_ item: ItemID, history: [WeightedItem]) -> Double {
        guard let j = index.graph.node(item: item) else { return 0 }
        let hh = index.historyHalves(index.resolve(history))
        return index.pairParts(hh, candidate: j.rawValue).reduce(0) { $0 + weights[$1.path] * $1.value }
    }

    /// The additive parts of an item's score: one per meta-path, liked item and middle node.
    /// Their weights sum to ``score(_:history:)``.
    public func contributions(_ item: ItemID, history: [WeightedItem]) -> [Evidence] {
        guard let j = index.graph.node(item: item) else { return [] }
        let hh = index.historyHalves(index.resolve(history))
        let g = index.graph
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

    /// The item's score once `evidence` is removed, as set by ``removal``: either its liked item leaves the history,
    /// or the candidate's first-hop links on every path instance behind the evidence are cut.
    public func score(_ item: ItemID, history: [WeightedItem], removing evidence: Evidence) -> Double {
        guard let j = index.graph.node(item: item) else { return 0 }
        switch removal {
        case .likedItem:
            return score(item, history: history.filter { $0.item != evidence.likedItem })
        case .evidenceLinks:
            let resolved = index.resolve(history)
            let hh = index.historyHalves(resolved)
            let cut = links(behind: evidence, candidate: j.rawValue, history: hh)
            let parts = index.pairParts(hh, candidate: j.rawValue, cut: cut)
            return parts.reduce(0) { $0 + weights[$1.path] * $1.value }
        }
    }

    /// The candidate's first-hop neighbours on path instances that make up `evidence`.
    func links(behind evidence: Evidence, candidate j: Int32, history hh: MetaPathIndex.HistoryHalves) -> Set<Int32> {
        let g = index.graph
        guard let liked = evidence.likedItem.flatMap({ g.node(item: $0) })?.rawValue,
              let hPos = hh.items.firstIndex(where: { $0.node == liked }) else { return [] }
        let middle: Int32? = evidence.via.flatMap { try? g.resolve($0.reference) }?.rawValue
        var cut = Set<Int32>()
        for (p, c) in index.compiled.enumerated() where c.evidence == evidence.kind {
            let L = c.length
            let f = hh.halves[p][hPos]
            let b = index.halves(c, from: j, backward: true)
            for bi in 0..<b.count {
                let m = b.nodes[bi * L + L - 1]
                if let middle, m != middle { continue }
                // Only links that actually join the liked item's half.
                var joins = false
                for fi in 0..<f.count where f.nodes[fi * L + L - 1] == m {
                    var ok = true
                    if c.firstDistinct < L {
                        for q in c.firstDistinct..<L where c.isDistinct[q] && f.nodes[fi * L + q - 1] == b.nodes[bi * L + q - 1] {
                            ok = false
                        }
                    }
                    if ok { joins = true; break }
                }
                if joins { cut.insert(b.nodes[bi * L]) }
            }
        }
        return cut
    }

    /// The explanation of one recommended item.
    public func explain(_ item: ItemID, history: [WeightedItem], explainer: Explainer = Explainer(),
                        language: String = "en") -> Explanation {
        explainer.explain(contributions(item, history: history), language: language)
    }
}

@inline(__always) func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }
@inline(__always) func softplus(_ x: Double) -> Double { x > 30 ? x : log1p(exp(x)) }
