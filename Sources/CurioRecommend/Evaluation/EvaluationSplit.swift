import CurioCore
import Foundation

/// How interactions are divided into training and test data.
public enum SplitStrategy: Sendable, Hashable, Codable {
    /// Each visitor's latest interaction is held out (visitors with at least two interactions).
    case leaveLastOut
    /// The last `testFraction` of each visitor's interactions (at least one, keeping at least one for training).
    case userTemporal(testFraction: Double)
    /// Everything before `cutoff` trains, everything after tests — the realistic protocol: the model never sees
    /// the future. With a nil cutoff, the cutoff is chosen so that `testFraction` of the interactions come after it.
    /// Test visitors with no earlier history (new visitors) reveal their first interaction as the history and are
    /// evaluated on the rest, like a visitor who has just scanned their first label.
    case globalTemporal(cutoff: Date?, testFraction: Double)

    /// The name used on the command line (`leave-last`, `user-temporal`, `global-temporal`).
    public var name: String {
        switch self {
        case .leaveLastOut: "leave-last"
        case .userTemporal: "user-temporal"
        case .globalTemporal: "global-temporal"
        }
    }

    /// Parses a command-line name with default fractions (20 % held out).
    public static func named(_ name: String) throws(RecommendError) -> SplitStrategy {
        switch name {
        case "leave-last", "leave-last-out": .leaveLastOut
        case "user-temporal": .userTemporal(testFraction: 0.2)
        case "global-temporal": .globalTemporal(cutoff: nil, testFraction: 0.2)
        default: throw .badParameter(name: "split", reason: "'\(name)' is not one of leave-last, user-temporal, global-temporal")
        }
    }
}

/// One visitor to evaluate: what the model may use and what it should find.
public struct TestCase: Sendable, Hashable {
    public var visitor: VisitorID
    /// Row in the training matrix, nil for a visitor with no training history.
    public var trainUser: Int?
    /// The history the model may use: training interactions plus any revealed ones.
    public var history: [HistoryEntry]
    /// Items never to recommend (the history).
    public var excluded: Set<Int>
    /// Held-out items.
    public var targets: Set<Int>
    /// Whether the history has at most ``EvaluationSplit/coldUserThreshold`` interactions.
    public var isColdUser: Bool
    /// Whether some history was revealed from the test period (so ``trainUser`` alone is not the full history).
    public var hasRevealedHistory: Bool
}

/// A training matrix and the test cases held out of it.
public struct EvaluationSplit: Sendable {
    public var strategy: SplitStrategy
    /// Training interactions over the whole catalogue.
    public var train: InteractionMatrix
    public var cases: [TestCase]
    /// The time separating training and test for the global temporal split.
    public var cutoff: Date?
    /// Items with no training interaction (cold items).
    public var coldItems: Set<Int>

    /// Visitors with at most this many history interactions count as cold.
    public static let coldUserThreshold = 3

    /// Splits a full interaction matrix.
    /// - Throws: ``RecommendError/badParameter(name:reason:)`` for a fraction outside (0, 1),
    ///   ``RecommendError/noInteractions`` when nothing is left to train or to test.
    public init(_ data: InteractionMatrix, strategy: SplitStrategy) throws(RecommendError) {
        self.strategy = strategy
        let all = data.interactions
        var byUser: [[Interaction]] = Array(repeating: [], count: data.userCount)
        for x in all { byUser[x.user].append(x) }
        for u in byUser.indices { byUser[u].sort { ($0.time, $0.item) < ($1.time, $1.item) } }

        var trainPart: [Interaction] = []
        var testPart: [[Interaction]] = Array(repeating: [], count: data.userCount)
        var cutoffDate: Date?
        switch strategy {
        case .leaveLastOut:
            for list in byUser {
                if list.count >= 2 {
                    trainPart.append(contentsOf: list.dropLast())
                    testPart[list[0].user] = [list[list.count - 1]]
                } else {
                    trainPart.append(contentsOf: list)
                }
            }
        case let .userTemporal(fraction):
            try require(fraction > 0 && fraction < 1, "test_fraction", "must be between 0 and 1")
            for list in byUser {
                guard list.count >= 2 else {
                    trainPart.append(contentsOf: list)
                    continue
                }
                let held = min(list.count - 1, max(1, Int((Double(list.count) * fraction).rounded())))
                trainPart.append(contentsOf: list.prefix(list.count - held))
                testPart[list[0].user] = Array(list.suffix(held))
            }
        case let .globalTemporal(cutoff, fraction):
            let time: Double
            if let cutoff {
                time = cutoff.timeIntervalSince1970
            } else {
                try require(fraction > 0 && fraction < 1, "test_fraction", "must be between 0 and 1")
                let times = all.map(\.time).sorted()
                guard !times.isEmpty else { throw .noInteractions }
                time = times[min(times.count - 1, Int(Double(times.count) * (1 - fraction)))]
            }
            cutoffDate = Date(timeIntervalSince1970: time)
            for list in byUser {
                for x in list {
                    if x.time < time { trainPart.append(x) } else { testPart[x.user].append(x) }
                }
            }
        }
        cutoff = cutoffDate

        // New visitors in the test period reveal their first interaction.
        var revealed: [[Interaction]] = Array(repeating: [], count: data.userCount)
        let hasTrain = Set(trainPart.map(\.user))
        if case .globalTemporal = strategy {
            for u in testPart.indices where !testPart[u].isEmpty && !hasTrain.contains(u) {
                revealed[u] = [testPart[u][0]]
                testPart[u].removeFirst()
            }
        }

        // Re-index training rows.
        let trainUsers = hasTrain.sorted()
        var rowOf: [Int: Int] = [:]
        for (row, u) in trainUsers.enumerated() { rowOf[u] = row }
        let trainInteractions = trainPart.compactMap { x -> Interaction? in
            guard let row = rowOf[x.user] else { return nil }
            return Interaction(user: row, item: x.item, weight: x.weight, time: x.time)
        }
        guard !trainInteractions.isEmpty else { throw .noInteractions }
        var negatives: [Int: [Int]] = [:]
        for (u, list) in data.negatives { if let row = rowOf[u] { negatives[row] = list } }
        let trainMatrix = try InteractionMatrix(userIDs: trainUsers.map { data.userIDs[$0] }, itemIDs: data.itemIDs,
                                      interactions: trainInteractions, negatives: negatives, report: data.report)
        train = trainMatrix
        let counts = trainMatrix.itemUserCounts()
        coldItems = Set(counts.indices.filter { counts[$0] == 0 })

        var found: [TestCase] = []
        for u in testPart.indices where !testPart[u].isEmpty {
            let row = rowOf[u]
            var history = row.map { trainMatrix.history(ofUser: $0) } ?? []
            history.append(contentsOf: revealed[u].map { HistoryEntry(item: $0.item, weight: $0.weight, time: $0.time) })
            let excluded = Set(history.map(\.item))
            let targets = Set(testPart[u].map(\.item)).subtracting(excluded)
            guard !targets.isEmpty, !history.isEmpty else { continue }
            found.append(TestCase(visitor: data.userIDs[u], trainUser: row, history: history, excluded: excluded,
                                  targets: targets, isColdUser: history.count <= Self.coldUserThreshold,
                                  hasRevealedHistory: !revealed[u].isEmpty))
        }
        guard !found.isEmpty else { throw .invalidData("the \(strategy.name) split left no visitor to test") }
        cases = found
    }
}
