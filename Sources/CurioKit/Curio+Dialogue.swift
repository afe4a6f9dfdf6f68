import CurioCore
import CurioDialogue
import CurioImaging
import CurioMath
import CurioRecommend
import CurioStore
import CurioVisits
import Foundation

/// The conversational guide over a ``Curio`` store — the code behind `curio chat`, `POST /v1/conversations` and
/// `POST /v1/conversations/{id}/messages`.
///
/// The guide's catalogue (items, makers, concepts, popularity from events) is built from the store once per
/// service, conversations are kept in the store (so they survive a restart), and the guide's tools are the engine's
/// own functions (``EngineDialogueTools``). With `CURIO_LLM_URL` and `CURIO_LLM_MODEL` set, a language model
/// understands and phrases through `LLMGuide`, every answer checked against the store.
///
/// ```swift
/// let guide = GuideService(curio: curio, visits: VisitService(curio: curio))
/// var conversation = try guide.startConversation()
/// let reply = try guide.reply(to: "stormy seas by Turner", in: conversation.id)
/// ```
public final class GuideService: @unchecked Sendable {
    /// The engine everything is read from.
    public let curio: Curio
    /// Used by the plan-tour tool.
    public let visits: VisitService
    /// The language model, when configured.
    public let llm: LLMConfiguration?
    /// Finds the stored item whose image is nearest to an image file; nil when no image embeddings are stored.
    /// By default the nearest stored EfficientNet-Lite0 image embedding (``Curio/itemsNearest(toImageAt:k:)``).
    public var imageMatcher: (@Sendable (URL) throws -> ItemID?)?

    private let lock = NSLock()
    private var built: (catalogue: DialogueCatalogue, engine: DialogueEngine)?
    private let conversationLocks = (0..<16).map { _ in NSLock() }

    /// - Parameter environment: read for `CURIO_LLM_URL`, `CURIO_LLM_MODEL` and `CURIO_LLM_API_KEY`.
    public init(curio: Curio, visits: VisitService, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.curio = curio
        self.visits = visits
        self.llm = LLMConfiguration.fromEnvironment(environment)
        self.imageMatcher = { [curio] url in
            do {
                return try curio.itemsNearest(toImageAt: url.path, k: 1).first?.item
            } catch let error as ImagingError {
                throw CurioServiceError.badInput(field: "image", reason: error.description)
            }
        }
    }

    /// The guide's view of the collection, built from the store on first use.
    public func catalogue() throws -> DialogueCatalogue { try engine().catalogue }

    /// The offline guide (built on first use).
    public func engine() throws -> DialogueEngine {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built.engine }
        let catalogue = try Self.buildCatalogue(from: curio.store)
        // The search tool runs on every reply: an in-memory copy of the store's full-text index answers it
        // identically in about a millisecond instead of up to 200 ms for common words (nil: search the store).
        var textIndex: FullTextIndex?
        if let store = curio.store as? SQLiteStore {
            do {
                textIndex = try store.fullTextIndex()
            } catch {
                curio.logger.warning("guide searches the store directly", metadata: ["reason": "\(error)"])
            }
        }
        let tools = EngineDialogueTools(curio: curio, visits: visits, catalogue: catalogue, textIndex: textIndex)
        let engine = DialogueEngine(catalogue: catalogue, tools: tools)
        built = (catalogue, engine)
        curio.logger.debug("guide catalogue built", metadata: ["items": "\(catalogue.items.count)"])
        return engine
    }

    /// Builds the guide's catalogue from everything stored: items, makers (names, aliases, genders, birth places),
    /// concepts with their hierarchy, and popularity (viewing events per item).
    public static func buildCatalogue(from store: any CollectionStore) throws -> DialogueCatalogue {
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        let agents = Dictionary(try store.allAgents().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let concepts = Dictionary(try store.concepts(scheme: nil).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var popularity: [ItemID: Double] = [:]
        for e in try store.allEvents(since: nil) where VisitSessions.viewingKinds.contains(e.kind) {
            popularity[e.item, default: 0] += 1
        }
        return DialogueCatalogue(items: items, agents: agents, concepts: concepts, popularity: popularity)
    }

    // MARK: Conversations

    /// Starts a conversation and keeps it in the store.
    public func startConversation(now: Date = Date()) throws -> DialogueState {
        let state = DialogueState(id: Self.newID(), now: now)
        try save(state)
        return state
    }

    /// A kept conversation.
    /// - Throws: `DialogueError.unknownConversation` when there is none, `DialogueError.badConversationID` for an
    ///   id that cannot be one.
    public func conversation(_ id: String) throws -> DialogueState {
        guard Self.isValidID(id) else { throw DialogueError.badConversationID(id) }
        guard let state = try conversations.load(id) else { throw DialogueError.unknownConversation(id) }
        return state
    }

    /// Where conversations are kept: the store's `conversations` table.
    /// - Throws: ``CurioServiceError/unsupportedStore`` when the store cannot keep them.
    public var conversations: StoredConversations {
        get throws { StoredConversations(store: try visitState) }
    }

    /// Answers one message in a kept conversation and stores the updated conversation.
    /// - Parameters:
    ///   - item: an object given as the query ("more like this"); must be stored.
    ///   - image: an image file given as the query; the nearest stored image decides the object.
    /// - Throws: `DialogueError.unknownConversation`, ``CurioServiceError/badInput(field:reason:)`` for an unknown
    ///   item or empty message, ``CurioServiceError/imageSearchUnavailable(reason:)``.
    public func reply(to text: String, item: ItemID? = nil, image: String? = nil, in id: String, now: Date = Date()) throws -> Reply {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty || item != nil || image != nil else {
            throw CurioServiceError.badInput(field: "text", reason: "is empty; say what you would like to see")
        }
        guard trimmed.count <= 2_000 else { throw CurioServiceError.badInput(field: "text", reason: "is longer than 2,000 characters") }
        let engine = try self.engine()
        var query = item
        if let item, engine.catalogue.facts(item) == nil {
            throw CurioServiceError.badInput(field: "item", reason: "'\(item)' is not in the collection")
        }
        if let image {
            query = try match(image: image)
        }
        let lockIndex = Int(UInt(bitPattern: id.hashValue) % UInt(conversationLocks.count))
        conversationLocks[lockIndex].lock()
        defer { conversationLocks[lockIndex].unlock() }
        var state = try conversation(id)
        let message = trimmed.isEmpty ? "more like this" : trimmed
        var reply: Reply
        if let llm {
            let guide = LLMGuide(engine: engine, configuration: llm)
            let before = state, asked = query
            if let answered = Self.waitFor({ () async -> (Reply, DialogueState) in
                var s = before
                let r = await guide.respond(to: message, item: asked, state: &s, now: now)
                return (r, s)
            }) {
                (reply, state) = answered
            } else {
                reply = engine.respond(to: message, item: query, state: &state, now: now)
            }
        } else {
            reply = engine.respond(to: message, item: query, state: &state, now: now)
        }
        reply.conversation = id
        try save(state)
        return reply
    }

    private func match(image path: String) throws -> ItemID {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CurioServiceError.badInput(field: "image", reason: "no file at \(path)")
        }
        guard let imageMatcher else {
            throw CurioServiceError.imageSearchUnavailable(reason: "no image embeddings are stored for this collection, so a photo cannot be matched to a work; send the work's id as \"item\" instead")
        }
        guard let found = try imageMatcher(url) else {
            throw CurioServiceError.imageSearchUnavailable(reason: "no work of this collection has an image embedding to compare \(path) with (run `curio embed` on a collection with local images), so a photo cannot be matched to a work; send the work's id as \"item\" instead")
        }
        return found
    }

    private var visitState: any VisitStateStore {
        get throws {
            guard let s = curio.store as? any VisitStateStore else { throw CurioServiceError.unsupportedStore }
            return s
        }
    }

    private func save(_ state: DialogueState) throws {
        try conversations.save(state)
    }

    /// `c-` and 16 random hex digits.
    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return "c-" + String(format: "%016llx", g.next() as UInt64)
    }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 100 && id.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    /// Runs async work to completion from synchronous code (HTTP handlers, the CLI loop).
    static func waitFor<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T? {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.set(await body())
            done.signal()
        }
        done.wait()
        return box.get()
    }
}

/// The guide's conversations kept in a store's `conversations` table (schema migration 3): each conversation's
/// whole ``DialogueState`` as JSON (dates as exact seconds), replaced after every reply.
public struct StoredConversations: ConversationStore {
    let store: any VisitStateStore

    public func load(_ id: String) throws -> DialogueState? {
        guard let data = try store.conversationJSON(id: id) else { return nil }
        return try JSONDecoder.exact.decode(DialogueState.self, from: data)
    }

    public func save(_ state: DialogueState) throws {
        try store.saveConversation(id: state.id, createdAt: state.createdAt, updatedAt: state.updatedAt,
                                   json: JSONEncoder.exact.encode(state))
    }
}

/// A value handed from a task to the waiting thread.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ v: T) {
        lock.lock()
        value = v
        lock.unlock()
    }
    func get() -> T? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// The guide's tools, implemented with the engine's own functions — the code behind the HTTP API:
///
/// - `search`: BM25 over the store (SQLite FTS5), fused with MiniLM semantic search (reciprocal rank fusion, as
///   `GET /v1/search?mode=hybrid`) when the text model is installed and item embeddings are stored;
/// - `recommend`: the content recommender's fold-in of the works liked (and disliked) in the conversation;
/// - `similar`: the content recommender's nearest works (as `curio similar`);
/// - `explain`: the knowledge-graph explanation of the recommendation service ("shares the subject … with …");
/// - `planTour`: the tour planner over the stored venue (``VisitService``).
///
/// When the recommendation service cannot load (no collection), the guide's built-in catalogue tools answer.
public struct EngineDialogueTools: DialogueTools {
    public let curio: Curio
    public let visits: VisitService
    /// The in-memory copy of the store's full-text index the search tool uses (nil: it searches the store).
    public let textIndex: FullTextIndex?
    let content: CatalogueTools
    private let semantic = SemanticAvailability()
    private let results = ToolResultCache(capacity: 64)

    /// - Parameter textIndex: a snapshot of the store's full-text index (``SQLiteStore/fullTextIndex()``), searched
    ///   instead of the store with identical results; nil to search the store.
    public init(curio: Curio, visits: VisitService, catalogue: DialogueCatalogue, textIndex: FullTextIndex? = nil) {
        self.curio = curio
        self.visits = visits
        self.textIndex = textIndex
        self.content = CatalogueTools(catalogue: catalogue)
    }

    /// The recommendation service's loaded state, or nil when it cannot load.
    private var engine: RecommendationService.LoadedState? {
        try? curio.recommendations().current()
    }

    public func search(_ text: String, k: Int) -> [(id: ItemID, score: Float)] {
        guard let lexical = textIndex?.ranking(text, limit: k) ?? (try? curio.store.searchRanking(text, limit: k)) else { return [] }
        guard semantic.isAvailable(probe: { try curio.semanticRanking("museum", limit: 1) }),
              let nearest = try? curio.semanticRanking(text, limit: min(k, 200)) else {
            return lexical.map { ($0.item, Float($0.score)) }
        }
        // Reciprocal rank fusion of the two rankings (k = 60).
        return RankFusion.reciprocalRank([lexical.map(\.item), nearest.map(\.item)]).prefix(k).map { ($0.item, Float($0.score)) }
    }

    public func recommend(liked: [ItemID], disliked: [ItemID], k: Int) -> [(id: ItemID, score: Float)] {
        guard let state = engine else { return content.recommend(liked: liked, disliked: disliked, k: k) }
        // A conversation asks again on every turn until the likes change: the ranking is kept per model state.
        return results.value(for: .recommend(generation: state.generation, liked: liked, disliked: disliked, k: k)) {
            recommend(liked: liked, disliked: disliked, k: k, state: state)
        }
    }

    private func recommend(liked: [ItemID], disliked: [ItemID], k: Int, state: RecommendationService.LoadedState)
        -> [(id: ItemID, score: Float)] {
        let snapshot = state.snapshot
        var history: [HistoryEntry] = []
        for id in liked { if let i = snapshot.index[id] { history.append(HistoryEntry(item: i, weight: 1)) } }
        guard !history.isEmpty else { return [] }
        for id in disliked { if let i = snapshot.index[id] { history.append(HistoryEntry(item: i, weight: -1)) } }
        let excluded = Set(history.map(\.item))
        let scores = snapshot.contentModel.scores(forHistory: history)
        return TopK.select(scores, k: k) { excluded.contains($0) || scores[$0] <= 0 }.map { (snapshot.items[$0.index].id, $0.score) }
    }

    public func similar(to item: ItemID, k: Int) -> [(id: ItemID, score: Float)] {
        guard let state = engine, let i = state.snapshot.index[item] else { return content.similar(to: item, k: k) }
        // A critique's anchor is asked about on every later turn of the request: kept per model state.
        return results.value(for: .similar(generation: state.generation, item: item, k: k)) {
            state.snapshot.contentModel.similarItems(to: i, k: k).filter { $0.score > 0 }.map { ($0.id, $0.score) }
        }
    }

    public func explain(item: ItemID, liked: [ItemID]) -> [String] {
        let anchors = liked.filter { $0 != item }
        guard !anchors.isEmpty else { return [] }
        guard let state = engine, state.snapshot.index[item] != nil else { return content.explain(item: item, liked: anchors) }
        let weight = 1 / Double(anchors.count)
        let links = state.composer.typed([item], history: anchors)[0]
        let evidence = state.composer.evidence(typed: links, attributions: anchors.map { ($0, weight) }, fallback: .textSimilarity)
        guard !evidence.isEmpty else { return content.explain(item: item, liked: anchors) }
        let sentence = state.composer.explain(evidence, adjustments: [], popular: false).sentence
        return sentence.isEmpty ? [] : [sentence.hasSuffix(".") ? sentence : sentence + "."]
    }

    public func planTour(minutes: Int, interests: [ItemID], text: String) throws -> TourSummary? {
        guard (try? visits.venues().isEmpty) == false else { return nil }
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var query = TourQuery(minutes: minutes)
        if !words.isEmpty {
            query.interests = words
        } else if !interests.isEmpty {
            // Works like the ones the visitor liked in the conversation: their makers, titles and subjects as words.
            let items = (try? curio.store.items(ids: interests)) ?? [:]
            let terms = items.values.flatMap { item in item.makers.map(\.name) + [item.title] }
            if !terms.isEmpty { query.interests = terms.joined(separator: " ") }
        }
        let tour: Tour
        do {
            tour = try visits.planTour(query)
        } catch VisitError.infeasible where query.interests != nil {
            // Nothing on display matches the words: plan the most popular works instead.
            query.interests = nil
            tour = try visits.planTour(query)
        }
        return TourSummary(stops: tour.stops.map { .init(item: $0.item, room: $0.roomName, transition: $0.transition?.sentence) },
                           minutes: Int((tour.totalSeconds / 60).rounded()))
    }
}

/// The latest rankings of the `recommend` and `similar` tools, keyed by the recommendation model's state
/// (a reloaded model starts afresh), least recently used dropped first. Each entry is one ranking (up to a few
/// thousand works), so 64 of them take a few megabytes.
final class ToolResultCache: @unchecked Sendable {
    enum Key: Hashable {
        case similar(generation: Int, item: ItemID, k: Int)
        case recommend(generation: Int, liked: [ItemID], disliked: [ItemID], k: Int)
    }

    private let capacity: Int
    private let lock = NSLock()
    private var entries: [Key: (value: [(id: ItemID, score: Float)], used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The kept ranking for `key`, or `compute()`'s (computed outside the lock, then kept).
    func value(for key: Key, compute: () -> [(id: ItemID, score: Float)]) -> [(id: ItemID, score: Float)] {
        lock.lock()
        clock += 1
        if let hit = entries[key] {
            entries[key] = (hit.value, clock)
            lock.unlock()
            return hit.value
        }
        lock.unlock()
        let value = compute()
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        entries[key] = (value, clock)
        return value
    }
}

/// Whether semantic search works here (the text model is installed and items are embedded), found out once.
final class SemanticAvailability: @unchecked Sendable {
    private let lock = NSLock()
    private var known: Bool?

    func isAvailable(probe: () throws -> Any) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let known { return known }
        let works = (try? probe()) != nil
        known = works
        return works
    }
}
