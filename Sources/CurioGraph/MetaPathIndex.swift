import CurioCore

/// One of a visitor's items and how much it counts (a like 1, a view less, a rating scaled).
public struct WeightedItem: Hashable, Sendable, Codable {
    /// The visitor's item.
    public var item: ItemID
    /// How much the item counts (positive).
    public var weight: Double
    /// An item with its weight.
    public init(_ item: ItemID, weight: Double = 1) {
        self.item = item
        self.weight = weight
    }
}

/// An item with its score.
public struct RankedItem: Hashable, Sendable, Codable {
    /// The item.
    public var item: ItemID
    /// Its score.
    public var score: Double
    /// An item with its score.
    public init(item: ItemID, score: Double) {
        self.item = item
        self.score = score
    }
}

/// Meta-paths compiled against a knowledge graph and the visitors' interactions, ready for scoring.
///
/// Path instance weights are random-walk probabilities: leaving a node along a step, each neighbour is
/// chosen with probability 1/degree (going out from the liked item, then back down from the middle node to the
/// candidate), so hubs such as `paper` or `19th century` say little and specific links say a lot.
public struct MetaPathIndex: Sendable {
    /// The graph the meta-paths are compiled against.
    public let graph: KnowledgeGraph
    /// The meta-paths, in feature order.
    public let metaPaths: [MetaPath]
    let compiled: [CompiledMetaPath]
    /// Visitors of the interaction graph, sorted.
    public let visitors: [VisitorID]
    let visitorIndex: [VisitorID: Int32]

    /// Compiles `metaPaths` over `graph`. Interactions (visitor → items) feed the ``MetaPath/Step/visitors`` step;
    /// items not in the graph are ignored.
    public init(graph: KnowledgeGraph, metaPaths: [MetaPath] = MetaPath.standard,
                interactions: [VisitorID: [ItemID]] = [:]) {
        self.graph = graph
        self.metaPaths = metaPaths
        let visitors = interactions.keys.sorted()
        self.visitors = visitors
        var vIndex: [VisitorID: Int32] = [:]
        for (i, v) in visitors.enumerated() { vIndex[v] = Int32(i) }
        visitorIndex = vIndex
        var visitorStep: StepMatrix?
        if metaPaths.contains(where: \.usesVisitors) {
            var s: [Int32] = [], t: [Int32] = []
            for (vi, v) in visitors.enumerated() {
                for item in interactions[v] ?? [] {
                    guard let n = graph.node(item: item) else { continue }
                    s.append(n.rawValue)
                    t.append(Int32(vi))
                }
            }
            visitorStep = StepMatrix(fromCount: graph.nodeCount, toCount: visitors.count, sources: s, targets: t)
        }
        var cache: [[Relation]: StepMatrix] = [:]
        var compiled: [CompiledMetaPath] = []
        for path in metaPaths {
            var steps: [StepMatrix] = []
            for step in path.half {
                switch step {
                case let .graph(relations):
                    if let m = cache[relations] {
                        steps.append(m)
                    } else {
                        let m = StepMatrix(graph: graph, relations: relations)
                        cache[relations] = m
                        steps.append(m)
                    }
                case .visitors:
                    steps.append(visitorStep ?? StepMatrix(fromCount: graph.nodeCount, toCount: 0, sources: [], targets: []))
                }
            }
            compiled.append(CompiledMetaPath(path: path, steps: steps))
        }
        self.compiled = compiled
    }

    /// Number of items in the graph (the length of dense score vectors).
    public var itemCount: Int { graph.count(of: .item) }

    /// Item ids in dense-vector order.
    public func itemID(atDense index: Int) -> ItemID { ItemID(graph.keys[Int(graph.nodesByKind[0][index])]) }

    /// Dense-vector position of an item, if it is in the graph.
    public func denseIndex(of item: ItemID) -> Int? {
        graph.node(item: item).map { Int(graph.localIndex[$0.int]) }
    }

    /// History entries resolved to graph nodes (unknown items dropped, repeated items summed), in node order.
    func resolve(_ history: [WeightedItem]) -> [(node: Int32, weight: Double)] {
        var byNode: [Int32: Double] = [:]
        for h in history {
            guard let n = graph.node(item: h.item) else { continue }
            byNode[n.rawValue, default: 0] += h.weight
        }
        return byNode.keys.sorted().map { ($0, byNode[$0]!) }
    }

    // MARK: Half-path instances

    /// Instances of the half of `c` starting at `start`: the nodes at positions 1…L (stride L) and their weights.
    struct Halves {
        var nodes: [Int32] = []
        var weights: [Double] = []
        var count: Int { weights.count }
    }

    /// Enumerates half-path instances from `start`.
    ///
    /// Forward weights are the liked item's side of the walk (1/out-degree at each node left); backward weights
    /// the candidate's side, read in reverse (1/in-degree of each node the walk comes down from).
    /// `cut` removes first hops of `start` (the candidate's links cited as evidence).
    func halves(_ c: CompiledMetaPath, from start: Int32, backward: Bool, cut: Set<Int32> = [], counting: Bool = false) -> Halves {
        var out = Halves()
        halves(c, from: start, backward: backward, cut: cut, counting: counting, into: &out)
        return out
    }

    /// ``halves(_:from:backward:cut:counting:)`` written into `out` (emptied first, its storage reused).
    func halves(_ c: CompiledMetaPath, from start: Int32, backward: Bool, cut: Set<Int32> = [], counting: Bool = false,
                into out: inout Halves) {
        out.nodes.removeAll(keepingCapacity: true)
        out.weights.removeAll(keepingCapacity: true)
        if c.length == 1 {
            // One step (most catalogue meta-paths): the start's neighbours, without recursion.
            let step = c.steps[0]
            let lo = Int(step.fwdOffsets[Int(start)]), hi = Int(step.fwdOffsets[Int(start) + 1])
            guard hi > lo else { return }
            let forwardW = 1 / Double(hi - lo)
            out.nodes.reserveCapacity(hi - lo)
            out.weights.reserveCapacity(hi - lo)
            for i in lo..<hi {
                let v = step.fwdTargets[i]
                if !cut.isEmpty, cut.contains(v) { continue }
                out.nodes.append(v)
                out.weights.append(counting ? 1 : (backward ? 1 / Double(step.bwdDegree(Int(v))) : forwardW))
            }
            return
        }
        var path = [Int32](repeating: 0, count: c.length)
        visit(c, 0, start, 1, backward: backward, cut: cut, counting: counting, path: &path, out: &out)
    }

    /// One step of ``halves(_:from:backward:cut:counting:)`` (a method with `inout` state rather than a capturing
    /// closure, so that enumerating instances allocates nothing but the output).
    private func visit(_ c: CompiledMetaPath, _ s: Int, _ u: Int32, _ w: Double, backward: Bool, cut: Set<Int32>,
                       counting: Bool, path: inout [Int32], out: inout Halves) {
        if s == c.length {
            out.nodes.append(contentsOf: path)
            out.weights.append(w)
            return
        }
        let step = c.steps[s]
        let lo = Int(step.fwdOffsets[Int(u)]), hi = Int(step.fwdOffsets[Int(u) + 1])
        guard hi > lo else { return }
        let forwardW = 1 / Double(hi - lo)
        for i in lo..<hi {
            let v = step.fwdTargets[i]
            if s == 0, !cut.isEmpty, cut.contains(v) { continue }
            path[s] = v
            visit(c, s + 1, v, counting ? 1 : w * (backward ? 1 / Double(step.bwdDegree(Int(v))) : forwardW),
                  backward: backward, cut: cut, counting: counting, path: &path, out: &out)
        }
    }

    /// Forward halves of every history item for every meta-path, computed once per history.
    struct HistoryHalves {
        var items: [(node: Int32, weight: Double)]
        /// [path][history position]
        var halves: [[Halves]]
    }

    func historyHalves(_ history: [(node: Int32, weight: Double)], counting: Bool = false) -> HistoryHalves {
        HistoryHalves(items: history, halves: compiled.map { c in history.map { halves(c, from: $0.node, backward: false, counting: counting) } })
    }

    /// One joined instance group: path, liked item, middle node and summed (unweighted) value.
    struct PairPart {
        var path: Int
        var liked: Int32
        var middle: Int32
        var value: Double
    }

    /// Exact decomposition of the (unweighted) meta-path values between a history and one candidate.
    ///
    /// - Parameters:
    ///   - skipping: a history node left out (leave-one-out training).
    ///   - excludingVisitor: a visitor whose own interactions must not connect items (training on that visitor).
    ///   - cut: first hops of the candidate to remove.
    ///   - paths: restrict to these meta-path positions (all when nil).
    func pairParts(_ hh: HistoryHalves, candidate j: Int32, skipping: Int32? = nil, excludingVisitor: Int32? = nil,
                   cut: Set<Int32> = [], paths: Set<Int>? = nil, counting: Bool = false) -> [PairPart] {
        var parts: [PairPart] = []
        // Scratch shared by all paths (emptied, not reallocated, for each).
        var b = Halves()
        var byMiddle: [Int32: [Int]] = [:]
        var order: [Int32] = []
        var sums: [Double] = []
        var slots: [Int32: Int] = [:]
        for (p, c) in compiled.enumerated() where paths?.contains(p) ?? true {
            let L = c.length
            halves(c, from: j, backward: true, cut: cut, counting: counting, into: &b)
            guard b.count > 0 else { continue }
            // The candidate's instances by middle node: a dictionary only when there are many (a scan is cheaper).
            let scan = b.count <= 32
            if !scan {
                byMiddle.removeAll(keepingCapacity: true)
                for k in 0..<b.count { byMiddle[b.nodes[k * L + L - 1], default: []].append(k) }
            }
            let checkVisitor = c.usesVisitors ? excludingVisitor : nil
            let firstDistinct = c.firstDistinct
            let isDistinct = c.isDistinct
            // Middle nodes in order of first appearance with their sums (a linear search while there are few). The
            // join reads the instances through buffer pointers: no reference counting per instance.
            let rows = hh.halves[p]
            b.nodes.withUnsafeBufferPointer { bn in
                b.weights.withUnsafeBufferPointer { bw in
                    let bCount = bw.count
                    /// Whether the two instances differ at every position the path requires to be distinct.
                    func distinct(_ fn: UnsafeBufferPointer<Int32>, _ fi: Int, _ bi: Int) -> Bool {
                        guard firstDistinct < L else { return true }
                        for q in firstDistinct..<L where isDistinct[q] && fn[fi * L + q - 1] == bn[bi * L + q - 1] { return false }
                        return true
                    }
                    for (hPos, h) in hh.items.enumerated() where h.node != j && h.node != skipping {
                        order.removeAll(keepingCapacity: true)
                        sums.removeAll(keepingCapacity: true)
                        rows[hPos].nodes.withUnsafeBufferPointer { fn in
                            rows[hPos].weights.withUnsafeBufferPointer { fw in
                                let few = fw.count <= 32
                                if !few { slots.removeAll(keepingCapacity: true) }
                                for fi in 0..<fw.count {
                                    let middle = fn[fi * L + L - 1]
                                    if let v = checkVisitor, middle == v { continue }
                                    var total = 0.0
                                    var matched = false
                                    if scan {
                                        for bi in 0..<bCount where bn[bi * L + L - 1] == middle {
                                            matched = true
                                            if distinct(fn, fi, bi) { total += bw[bi] }
                                        }
                                    } else if let matches = byMiddle[middle] {
                                        matched = true
                                        for bi in matches where distinct(fn, fi, bi) { total += bw[bi] }
                                    }
                                    guard matched, total > 0 else { continue }
                                    let value = h.weight * fw[fi] * total
                                    if let k = few ? order.firstIndex(of: middle) : slots[middle] { sums[k] += value } else {
                                        if !few { slots[middle] = order.count }
                                        order.append(middle)
                                        sums.append(value)
                                    }
                                }
                            }
                        }
                        for (k, m) in order.enumerated() { parts.append(PairPart(path: p, liked: h.node, middle: m, value: sums[k])) }
                    }
                }
            }
        }
        return parts
    }

    /// Whether instance `fi` of a liked item's half and instance `bi` of the candidate's half differ at every
    /// position the meta-path requires to be distinct.
    @inline(__always)
    static func distinctHalves(_ c: CompiledMetaPath, _ f: Halves, _ fi: Int, _ b: Halves, _ bi: Int) -> Bool {
        let L = c.length
        guard c.firstDistinct < L else { return true }
        for q in c.firstDistinct..<L where c.isDistinct[q] && f.nodes[fi * L + q - 1] == b.nodes[bi * L + q - 1] {
            return false
        }
        return true
    }

    // MARK: Dense scoring

    /// Scores of every item (dense order) for a history: Σ over paths of weight × Σ instance values.
    ///
    /// Forward halves of all liked items are pooled at the middle nodes and walked back down once per path
    /// (per group of distinct-position nodes where a path requires them), so the cost is close to the number of
    /// edges touched below the middle nodes, independent of the history length.
    func denseScores(_ history: [(node: Int32, weight: Double)], weights: [Double], counting: Bool = false) -> [Double] {
        var scores = [Double](repeating: 0, count: itemCount)
        let local = graph.localIndex
        for (p, c) in compiled.enumerated() where weights[p] > 0 {
            let L = c.length
            let fd = c.firstDistinct
            // Group forward mass at the middle by the nodes at distinct positions.
            var groups: [[Int32]: [Int32: Double]] = [:]
            for h in history {
                let f = halves(c, from: h.node, backward: false, counting: counting)
                for k in 0..<f.count {
                    var key: [Int32] = []
                    if fd < L { for q in fd..<L where c.isDistinct[q] { key.append(f.nodes[k * L + q - 1]) } }
                    groups[key, default: [:]][f.nodes[k * L + L - 1], default: 0] += h.weight * f.weights[k]
                }
            }
            guard !groups.isEmpty else { continue }
            // Each group walks down to layer fd, applying its bans; layer fd pools every group, then one pass
            // walks down to the items.
            var acc = DenseLayer(fd == 0 ? c.steps[0].fromCount : c.steps[fd - 1].toCount)
            for key in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let middle = groups[key]!
                var current: [(Int32, Double)] = middle.keys.sorted().map { ($0, middle[$0]!) }
                var position = L
                while position > fd {
                    let step = c.steps[position - 1]
                    var next: [Int32: Double] = [:]
                    var nextOrder: [Int32] = []
                    let banned: Int32? = c.isDistinct[position - 1] ? key[distinctSlot(c, position - 1)] : nil
                    for (v, value) in current {
                        let lo = Int(step.bwdOffsets[Int(v)]), hi = Int(step.bwdOffsets[Int(v) + 1])
                        guard hi > lo else { continue }
                        let share = counting ? value : value / Double(hi - lo)
                        for i in lo..<hi {
                            let u = step.bwdSources[i]
                            if u == banned { continue }
                            if next[u] == nil { nextOrder.append(u) }
                            next[u, default: 0] += share
                        }
                    }
                    current = nextOrder.map { ($0, next[$0]!) }
                    position -= 1
                }
                for (u, value) in current { acc.add(Int(u), value) }
            }
            var position = fd
            while position > 0 {
                let step = c.steps[position - 1]
                var next = DenseLayer(step.fromCount)
                for v in acc.touched {
                    let value = acc.values[Int(v)]
                    let lo = Int(step.bwdOffsets[Int(v)]), hi = Int(step.bwdOffsets[Int(v) + 1])
                    guard hi > lo, value != 0 else { continue }
                    let share = counting ? value : value / Double(hi - lo)
                    for i in lo..<hi { next.add(Int(step.bwdSources[i]), share) }
                }
                acc = next
                position -= 1
            }
            let w = weights[p]
            for u in acc.touched where graph.kinds[Int(u)] == .item {
                scores[Int(local[Int(u)])] += w * acc.values[Int(u)]
            }
        }
        return scores
    }

    // MARK: Meta-path instance counts

    /// Number of instances of each meta-path between two items (unweighted), by meta-path name.
    public func instanceCounts(from a: ItemID, to b: ItemID) -> [String: Int] {
        var out = Dictionary(uniqueKeysWithValues: metaPaths.map { ($0.name, 0) })
        guard let na = graph.node(item: a), let nb = graph.node(item: b), na != nb else { return out }
        let hh = historyHalves([(na.rawValue, 1)], counting: true)
        for part in pairParts(hh, candidate: nb.rawValue, counting: true) {
            out[metaPaths[part.path].name, default: 0] += Int(part.value.rounded())
        }
        return out
    }

    /// For each meta-path: the number of instances from `item` to every other item, and the number of items reached.
    public func instanceCounts(from item: ItemID) -> [String: (instances: Int, items: Int)] {
        var out: [String: (instances: Int, items: Int)] = [:]
        guard let n = graph.node(item: item) else { return out }
        let self_ = Int(graph.localIndex[n.int])
        for (p, path) in metaPaths.enumerated() {
            var w = [Double](repeating: 0, count: metaPaths.count)
            w[p] = 1
            let counts = denseScores([(n.rawValue, 1)], weights: w, counting: true)
            var instances = 0.0, items = 0
            for (i, c) in counts.enumerated() where i != self_ && c > 0 {
                instances += c
                items += 1
            }
            out[path.name] = (Int(instances.rounded()), items)
        }
        return out
    }

    private func distinctSlot(_ c: CompiledMetaPath, _ position: Int) -> Int {
        var slot = 0
        for q in c.firstDistinct..<position where c.isDistinct[q] { slot += 1 }
        return slot
    }
}

/// A dense vector with the list of entries touched, so it can be walked and cleared sparsely.
struct DenseLayer {
    var values: [Double]
    var marked: [Bool]
    var touched: [Int32] = []

    init(_ size: Int) {
        values = [Double](repeating: 0, count: size)
        marked = [Bool](repeating: false, count: size)
    }

    @inline(__always)
    mutating func add(_ i: Int, _ v: Double) {
        if !marked[i] {
            marked[i] = true
            touched.append(Int32(i))
        }
        values[i] += v
    }
}
