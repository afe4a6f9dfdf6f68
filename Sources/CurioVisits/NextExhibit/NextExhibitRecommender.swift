import CurioCore
import CurioMath
import Foundation

/// What to see next, with the context that shaped it.
public struct NextExhibitResult: Sendable, Codable, Equatable {
    /// The visit so far (oldest first) that the model read.
    public var history: [ItemID]
    /// The context used for filtering and re-ranking.
    public var context: VisitContext
    /// Suggestions, best first, with reasons; and what was filtered out and why.
    public var suggestions: RerankResult
    /// The model that produced the base scores.
    public var model: String
}

/// Serves next-exhibit suggestions (`GET /v1/visitors/{id}/next?room=…`): a ``NextExhibitModel`` scores every item
/// after the visit so far, and the ``ContextReranker`` applies where the visitor is, their time, needs and crowding.
public struct NextExhibitRecommender: Sendable {
    public let model: any NextExhibitModel
    public let reranker: ContextReranker
    /// How many of the model's best items are passed to the re-ranker.
    public var candidatePool: Int

    public init(model: any NextExhibitModel, reranker: ContextReranker, candidatePool: Int = 200) {
        self.model = model
        self.reranker = reranker
        self.candidatePool = candidatePool
    }

    /// Suggestions after an explicit visit history.
    /// - Throws: ``VisitError`` for an invalid context (unknown room, bad parameters).
    public func next(history: [ItemID], context: VisitContext, k: Int = 10) throws -> NextExhibitResult {
        guard k > 0 else { throw VisitError.badParameter(name: "k", reason: "must be at least 1") }
        var context = context
        context.seen.formUnion(history)
        let top = model.predict(after: history, k: max(k, candidatePool))
        let result = try reranker.rerank(top.map { ($0.item, $0.score) }, context: context, limit: k)
        return NextExhibitResult(history: history, context: context, suggestions: result, model: model.name)
    }

    /// Suggestions for a visitor from their events: the history is their latest visit (see ``VisitSessions``), the
    /// context is inferred (``VisitContext/infer(visitorEvents:recentEvents:venue:now:explicitRoom:timeLeft:walkingSpeed:stepFree:group:language:crowding:)``)
    /// with `room` overriding the inferred room.
    public func next(visitorEvents: [Event], recentEvents: [Event] = [], room: String? = nil, now: Date = Date(),
                     timeLeft: Double? = nil, stepFree: Bool = false, group: GroupType = .adult,
                     walkingSpeed: Double = 1, k: Int = 10) throws -> NextExhibitResult {
        let context = try VisitContext.infer(visitorEvents: visitorEvents, recentEvents: recentEvents,
                                             venue: reranker.venue, now: now, explicitRoom: room, timeLeft: timeLeft,
                                             walkingSpeed: walkingSpeed, stepFree: stepFree, group: group)
        let recent = visitorEvents.filter { now.timeIntervalSince($0.timestamp) <= VisitContext.visitGap && $0.timestamp <= now }
        let history = VisitSessions.build(from: recent).last?.items ?? []
        return try next(history: history, context: context, k: k)
    }
}
