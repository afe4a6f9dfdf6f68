import CurioCore
import CurioMath
import Foundation

/// One aggregated (visitor, item) pair: the sum of its deduplicated event weights.
public struct Interaction: Sendable, Hashable, Codable {
    /// Row in the interaction matrix.
    public var user: Int
    /// Column in the interaction matrix (index into the catalogue).
    public var item: Int
    /// Confidence: sum of the event weights, capped by ``FeedbackWeights/maximumWeight``.
    public var weight: Float
    /// Time of the pair's first event, seconds since 1970.
    public var time: Double
    public init(user: Int, item: Int, weight: Float, time: Double) {
        self.user = user
        self.item = item
        self.weight = weight
        self.time = time
    }
}

/// One item in a visitor's history, as models consume it for fold-in.
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// Index of the item in the model's catalogue.
    public var item: Int
    /// Confidence weight (positive; negative entries are ignored by factor models and push content models away).
    public var weight: Float
    /// Time of the interaction, seconds since 1970 (used by time-decayed models; 0 when unknown).
    public var time: Double
    public init(item: Int, weight: Float, time: Double = 0) {
        self.item = item
        self.weight = weight
        self.time = time
    }
}

/// The visitors × items matrix of implicit-feedback confidences, with the identifier maps.
///
/// Columns are the whole catalogue in the order given, so objects nobody has looked at yet still exist (cold
/// items). Rows are the visitors with at least one positive interaction, sorted by identifier. Negative feedback
/// (skips, dislikes, low ratings) is kept apart in ``negatives``.
public struct InteractionMatrix: Sendable {
    /// Visitor of each row.
    public let userIDs: [VisitorID]
    /// Item of each column (the catalogue).
    public let itemIDs: [ItemID]
    /// Row of each visitor.
    public let userIndex: [VisitorID: Int]
    /// Column of each item.
    public let itemIndex: [ItemID: Int]
    /// Users × items confidences (CSR).
    public let matrix: SparseMatrix
    /// Items × users, the transpose (CSC of ``matrix``).
    public let byItem: SparseMatrix
    /// Time of the first event of each stored entry of ``matrix`` (same order as its values), seconds since 1970.
    public let times: [Double]
    /// Items each visitor skipped or disliked (non-positive totals), sorted; never recommended to them.
    public let negatives: [Int: [Int]]
    /// What happened to the input events.
    public var report: InteractionReport

    /// Number of visitors (rows).
    public var userCount: Int { userIDs.count }
    /// Number of catalogue items (columns).
    public var itemCount: Int { itemIDs.count }

    /// Builds the matrix from aggregated interactions.
    ///
    /// - Throws: ``RecommendError/invalidData(_:)`` when an interaction points outside the id lists or has a
    ///   non-positive or non-finite weight, or ``RecommendError/duplicateItem(_:)`` for a repeated item id.
    public init(userIDs: [VisitorID], itemIDs: [ItemID], interactions: [Interaction],
                negatives: [Int: [Int]] = [:], report: InteractionReport = InteractionReport()) throws(RecommendError) {
        var itemIndex: [ItemID: Int] = [:]
        itemIndex.reserveCapacity(itemIDs.count)
        for (i, id) in itemIDs.enumerated() {
            if itemIndex.updateValue(i, forKey: id) != nil { throw .duplicateItem(id) }
        }
        var userIndex: [VisitorID: Int] = [:]
        userIndex.reserveCapacity(userIDs.count)
        for (u, id) in userIDs.enumerated() {
            if userIndex.updateValue(u, forKey: id) != nil { throw .invalidData("visitor \(id) appears twice in the row list") }
        }
        var entries: [SparseMatrix.Entry] = []
        entries.reserveCapacity(interactions.count)
        var timeByPair: [Int: [(Int, Double)]] = [:]
        for x in interactions {
            guard x.user >= 0, x.user < userIDs.count, x.item >= 0, x.item < itemIDs.count else {
                throw .invalidData("interaction (\(x.user), \(x.item)) is outside \(userIDs.count) visitors × \(itemIDs.count) items")
            }
            guard x.weight.isFinite, x.weight > 0 else {
                throw .invalidData("interaction of visitor \(userIDs[x.user]) with \(itemIDs[x.item]) has weight \(x.weight); weights must be positive")
            }
            entries.append(.init(row: x.user, column: x.item, value: x.weight))
            timeByPair[x.user, default: []].append((x.item, x.time))
        }
        let matrix: SparseMatrix
        do {
            // Duplicated pairs are merged by summing their weights.
            matrix = try SparseMatrix(rows: userIDs.count, columns: itemIDs.count, entries: entries)
        } catch {
            throw .invalidData(error.description)
        }
        var times = [Double](repeating: 0, count: matrix.nonZeroCount)
        for (u, list) in timeByPair {
            for (item, t) in list {
                if let p = matrix.position(row: u, column: item) {
                    times[p] = times[p] == 0 ? t : min(times[p], t)
                }
            }
        }
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.userIndex = userIndex
        self.itemIndex = itemIndex
        self.matrix = matrix
        byItem = matrix.transposed()
        self.times = times
        self.negatives = negatives
        self.report = report
    }

    /// The aggregated interactions, row by row.
    public var interactions: [Interaction] {
        var out: [Interaction] = []
        out.reserveCapacity(matrix.nonZeroCount)
        for u in 0..<userCount {
            for p in matrix.range(ofRow: u) {
                out.append(Interaction(user: u, item: Int(matrix.columnIndices[p]), weight: matrix.values[p], time: times[p]))
            }
        }
        return out
    }

    /// The training history of row `user`, as fold-in input.
    public func history(ofUser user: Int) -> [HistoryEntry] {
        matrix.range(ofRow: user).map { p in
            HistoryEntry(item: Int(matrix.columnIndices[p]), weight: matrix.values[p], time: times[p])
        }
    }

    /// Items row `user` interacted with, positively or negatively (to exclude from their recommendations).
    public func seenItems(ofUser user: Int) -> Set<Int> {
        var seen = Set(matrix.range(ofRow: user).map { Int(matrix.columnIndices[$0]) })
        if let negative = negatives[user] { seen.formUnion(negative) }
        return seen
    }

    /// Number of visitors who interacted positively with each item.
    public func itemUserCounts() -> [Int] { matrix.columnCounts() }

    /// The latest interaction time in the matrix (0 when empty).
    public var latestTime: Double { times.max() ?? 0 }
}

/// What the interaction builder did with its input: counts by outcome, and examples of problems so a curator can
/// find them. Nothing is dropped silently.
public struct InteractionReport: Sendable, Codable, Hashable {
    /// Events read.
    public var eventsRead = 0
    /// Events that contributed to a (visitor, item) pair.
    public var eventsUsed = 0
    /// Events merged into an earlier one of the same kind in the same session (repeated views, double taps).
    public var duplicatesMerged = 0
    /// Events naming an item that is not in the catalogue.
    public var unknownItemEvents = 0
    /// Up to ``sampleLimit`` distinct unknown item ids, for the message.
    public var unknownItemSamples: [String] = []
    /// Events rejected by validation, by field (`timestamp`, `value`, `visitor`, `item`).
    public var rejectedByField: [String: Int] = [:]
    /// Up to ``sampleLimit`` rejected events described as `visitor/item: field problem`.
    public var rejectedSamples: [String] = []
    /// Events whose kind carries no weight under the feedback weights (e.g. `beacon-leave` at 0).
    public var zeroWeightEvents = 0
    /// (visitor, item) pairs whose total was not positive (kept as negative feedback).
    public var negativePairs = 0
    /// Pairs whose total was capped at the maximum weight.
    public var cappedPairs = 0

    /// How many examples of each problem are kept.
    public static let sampleLimit = 20

    public init() {}

    /// Events rejected by validation, all fields together.
    public var rejectedEvents: Int { rejectedByField.values.reduce(0, +) }

    /// A one-paragraph summary for logs and the CLI.
    public var summary: String {
        var parts = ["\(eventsRead) events read", "\(eventsUsed) used", "\(duplicatesMerged) duplicates merged"]
        if unknownItemEvents > 0 {
            parts.append("\(unknownItemEvents) for items not in the catalogue (e.g. \(unknownItemSamples.prefix(3).joined(separator: ", ")))")
        }
        if rejectedEvents > 0 {
            let fields = rejectedByField.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            parts.append("\(rejectedEvents) rejected (\(fields))")
        }
        if zeroWeightEvents > 0 { parts.append("\(zeroWeightEvents) with zero weight") }
        if negativePairs > 0 { parts.append("\(negativePairs) negative visitor–item pairs") }
        if cappedPairs > 0 { parts.append("\(cappedPairs) pairs capped") }
        return parts.joined(separator: "; ")
    }
}
