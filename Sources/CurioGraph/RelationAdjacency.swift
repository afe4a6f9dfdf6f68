/// Compressed sparse row adjacency of one relation, in both directions.
///
/// Rows are indexed by global node index. Targets within a row are sorted ascending and unique,
/// so lookups can binary-search and two graphs built from the same edges compare equal.
public struct RelationAdjacency: Sendable {
    /// `outOffsets[n]..<outOffsets[n+1]` indexes ``outTargets`` for node `n`; `nodeCount + 1` entries.
    public internal(set) var outOffsets: [Int32]
    /// Targets of the relation's edges, grouped by source.
    public internal(set) var outTargets: [Int32]
    /// Provenance-table index of each edge, parallel to ``outTargets``.
    public internal(set) var outProvenance: [UInt16]
    /// `inOffsets[n]..<inOffsets[n+1]` indexes ``inSources`` for node `n`.
    public internal(set) var inOffsets: [Int32]
    /// Sources of the relation's edges, grouped by target.
    public internal(set) var inSources: [Int32]

    /// Number of edges of this relation.
    public var edgeCount: Int { outTargets.count }

    /// An adjacency with no edges over `nodeCount` nodes.
    init(empty nodeCount: Int) {
        outOffsets = [Int32](repeating: 0, count: nodeCount + 1)
        outTargets = []
        outProvenance = []
        inOffsets = [Int32](repeating: 0, count: nodeCount + 1)
        inSources = []
    }

    /// Builds both directions from an edge list. Duplicate (source, target) pairs keep the first provenance.
    ///
    /// Complexity: O(E + N) plus sorting each row (rows are short).
    init(nodeCount: Int, sources: [Int32], targets: [Int32], provenance: [UInt16]) {
        precondition(sources.count == targets.count && targets.count == provenance.count)
        let e = sources.count
        // Counting sort by source, stable so that the first occurrence of a duplicate stays first.
        var counts = [Int32](repeating: 0, count: nodeCount + 1)
        for s in sources { counts[Int(s) + 1] += 1 }
        for i in 0..<nodeCount { counts[i + 1] += counts[i] }
        var fill = counts
        var rowTargets = [Int32](repeating: 0, count: e)
        var rowProv = [UInt16](repeating: 0, count: e)
        for i in 0..<e {
            let s = Int(sources[i])
            let p = Int(fill[s])
            rowTargets[p] = targets[i]
            rowProv[p] = provenance[i]
            fill[s] += 1
        }
        // Sort each row by target (stable insertion sort: rows are short) and drop duplicates.
        var offsets = [Int32](repeating: 0, count: nodeCount + 1)
        var outT: [Int32] = []
        var outP: [UInt16] = []
        outT.reserveCapacity(e)
        outP.reserveCapacity(e)
        var row: [(Int32, UInt16)] = []
        for n in 0..<nodeCount {
            let lo = Int(counts[n]), hi = Int(counts[n + 1])
            if hi - lo == 1 {
                outT.append(rowTargets[lo])
                outP.append(rowProv[lo])
            } else if hi > lo {
                row.removeAll(keepingCapacity: true)
                for i in lo..<hi { row.append((rowTargets[i], rowProv[i])) }
                if row.count > 32 {
                    // Stable: order by target, then by position (enumerated offsets).
                    let sorted = row.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
                    row = sorted.map(\.element)
                } else {
                    for i in 1..<row.count {
                        let x = row[i]
                        var j = i - 1
                        while j >= 0, row[j].0 > x.0 { row[j + 1] = row[j]; j -= 1 }
                        row[j + 1] = x
                    }
                }
                var last: Int32 = -1
                for (t, p) in row where t != last {
                    outT.append(t)
                    outP.append(p)
                    last = t
                }
            }
            offsets[n + 1] = Int32(outT.count)
        }
        outOffsets = offsets
        outTargets = outT
        outProvenance = outP
        // Reverse direction by counting sort over targets; sources come out ascending within each row.
        var inCounts = [Int32](repeating: 0, count: nodeCount + 1)
        for t in outT { inCounts[Int(t) + 1] += 1 }
        for i in 0..<nodeCount { inCounts[i + 1] += inCounts[i] }
        var inFill = inCounts
        var inS = [Int32](repeating: 0, count: outT.count)
        for n in 0..<nodeCount {
            for i in Int(offsets[n])..<Int(offsets[n + 1]) {
                let t = Int(outT[i])
                inS[Int(inFill[t])] = Int32(n)
                inFill[t] += 1
            }
        }
        inOffsets = inCounts
        inSources = inS
    }

    /// Targets of `node`'s outgoing edges.
    @inline(__always)
    public func targets(_ node: Int) -> ArraySlice<Int32> {
        outTargets[Int(outOffsets[node])..<Int(outOffsets[node + 1])]
    }

    /// Sources of `node`'s incoming edges.
    @inline(__always)
    public func sources(_ node: Int) -> ArraySlice<Int32> {
        inSources[Int(inOffsets[node])..<Int(inOffsets[node + 1])]
    }

    /// Number of outgoing edges of `node`.
    @inline(__always)
    public func outDegree(_ node: Int) -> Int { Int(outOffsets[node + 1] - outOffsets[node]) }

    /// Number of incoming edges of `node`.
    @inline(__always)
    public func inDegree(_ node: Int) -> Int { Int(inOffsets[node + 1] - inOffsets[node]) }

    /// Position of the edge `source → target` in ``outTargets``, if present (binary search).
    public func edgePosition(source: Int, target: Int32) -> Int? {
        var lo = Int(outOffsets[source]), hi = Int(outOffsets[source + 1])
        while lo < hi {
            let mid = (lo + hi) / 2
            let v = outTargets[mid]
            if v == target { return mid }
            if v < target { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }
}
