import CurioCore
import CurioStore
import CurioVisits
import Foundation

/// Venues, tours and next-exhibit suggestions over a ``Curio`` store — the code behind `curio venue`, `curio tour`,
/// `curio next`, `GET /v1/tours`, `POST /v1/tours/{id}/progress` and `GET /v1/visitors/{id}/next`.
///
/// ```swift
/// let visits = VisitService(curio: curio)
/// try visits.importVenue(contentsOf: URL(fileURLWithPath: "data/venue/tate-sample-venue.json"))
/// let tour = try visits.planTour(TourQuery(minutes: 45, interests: "storms at sea"))
/// let updated = try visits.progress(tour: tour.id, updates: [.skipped(item: tour.stops[0].item)])
/// ```
/// Create one per process (the server keeps one): it caches the venue, the items on display and the next-exhibit
/// model, and notices a newly imported venue or model on the next call. Thread-safe.
public final class VisitService: @unchecked Sendable {
    /// The engine everything is read from.
    public let curio: Curio
    /// How long a tour is kept after its planned end (or after its last update, when later), for progress updates.
    public var tourRetention: TimeInterval = 2 * 3600

    private let lock = NSLock()
    private var cachedVenue: (key: String, context: VenueContext)?
    private var cachedModel: (key: String, model: any NextExhibitModel)?

    /// Uses `curio`'s store, which must also be a `VisitStateStore` (the SQLite store is).
    public init(curio: Curio) {
        self.curio = curio
    }

    var state: any VisitStateStore {
        get throws {
            guard let s = curio.store as? any VisitStateStore else { throw CurioServiceError.unsupportedStore }
            return s
        }
    }

    // MARK: Venues

    /// Reads, validates and stores a venue file (replacing a stored venue with the same id), in one transaction.
    /// - Throws: `VisitError.badVenue`/`.invalidVenue` naming every bad field; ``CurioServiceError/unplacedItems(file:problems:)``
    ///   when placements name items that are not stored. Nothing is stored then.
    @discardableResult
    public func importVenue(contentsOf url: URL, now: Date = Date()) throws -> VenueImportReport {
        let loaded = try VenueFile.load(contentsOf: url)
        return try store(loaded.venue, warnings: loaded.warnings, file: url.path, now: now)
    }

    /// Validates and stores venue JSON; `file` names the source in messages.
    @discardableResult
    public func importVenue(_ data: Data, file: String, now: Date = Date()) throws -> VenueImportReport {
        let loaded = try VenueFile.decode(data, file: file)
        return try store(loaded.venue, warnings: loaded.warnings, file: file, now: now)
    }

    /// The stored venue with `id`, or the one imported last.
    /// - Throws: ``CurioServiceError/noVenue(id:)``.
    public func venue(id: String? = nil) throws -> Venue {
        try context(venueID: id).venue
    }

    /// Ids and names of stored venues, the one imported last (the default) first.
    public func venues() throws -> [StoredVenueDocument.Summary] { try state.venueList() }

    /// Applies an edit (`place`, `close`, …) to a stored venue and stores the result, re-validated.
    /// - Throws: the edit's `VisitError`; `VisitError.invalidVenue` when the result is not a valid venue.
    @discardableResult
    public func editVenue(id: String? = nil, now: Date = Date(), _ edit: (inout Venue) throws -> Void) throws -> Venue {
        var venue = try self.venue(id: id)
        try edit(&venue)
        let check = VenueFile.validate(venue)
        if !check.problems.isEmpty { throw VisitError.invalidVenue(file: "venue '\(venue.id)'", problems: check.problems) }
        _ = try store(venue, warnings: check.warnings, file: "venue '\(venue.id)'", now: now)
        return venue
    }

    private func store(_ venue: Venue, warnings: [FieldProblem], file: String, now: Date) throws -> VenueImportReport {
        let known = try curio.store.items(ids: venue.placements.map(\.item))
        var unknown: [FieldProblem] = []
        for (i, p) in venue.placements.enumerated() where known[p.item] == nil {
            unknown.append(FieldProblem(field: "placements[\(i)].item", message: "'\(p.item)' is not in the collection"))
        }
        if !unknown.isEmpty { throw CurioServiceError.unplacedItems(file: file, problems: unknown) }
        let replaced = try state.venueList().contains { $0.id == venue.id }
        let levels = Dictionary(venue.floors.map { ($0.id, $0.level) }, uniquingKeysWith: { a, _ in a })
        var walks: [StoredVenue.Walk] = []
        for c in venue.connections {
            walks.append(.init(from: c.from, to: c.to, seconds: c.seconds))
            if !c.isOneWay { walks.append(.init(from: c.to, to: c.from, seconds: c.seconds)) }
        }
        let hours = try? JSONEncoder.sorted.encode(venue.openingHours)
        let stored = StoredVenue(
            id: venue.id, name: venue.name, openingHours: hours.map { String(decoding: $0, as: UTF8.self) },
            document: try VenueFile.encode(venue),
            rooms: venue.rooms.map { .init(id: $0.id, name: $0.name, floorLevel: levels[$0.floor], stepFree: $0.isStepFree) },
            walks: walks,
            placements: venue.placements.map { p in
                .init(item: p.item, room: p.room,
                      position: p.position.map { "\($0.x),\($0.y)" } ?? p.wall)
            })
        try state.saveVenue(stored, importedAt: now)
        curio.logger.debug("venue stored", metadata: ["venue": "\(venue.id)", "placements": "\(venue.placements.count)"])
        return VenueImportReport(venue: venue.id, name: venue.name, floors: venue.floors.count, rooms: venue.rooms.count,
                                 connections: venue.connections.count, placements: venue.placements.count,
                                 replaced: replaced, warnings: warnings.map(\.description))
    }

    /// The venue with everything planning needs: its items on display, concepts and popularity. Cached until a
    /// venue is imported or edited.
    func context(venueID: String?) throws -> VenueContext {
        let list = try state.venueList()
        guard let summary = venueID.map({ id in list.first { $0.id == id } }) ?? list.first else {
            throw CurioServiceError.noVenue(id: venueID)
        }
        let key = "\(summary.id)@\(summary.importedAt?.timeIntervalSinceReferenceDate ?? 0)"
        lock.lock()
        if let cachedVenue, cachedVenue.key == key {
            lock.unlock()
            return cachedVenue.context
        }
        lock.unlock()
        guard let document = try state.venueDocument(id: summary.id) else { throw CurioServiceError.noVenue(id: venueID) }
        let venue = try VenueFile.decode(document.document, file: "stored venue '\(summary.id)'").venue
        let items = try curio.store.items(ids: venue.placements.map(\.item))
        let concepts = try curio.store.concepts(scheme: nil)
        let catalog = VisitCatalog(items: Array(items.values), concepts: concepts)
        let context = VenueContext(venue: venue, catalog: catalog)
        lock.lock()
        cachedVenue = (key, context)
        lock.unlock()
        return context
    }

    // MARK: Tours

    /// Plans a tour and keeps it (for ``progress(tour:updates:now:)``) until two hours after its planned end.
    ///
    /// Interests come from the visitor's events (works like the ones they viewed, liked or rated highly), or from
    /// `interests` text (full-text search over the works on display), or — with neither — from how often each work
    /// was viewed. When no start time is given and the building is closed now, the tour is planned for the next
    /// opening (with a note).
    /// - Throws: `VisitError.infeasible(reason:)` with the planner's explanation, `VisitError.unknownRoom`,
    ///   `VisitError.badParameter`, ``CurioServiceError``.
    public func planTour(_ query: TourQuery, now: Date = Date()) throws -> Tour {
        let ctx = try context(venueID: query.venue)
        let venue = ctx.venue
        guard query.minutes > 0, query.minutes <= 24 * 60 else {
            throw VisitError.badParameter(name: "minutes", reason: "must be between 1 and 1440, got \(query.minutes)")
        }
        if query.visitor != nil, query.interests != nil {
            throw VisitError.badParameter(name: "interests", reason: "give either a visitor or interests, not both")
        }
        let start = query.start ?? venue.entrances.first ?? venue.rooms.first?.id ?? ""
        if venue.room(start) == nil { throw VisitError.unknownRoom(id: start) }
        if let end = query.end, venue.room(end) == nil { throw VisitError.unknownRoom(id: end) }

        var notes: [String] = []
        let (candidates, source) = try interests(for: query, context: ctx, now: now)
        notes.append(source)
        var startTime = query.startTime ?? now
        if query.startTime == nil, let next = try nextOpening(venue, after: now, minutes: query.minutes), next > now {
            startTime = next
            let f = DateFormatter()
            f.timeZone = TimeZone(identifier: venue.timeZone)
            f.dateFormat = "EEEE d MMMM yyyy 'at' HH:mm"
            f.locale = Locale(identifier: "en_GB")
            notes.append("The museum is closed now; planned for \(f.string(from: next)), when it next opens.")
        }
        let request = TourRequest(candidates: candidates, startRoom: start, endRoom: query.end, startTime: startTime,
                                  budgetSeconds: Double(query.minutes) * 60, walkingSpeed: query.walkingSpeed,
                                  stepFree: query.stepFree, group: query.group, maxStops: query.maxStops,
                                  weights: query.chronological ? .chronological : TourWeights(), seed: query.seed,
                                  language: query.language)
        try request.validate()
        var tour = try TourPlanner(venue: venue, catalog: ctx.catalog).plan(request)
        tour.notes = notes + tour.notes
        try keep(tour, now: now)
        return tour
    }

    /// A kept tour.
    /// - Throws: ``CurioServiceError/unknownTour(id:)`` when there is none (or it expired).
    public func tour(id: String, now: Date = Date()) throws -> Tour {
        guard let data = try state.tourJSON(id: id, now: now) else { throw CurioServiceError.unknownTour(id: id) }
        return try JSONDecoder.exact.decode(Tour.self, from: data)
    }

    /// Applies what the visitor did (visited, skipped, lingered, moved) and returns — and keeps — the updated
    /// remaining tour.
    /// - Throws: `VisitError.infeasible` when nothing more fits, `VisitError.badParameter` for updates that make no
    ///   sense, ``CurioServiceError/unknownTour(id:)``.
    public func progress(tour id: String, updates: [TourProgress], now: Date? = nil) throws -> Tour {
        let tour = try self.tour(id: id, now: now ?? Date())
        let ctx = try context(venueID: tour.venueID)
        let replanner = TourReplanner(planner: TourPlanner(venue: ctx.venue, catalog: ctx.catalog))
        let updated = try replanner.apply(updates, to: tour, now: now)
        try keep(updated, now: now ?? Date())
        return updated
    }

    private func keep(_ tour: Tour, now: Date) throws {
        let data = try JSONEncoder.exact.encode(tour)
        try state.saveTour(id: tour.id, venue: tour.venueID, createdAt: now,
                           expiresAt: max(tour.deadline, tour.endTime, now).addingTimeInterval(tourRetention), json: data, now: now)
    }

    /// When the building next opens for at least `minutes` (now, when it is open), looking up to two weeks ahead.
    func nextOpening(_ venue: Venue, after now: Date, minutes: Int) throws -> Date? {
        for offset in 0..<15 {
            let day = try VenueDay(venue: venue, containing: now.addingTimeInterval(Double(offset) * 86_400))
            guard let hours = day.hours else { continue }
            let open = day.instant(secondsOfDay: hours.open.seconds), close = day.instant(secondsOfDay: hours.close.seconds)
            let begin = max(open, now)
            // Today counts only when at least a quarter of the visit (and 10 minutes) fits before closing.
            if close.timeIntervalSince(begin) >= max(600, Double(minutes) * 15) { return begin }
        }
        return nil
    }

    /// Interest scores of the works on display, and a sentence saying where they came from.
    func interests(for query: TourQuery, context ctx: VenueContext, now: Date) throws -> ([TourCandidate], String) {
        let placed = ctx.venue.placements.map(\.item)
        if let text = query.interests?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            let onDisplay = Set(placed)
            let hits = try curio.store.searchRanking(text, limit: 5_000).filter { onDisplay.contains($0.item) && $0.score > 0 }
            // BM25 scaled to 0.2…1 for matches; everything else on display keeps a small interest as filler.
            var score: [ItemID: Double] = [:]
            let top = hits.first?.score ?? 1
            for h in hits { score[h.item] = 0.2 + 0.8 * max(0, h.score / top) }
            var how = "match"
            // With text embeddings, the works on display nearest in meaning join by rank (reciprocal rank fusion).
            if let nearest = try? curio.semanticRanking(text, limit: 5_000) {
                let near = nearest.filter { onDisplay.contains($0.item) && $0.score > 0.2 }.prefix(max(20, hits.count)).map(\.item)
                let fused = RankFusion.reciprocalRank([hits.map(\.item), near])
                let best = fused.first?.score ?? 1
                for f in fused { score[f.item] = max(score[f.item] ?? 0, 0.2 + 0.8 * f.score / best) }
                how = "match or are close in meaning"
            }
            guard !score.isEmpty else {
                throw VisitError.infeasible(reason: "no work on display matches \"\(text)\"; try other words, or ask without interests for the most popular works.")
            }
            let candidates = placed.map { TourCandidate(item: $0, interest: score[$0] ?? 0.01) }
            let matched = score.count
            return (candidates, "Interests from your words \"\(text)\": \(matched) work\(matched == 1 ? "" : "s") on display \(how).")
        }
        let popularity = try self.popularity()
        if let visitor = query.visitor {
            let events = try curio.store.events(visitor: visitor)
            guard !events.isEmpty else { throw CurioServiceError.unknownVisitor(id: visitor.rawValue) }
            var scores = VisitorInterest.scores(events: events, candidates: placed, catalog: ctx.catalog,
                                                popularity: popularity)
            var source = "works like the ones they looked at and liked"
            // The recommendation engine's list for the visitor (their events folded in, no curator policy), by rank;
            // works on display it does not reach keep their catalogue similarity, scaled below.
            let request = RecommendationRequest(visitor: visitor, k: 1_000, excludeSeen: true, policy: "none",
                                                recordExposure: false, now: now)
            if let list = try? curio.recommend(request) {
                let onDisplay = Set(placed)
                let ranked = list.items.map { ItemID($0.id) }.filter { onDisplay.contains($0) }
                if !ranked.isEmpty {
                    for (id, value) in scores { scores[id] = 0.25 * value }
                    for (rank, id) in ranked.enumerated() {
                        scores[id] = max(scores[id] ?? 0, 0.3 + 0.7 * (1 - Double(rank) / Double(ranked.count)))
                    }
                    source = "the \(list.model) recommender's list for them (\(ranked.count) works on display), then works like theirs"
                }
            }
            return (placed.map { TourCandidate(item: $0, interest: scores[$0] ?? 0.01) },
                    "Interests from visitor \(visitor)'s \(events.count) event\(events.count == 1 ? "" : "s"): \(source).")
        }
        let maxPop = popularity.values.max() ?? 0
        let candidates = placed.map { id -> TourCandidate in
            let p = maxPop > 0 ? log1p(popularity[id] ?? 0) / log1p(maxPop) : 0
            return TourCandidate(item: id, interest: 0.2 + 0.8 * p)
        }
        return (candidates, maxPop > 0 ? "No interests given: the most viewed works on display come first."
                    : "No interests given and no visits recorded yet: every work on display is equally interesting.")
    }

    /// Interaction counts per item from all stored events (views, likes, ratings, dwell, scans, shares).
    func popularity() throws -> [ItemID: Double] {
        var counts: [ItemID: Double] = [:]
        for e in try curio.store.allEvents(since: nil) where VisitSessions.viewingKinds.contains(e.kind) {
            counts[e.item, default: 0] += 1
        }
        return counts
    }

    // MARK: Next exhibit

    /// Trains the next-exhibit model on every stored visit session and keeps it in the store under `name`.
    /// - Parameter kind: `transitions` (first-order transitions with proximity, tuned), `sasrec` (the self-attentive
    ///   model blended with transitions) or `popularity`.
    /// - Throws: `VisitError.badParameter` when there are too few sessions; ``CurioServiceError/noVenue(id:)``.
    @discardableResult
    public func trainNextExhibitModel(kind: NextModelKind, name: String = "default", configuration: SASRecConfiguration = SASRecConfiguration(),
                                      now: Date = Date(), progress: ((SASRecEpoch) -> Void)? = nil) throws -> NextModelReport {
        let ctx = try context(venueID: nil)
        let sessions = VisitSessions.build(from: try curio.store.allEvents(since: nil), minimumLength: 2)
        guard sessions.count >= 2 else {
            throw VisitError.badParameter(name: "sessions", reason: "only \(sessions.count) visit session\(sessions.count == 1 ? "" : "s") with two or more works are stored; record visitor events first (curio ingest --format events)")
        }
        let vocabulary = ItemVocabulary(sessions: sessions, extra: ctx.venue.placements.map(\.item))
        let split = try NextExhibitEvaluation.split(sessions, testFraction: 0.1, mode: .temporal)
        let data: Data
        let validation: NextExhibitMetrics
        let kindName: String
        switch kind {
        case .popularity:
            let check = PopularityNextModel(sessions: split.train, vocabulary: vocabulary)
            validation = NextExhibitEvaluation.evaluate(check, on: split.test, k: 10)
            let model = PopularityNextModel(sessions: sessions, vocabulary: vocabulary)
            data = try JSONEncoder().encode(model)
            kindName = model.name
        case .transitions:
            let check = TransitionNextModel.fit(sessions: split.train, vocabulary: vocabulary, venue: ctx.venue)
            validation = NextExhibitEvaluation.evaluate(check, on: split.test, k: 10)
            // Refit the counts on every session with the settings tuned on the training part.
            let model = TransitionNextModel(sessions: sessions, vocabulary: vocabulary, venue: ctx.venue,
                                            alpha: check.alpha, lambda: check.lambda, tau: check.tau)
            data = try JSONEncoder().encode(model)
            kindName = model.name
        case .sasrec:
            let baseline = TransitionNextModel.fit(sessions: split.train, vocabulary: vocabulary, venue: ctx.venue)
            let sequence = try SASRecTrainer(configuration: configuration).train(sessions: split.train, vocabulary: vocabulary,
                                                                               progress: progress)
            let blended = try BlendedNextModel.fit(sequence: sequence, baseline: baseline, validation: split.test)
            validation = NextExhibitEvaluation.evaluate(blended, on: split.test, k: 10)
            data = try JSONEncoder().encode(blended)
            kindName = blended.name
        }
        let report = NextModelReport(name: name, kind: kindName, sessions: sessions.count, items: vocabulary.count,
                                     validationSessions: split.test.count, validationNDCG10: validation.ndcg,
                                     validationHR10: validation.hitRate, trainedAt: now)
        let summary = try JSONEncoder.sorted.encode(report)
        try state.saveNextExhibitModel(StoredModel(name: name, kind: kindName, venue: ctx.venue.id, trainedAt: now,
                                                   summary: String(decoding: summary, as: UTF8.self), data: data))
        lock.lock()
        cachedModel = nil
        lock.unlock()
        return report
    }

    /// What the visitor should see next, from their latest visit and where they are, filtered and re-ranked by
    /// the context (closed rooms, step-free access, time left, crowding from the last 15 minutes of events).
    ///
    /// Uses the model trained with ``trainNextExhibitModel(kind:name:configuration:now:progress:)``; without one,
    /// first-order transitions are fitted from the stored events on the spot (`model` then says so).
    public func next(visitor: VisitorID, room: String? = nil, k: Int = 10, now: Date = Date(), stepFree: Bool = false,
                     minutesLeft: Int? = nil, group: GroupType = .adult) throws -> NextExhibitResult {
        guard (1...100).contains(k) else { throw VisitError.badParameter(name: "k", reason: "must be between 1 and 100, got \(k)") }
        let ctx = try context(venueID: nil)
        let events = try curio.store.events(visitor: visitor)
        let recent = try curio.store.allEvents(since: now.addingTimeInterval(-CrowdingEstimator().window))
        let model = try nextModel(venue: ctx.venue)
        let recommender = NextExhibitRecommender(model: model, reranker: ContextReranker(venue: ctx.venue, catalog: ctx.catalog))
        return try recommender.next(visitorEvents: events, recentEvents: recent, room: room, now: now,
                                    timeLeft: minutesLeft.map { Double($0) * 60 }, stepFree: stepFree, group: group, k: k)
    }

    func nextModel(venue: Venue) throws -> any NextExhibitModel {
        let stored = try state.nextExhibitModel(name: "default")
        let key = stored.map { "\($0.kind)@\($0.trainedAt.timeIntervalSinceReferenceDate)" } ?? "fitted"
        lock.lock()
        if let cachedModel, cachedModel.key == key, key != "fitted" {
            lock.unlock()
            return cachedModel.model
        }
        lock.unlock()
        let model: any NextExhibitModel
        if let stored {
            let decoder = JSONDecoder()
            do {
                switch stored.kind {
                case "popularity": model = try decoder.decode(PopularityNextModel.self, from: stored.data)
                case "transitions": model = try decoder.decode(TransitionNextModel.self, from: stored.data)
                case "sasrec": model = try decoder.decode(SASRecModel.self, from: stored.data).validated()
                case "sasrec+transitions": model = try decoder.decode(BlendedNextModel.self, from: stored.data)
                default: throw VisitError.badModel(reason: "unknown model kind '\(stored.kind)'")
                }
            } catch let error as VisitError {
                throw error
            } catch {
                throw VisitError.badModel(reason: "the stored '\(stored.kind)' model is damaged (\(error)); train it again with `curio next train`")
            }
        } else {
            let sessions = VisitSessions.build(from: try curio.store.allEvents(since: nil))
            let vocabulary = ItemVocabulary(sessions: sessions, extra: venue.placements.map(\.item))
            model = FittedOnRequest(base: TransitionNextModel.fit(sessions: sessions, vocabulary: vocabulary, venue: venue, tune: false))
        }
        lock.lock()
        cachedModel = (key, model)
        lock.unlock()
        return model
    }
}

/// A transitions model fitted when a suggestion was asked for because none was trained; named so.
struct FittedOnRequest: NextExhibitModel {
    let base: TransitionNextModel
    var name: String { "transitions (fitted on request; train one with `curio next train`)" }
    var vocabulary: ItemVocabulary { base.vocabulary }
    func scores(after history: [ItemID]) -> [Float] { base.scores(after: history) }
}

/// A venue with the collection facts planning needs.
struct VenueContext: Sendable {
    let venue: Venue
    let catalog: VisitCatalog
}

/// The next-exhibit models `curio next train --model` accepts.
public enum NextModelKind: String, Sendable, CaseIterable, Codable {
    /// First-order transitions with walking proximity, tuned on recent sessions.
    case transitions
    /// The self-attentive sequential model (SASRec), blended with transitions.
    case sasrec
    /// How often each work is viewed.
    case popularity
}

/// What training a next-exhibit model did.
public struct NextModelReport: Sendable, Codable, Equatable {
    public var name: String
    public var kind: String
    /// Visit sessions with two or more works.
    public var sessions: Int
    /// Works the model can suggest.
    public var items: Int
    /// The most recent sessions held out to measure the model (and choose its settings) before the final fit.
    public var validationSessions: Int
    public var validationNDCG10: Double
    public var validationHR10: Double
    public var trainedAt: Date
}

/// What a tour request asks for.
public struct TourQuery: Sendable, Equatable {
    /// The time budget in minutes.
    public var minutes: Int
    /// Plan from this visitor's events…
    public var visitor: VisitorID?
    /// … or from these words.
    public var interests: String?
    /// Start room (default: the venue's first entrance) and optional end room.
    public var start: String?
    public var end: String?
    /// When the tour starts (default: now, or the next opening when the building is closed).
    public var startTime: Date?
    public var stepFree: Bool
    public var group: GroupType
    public var walkingSpeed: Double
    /// Prefer going forward in time from stop to stop.
    public var chronological: Bool
    public var maxStops: Int?
    public var language: String?
    /// Venue id (default: the venue imported last).
    public var venue: String?
    public var seed: UInt64

    public init(minutes: Int, visitor: VisitorID? = nil, interests: String? = nil, start: String? = nil, end: String? = nil,
                startTime: Date? = nil, stepFree: Bool = false, group: GroupType = .adult, walkingSpeed: Double = 1,
                chronological: Bool = false, maxStops: Int? = nil, language: String? = nil, venue: String? = nil,
                seed: UInt64 = 1) {
        self.minutes = minutes
        self.visitor = visitor
        self.interests = interests
        self.start = start
        self.end = end
        self.startTime = startTime
        self.stepFree = stepFree
        self.group = group
        self.walkingSpeed = walkingSpeed
        self.chronological = chronological
        self.maxStops = maxStops
        self.language = language
        self.venue = venue
        self.seed = seed
    }
}

/// What importing (or editing) a venue stored.
public struct VenueImportReport: Sendable, Codable, Equatable {
    public var venue: String
    public var name: String
    public var floors: Int
    public var rooms: Int
    public var connections: Int
    public var placements: Int
    /// Whether a venue with the same id was replaced.
    public var replaced: Bool
    /// Problems that did not stop the import (unreachable rooms, …).
    public var warnings: [String]
}

extension JSONEncoder {
    /// Sorted keys, ISO 8601 dates.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    /// Dates as seconds since 2001 (exact round trips, for kept tours).
    static var exact: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(date.timeIntervalSinceReferenceDate)
        }
        return e
    }
}

extension JSONDecoder {
    /// Reads what ``JSONEncoder/exact`` wrote.
    static var exact: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            Date(timeIntervalSinceReferenceDate: try decoder.singleValueContainer().decode(Double.self))
        }
        return d
    }
}
