import CurioCore
import Foundation

/// One visitor history scored once, ready to answer "what would these items score without object `i`?".
///
/// Explanations measure what each history object adds to an item's score by leaving it out
/// (``scoresWithout(object:items:)``). The default, ``FullRescoring``, scores the shorter history again over the
/// whole catalogue; models whose scores are sums of sparse per-object parts (the hybrid model) answer from the
/// parts they kept, touching only what the object's rows reach.
///
/// An instance belongs to one request: it may keep scratch buffers and is not meant to be shared between threads.
public protocol LeaveOneOutScoring: AnyObject {
    /// Scores of every catalogue item for the whole history (what ``Recommender/scores(forHistory:)`` returns).
    var scores: [Float] { get }
    /// Scores of `items` (model indices) for the whole history, computed the same way as
    /// ``scoresWithout(object:items:)`` so that differences between the two are exact drops.
    func scores(of items: [Int]) -> [Float]
    /// Scores of `items` for the history without any entry of `object`: equal, up to float rounding, to
    /// `scores(forHistory: history.filter { $0.item != object })` at those items.
    func scoresWithout(object: Int, items: [Int]) -> [Float]
    /// For a ``HistoryAdditive`` model, the terms each history object adds to each of `items` (largest first);
    /// nil otherwise.
    func historyTerms(items: [Int]) -> [[HistoryTerm]]?
}

/// The leave-one-out every model supports: the shorter history is scored again over the whole catalogue.
public final class FullRescoring: LeaveOneOutScoring {
    /// The model scoring the histories.
    public let model: any Recommender
    /// The visitor's whole history.
    public let history: [HistoryEntry]
    public let scores: [Float]

    /// Prepares `history`; `scores` are the model's scores for it when already computed.
    public init(model: any Recommender, history: [HistoryEntry], scores: [Float]? = nil) {
        self.model = model
        self.history = history
        self.scores = scores ?? model.scores(forHistory: history)
    }

    public func scores(of items: [Int]) -> [Float] {
        items.map { $0 >= 0 && $0 < scores.count ? scores[$0] : -.infinity }
    }

    public func scoresWithout(object: Int, items: [Int]) -> [Float] {
        let without = model.scores(forHistory: history.filter { $0.item != object })
        return items.map { $0 >= 0 && $0 < without.count ? without[$0] : -.infinity }
    }

    public func historyTerms(items: [Int]) -> [[HistoryTerm]]? {
        (model as? any HistoryAdditive)?.historyTerms(history, items: items)
    }
}

extension Recommender {
    /// Full re-scoring (the default for models without a sparse leave-one-out).
    public func leaveOneOutScoring(forHistory history: [HistoryEntry], scores: [Float]?) -> any LeaveOneOutScoring {
        FullRescoring(model: self, history: history, scores: scores)
    }
}
