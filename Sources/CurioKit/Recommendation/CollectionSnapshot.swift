import CurioCore
import CurioGraph
import CurioMath
import CurioPolicy
import CurioRecommend
import CurioStore
import Foundation

/// Everything recommendation serving needs to know about the collection, read once from the store and kept in
/// memory: the items and their makers and concepts, content features over the *current* catalogue (so objects
/// ingested after training are recommendable at once), popularity from the stored events, the knowledge graph
/// and the catalogue the curator policies work on. Immutable and `Sendable`; rebuilt when the collection changes.
public struct CollectionSnapshot: Sendable {
    /// Every item, in the store's stable id order.
    public let items: [Item]
    /// Position of each item in ``items``.
    public let index: [ItemID: Int]
    /// Makers by id.
    public let agents: [AgentID: Agent]
    /// Every concept.
    public let concepts: [Concept]
    /// Metadata content vectors (makers, subjects and their broader terms, movements, period, medium), one row per item.
    public let content: ItemFeatures
    /// The content model over the current catalogue: cold-start visitors, new items and `similar`.
    public let contentModel: ContentRecommender
    /// Distinct visitors who engaged positively with each item (from the stored events).
    public let popularity: [Double]
    /// Items by decreasing popularity (ties by catalogue order): the list for visitors with no history.
    public let popularOrder: [Int32]
    /// Groups, popularity and vectors for the curator policies.
    public let policyCatalogue: PolicyCatalogue
    /// The knowledge graph of the collection.
    public let graph: KnowledgeGraph
    /// Narrower concepts of each concept (for subject filters that include narrower terms).
    let narrower: [ConceptID: [ConceptID]]
    /// Number of stored events the popularity was computed from.
    public let eventCount: Int
    /// When the snapshot was taken.
    public let takenAt: Date

    /// Reads the collection from `store`.
    /// - Throws: ``RecommendationSetupError/emptyCollection`` without items; store errors.
    public static func load(from store: any CollectionStore, progress: (String) -> Void = { _ in }) throws -> CollectionSnapshot {
        var items: [Item] = []
        try store.forEachItem { items.append($0) }
        guard !items.isEmpty else { throw RecommendationSetupError.emptyCollection }
        let agents = try store.allAgents()
        let concepts = try store.concepts(scheme: nil)
        progress("read \(items.count) items, \(agents.count) makers, \(concepts.count) concepts")
        let events = try store.allEvents(since: nil)
        return try CollectionSnapshot(items: items, agents: agents, concepts: concepts, events: events)
    }

    /// Builds a snapshot from records in memory.
    /// - Throws: ``RecommendationSetupError/emptyCollection``; ``CurioRecommend/RecommendError`` for duplicated ids.
    public init(items: [Item], agents: [Agent], concepts: [Concept], events: [Event]) throws {
        guard !items.isEmpty else { throw RecommendationSetupError.emptyCollection }
        takenAt = Date()
        self.items = items
        var index: [ItemID: Int] = [:]
        index.reserveCapacity(items.count)
        for (i, item) in items.enumerated() { index[item.id] = i }
        self.index = index
        var byID: [AgentID: Agent] = [:]
        for a in agents { byID[a.id] = a }
        self.agents = byID
        self.concepts = concepts
        var narrower: [ConceptID: [ConceptID]] = [:]
        for c in concepts { if let b = c.broader { narrower[b, default: []].append(c.id) } }
        self.narrower = narrower

        let ids = items.map(\.id)
        content = MetadataFeatureEncoder.features(for: items, concepts: concepts)
        let interactions = try InteractionBuilder().build(events: events, catalogue: ids)
        eventCount = events.count
        contentModel = try ContentRecommender.train(on: TrainingData(interactions: interactions, content: content))
        let counts = interactions.itemUserCounts()
        popularity = counts.map(Double.init)
        popularOrder = (0..<items.count).sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }.map { Int32($0) }

        // Policies compare items by dense vectors (diversity); a seeded 64-dimensional sketch of the metadata features.
        var vectors: [ItemID: [Float]] = [:]
        if let dense = content.projected(dimensions: 64, seed: 0xC0A7).denseMatrix {
            vectors.reserveCapacity(items.count)
            for (i, id) in ids.enumerated() { vectors[id] = Array(dense.storage[(i * dense.columns)..<((i + 1) * dense.columns)]) }
        }
        var popularityByID: [ItemID: Double] = [:]
        for (i, id) in ids.enumerated() where counts[i] > 0 { popularityByID[id] = Double(counts[i]) }
        policyCatalogue = PolicyCatalogue(items: items, agents: byID, popularity: popularityByID, vectors: vectors)
        graph = KnowledgeGraph.build(items: items, agents: agents, concepts: concepts)
    }

    /// The catalogue ids in order.
    public var itemIDs: [ItemID] { items.map(\.id) }

    /// A filter on catalogue positions from a maker (agent id, or part of a maker's name, case-insensitive) and a
    /// subject (concept id or label; narrower subjects match too). Nil when neither is given.
    /// - Throws: ``RecommendationSetupError/badParameter(name:reason:)`` when the subject names no concept.
    public func filter(maker: String?, subject: String?) throws -> [Bool]? {
        guard maker != nil || subject != nil else { return nil }
        var allowed = [Bool](repeating: true, count: items.count)
        if let maker {
            let needle = maker.lowercased()
            for (i, item) in items.enumerated() {
                allowed[i] = item.makers.contains { $0.agent.rawValue == maker || $0.name.lowercased().contains(needle) }
            }
        }
        if let subject {
            let lowered = subject.lowercased()
            let roots = concepts.filter { $0.id.rawValue == subject || $0.label.lowercased() == lowered }.map(\.id)
            guard !roots.isEmpty else {
                throw RecommendationSetupError.badParameter(name: "subject", reason: "'\(subject)' is not a concept id or label in this collection")
            }
            var accepted = Set<ConceptID>()
            var stack = roots
            while let c = stack.popLast() {
                guard accepted.insert(c).inserted else { continue }
                stack.append(contentsOf: narrower[c] ?? [])
            }
            for (i, item) in items.enumerated() where allowed[i] {
                allowed[i] = item.subjects.contains { accepted.contains($0) } || item.movements.contains { accepted.contains($0) }
            }
        }
        return allowed
    }
}
