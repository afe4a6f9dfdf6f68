import CurioCore
import Foundation

/// Solves small tour instances to optimality, to measure the heuristic's gap and to test it.
///
/// Label-setting dynamic programme over (set of stops, last stop): each label holds the earliest finish time and
/// the utility of one ordering; a label is dropped when another with the same set and last stop finishes no later
/// with no less utility. Because waiting is allowed and the variety penalty depends only on the set, this keeps an
/// optimal tour. Exponential: practical up to about 15 feasible candidates (≈ 1 s in release at 15).
public struct ExactTourSolver: Sendable {
    /// Largest number of feasible candidates accepted.
    public static let maxCandidates = 18

    public let planner: TourPlanner
    public init(planner: TourPlanner) { self.planner = planner }

    /// The optimal tour for `request`.
    /// - Throws: ``VisitError/badParameter(name:reason:)`` when more than ``maxCandidates`` candidates can be
    ///   visited, and the same errors as ``TourPlanner/plan(_:id:)``.
    public func solve(_ request: TourRequest, id: String? = nil) throws -> Tour {
        let inst = try planner.compile(request)
        let seq = try Self.optimalSequence(inst)
        return try planner.build(inst, seq, id: id ?? UUID().uuidString.lowercased(), progress: TourProgressState())
    }

    private struct Label {
        var mask: UInt32
        var last: Int32
        var parent: Int32
        var alive: Bool
        var time: Double
        var value: Double
    }

    static func optimalSequence(_ inst: TourInstance) throws -> [Int] {
        let n = inst.count
        guard n <= maxCandidates else {
            throw VisitError.badParameter(name: "candidates", reason: "the exact solver handles at most \(maxCandidates) visitable candidates, got \(n)")
        }
        let maxStops = min(inst.request.maxStops ?? n, n)
        var makerMask = [UInt32](repeating: 0, count: inst.makerCount)
        for c in 0..<n { for m in inst.makers[c] { makerMask[m] |= 1 << UInt32(c) } }
        let variety = inst.request.weights.variety

        var labels: [Label] = []
        var buckets = [[Int32]](repeating: [], count: (1 << n) * max(n, 1))
        var bestValue = -Double.infinity, bestFinish = Double.infinity, bestLabel = -1

        func consider(_ label: Label) -> Int? {
            let key = Int(label.mask) * n + Int(label.last)
            for k in buckets[key] {
                let other = labels[Int(k)]
                if other.alive, other.time <= label.time + 1e-9, other.value >= label.value - 1e-12 { return nil }
            }
            var kept: [Int32] = []
            for k in buckets[key] {
                let other = labels[Int(k)]
                if other.alive, label.time <= other.time + 1e-9, label.value >= other.value - 1e-12 {
                    labels[Int(k)].alive = false
                } else if other.alive {
                    kept.append(k)
                }
            }
            labels.append(label)
            let index = labels.count - 1
            kept.append(Int32(index))
            buckets[key] = kept
            let finish = label.time + (inst.endRoom.map { inst.leg(inst.room[Int(label.last)], $0) } ?? 0)
            if finish <= inst.horizon + 1e-9, inst.endRoom.map({ TourInstance.isOpen(inst.windows[$0], at: finish) }) ?? true,
               label.value > bestValue + 1e-12 || (label.value >= bestValue - 1e-12 && finish < bestFinish) {
                bestValue = label.value
                bestFinish = finish
                bestLabel = index
            }
            return index
        }

        var level: [Int] = []
        for c in 0..<n {
            guard let s = inst.earliestStart(room: inst.room[c], arrive: inst.leg(inst.startRoom, inst.room[c]),
                                             look: inst.view[c]) else { continue }
            let t = s + inst.view[c]
            if let e = inst.endRoom, t + inst.leg(inst.room[c], e) > inst.horizon + 1e-9 { continue }
            if let i = consider(Label(mask: 1 << UInt32(c), last: Int32(c), parent: -1, alive: true, time: t,
                                      value: inst.gain[c])) {
                level.append(i)
            }
        }
        var depth = 1
        while !level.isEmpty, depth < maxStops {
            var next: [Int] = []
            for li in level where labels[li].alive {
                let l = labels[li]
                let last = Int(l.last)
                for c in 0..<n where l.mask & (1 << UInt32(c)) == 0 {
                    let r = inst.room[c]
                    guard let s = inst.earliestStart(room: r, arrive: l.time + inst.leg(inst.room[last], r),
                                                     look: inst.view[c]) else { continue }
                    let t = s + inst.view[c]
                    if let e = inst.endRoom, t + inst.leg(r, e) > inst.horizon + 1e-9 { continue }
                    var v = l.value + inst.gain[c] + inst.pair[last * n + c]
                    for m in inst.makers[c] where makerMask[m] & l.mask != 0 { v -= variety }
                    if let i = consider(Label(mask: l.mask | (1 << UInt32(c)), last: Int32(c), parent: Int32(li),
                                              alive: true, time: t, value: v)) {
                        next.append(i)
                    }
                }
            }
            level = next
            depth += 1
        }
        guard bestLabel >= 0 else { return [] }
        var seq: [Int] = []
        var k = bestLabel
        while k >= 0 {
            seq.append(Int(labels[k].last))
            k = Int(labels[k].parent)
        }
        return seq.reversed()
    }
}
