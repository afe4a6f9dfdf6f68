import CurioCore
import CurioRecommend
import Foundation

/// What `curio simulate` is asked to do.
public struct SimulationOptions: Sendable {
    /// Number of simulated visitors (`sim-000001`, `sim-000002`…).
    public var visitors: Int
    /// Same seed, collection and period: same events (so simulating twice stores nothing new).
    public var seed: UInt64
    /// Length of the simulated period in days.
    public var days: Int
    /// End of the simulated period (default: today, 00:00 UTC, so that no event is in the future).
    public var end: Date
    /// When set, every visitor walks the venue room by room and looks only at works on display (events carry
    /// rooms and sessions, as next-exhibit training needs); see `VenueRoomWalk`.
    public var walk: (any VenueWalk)?

    public init(visitors: Int, seed: UInt64 = 42, days: Int = 365, end: Date? = nil) {
        self.visitors = visitors
        self.seed = seed
        self.days = days
        let now = Date().timeIntervalSince1970
        self.end = end ?? Date(timeIntervalSince1970: (now / 86_400).rounded(.down) * 86_400)
    }
}

/// What simulation stored.
public struct SimulationReport: Sendable, Codable, Equatable {
    public var visitors: Int
    /// Events generated.
    public var events: Int
    /// Events stored, and exact duplicates of stored events (not stored again).
    public var appended: Int
    public var duplicates: Int
    public var start: Date
    public var end: Date
    /// Generated events by kind.
    public var kinds: [String: Int]
}

extension Curio {
    /// Simulates visitors over the stored collection (see "The visitor simulator" in `docs/recommenders.md`) and
    /// stores their events through the normal validated event path, in one transaction: all or nothing.
    /// - Throws: ``RecommendationSetupError/emptyCollection``, ``RecommendationSetupError/badParameter(name:reason:)``,
    ///   ``CurioError`` when events are rejected (nothing stored), store errors.
    public func simulate(_ options: SimulationOptions, progress: (String) -> Void = { _ in }) throws -> SimulationReport {
        guard options.visitors >= 1, options.visitors <= 10_000_000 else {
            throw RecommendationSetupError.badParameter(name: "visitors", reason: "must be between 1 and 10000000 (got \(options.visitors))")
        }
        guard options.days >= 1, options.days <= 36_500 else {
            throw RecommendationSetupError.badParameter(name: "days", reason: "must be between 1 and 36500 (got \(options.days))")
        }
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        guard !items.isEmpty else { throw RecommendationSetupError.emptyCollection }
        var configuration = VisitorSimulator.Configuration()
        configuration.visitors = options.visitors
        configuration.seed = options.seed
        configuration.end = options.end
        configuration.start = options.end.addingTimeInterval(-Double(options.days) * 86_400)
        progress("simulating \(options.visitors) visitors over \(items.count) objects")
        let simulator = try VisitorSimulator(items: items, concepts: try store.concepts(scheme: nil),
                                             agents: try store.allAgents(), configuration: configuration, walk: options.walk)
        let output = simulator.run()
        progress("storing \(output.events.count) events")
        let summary = try recordEvents(output.events)
        var kinds: [String: Int] = [:]
        for e in output.events { kinds[e.kind.rawValue, default: 0] += 1 }
        return SimulationReport(visitors: options.visitors, events: output.events.count, appended: summary.appended,
                                duplicates: summary.duplicates, start: configuration.start, end: configuration.end, kinds: kinds)
    }
}
