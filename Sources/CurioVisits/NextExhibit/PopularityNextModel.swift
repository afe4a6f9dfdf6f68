import CurioCore
import Foundation

/// Baseline: the most visited items, whatever the visitor has seen.
public struct PopularityNextModel: NextExhibitModel, Codable {
    public var name: String { "popularity" }
    public let vocabulary: ItemVocabulary
    /// log(1 + training count) per item.
    public let popularity: [Float]

    public init(sessions: [VisitSession], vocabulary: ItemVocabulary) {
        var counts = [Float](repeating: 0, count: vocabulary.count)
        for s in sessions { for id in s.items { if let i = vocabulary.index[id] { counts[i] += 1 } } }
        self.vocabulary = vocabulary
        popularity = counts.map { log1p($0) }
    }

    public func scores(after history: [ItemID]) -> [Float] { popularity }
}
