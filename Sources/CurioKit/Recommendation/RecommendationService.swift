import CurioCore
import CurioGraph
import CurioMath
import CurioPolicy
import CurioRecommend
import CurioStore
import Foundation

/// Serves explained, policy-controlled recommendations from a collection and its trained models.
///
/// On every request the visitor's stored events are folded into the model (a newly posted like changes the next
/// list, no retraining); visitors with at most one object get content-based recommendations and visitors with none
/// the most visited objects; objects ingested after training join through the content model; the curator policy
/// re-ranks the candidates and records the exposure it delivered; every item carries its evidence.
///
/// The collection snapshot and models are loaded on first use and reloaded when a new model version is trained
/// (the registry changes) or the number of items changes, checked at most once per ``refreshInterval``.
/// Thread-safe: one instance serves every HTTP worker.
public final class RecommendationService: @unchecked Sendable {
    /// Where the collection is read from.
    public let store: any CollectionStore
    /// Trained models (nil for an in-memory collection).
    public let models: ModelDirectory?
    /// The curator policies.
    public let policies: PolicyLibrary
    /// How often the service looks for new model versions and catalogue changes.
    public var refreshInterval: TimeInterval = 1
    /// How long a computed list is reused for the same visitor and parameters while the visitor has no new event, the
    /// model, policy and catalogue are unchanged (0 switches the cache off). Default 30 s, or
    /// `CURIO_RECOMMENDATION_CACHE_SECONDS`. A reused list still counts in the exposure ledger.
    public var cacheLifetime: TimeInterval
    /// Most lists kept in the cache.
    public var cacheCapacity = 20_000
    let logger: Logger
    let attribution = ScoreAttribution()

    private let lock = NSLock()
    private var state: LoadedState?
    private var reloading = false
    private let generationLock = NSLock()
    private var generations = 0
    private let cacheLock = NSLock()
    private var cache: [CacheKey: (list: RecommendationList, at: Date, indices: [Int])] = [:]

    /// Everything a list depends on besides the clock.
    struct CacheKey: Hashable {
        var generation: Int
        var visitor: VisitorID
        var k: Int
        var excludeSeen: Bool
        var policy: String?
        var policyVersion: Int
        var maker: String?
        var subject: String?
        var model: String?
        var events: Int
        var lastEvent: Date?
    }

    /// The loaded collection and models.
    final class LoadedState: @unchecked Sendable {
        let snapshot: CollectionSnapshot
        let engine: PolicyEngine
        let composer: ExplanationComposer
        let registryDate: Date?
        let itemCount: Int
        /// Distinguishes successive states (cache keys).
        let generation: Int
        var checkedAt = Date()
        private let lock = NSLock()
        private var models: [String: ServingModel] = [:]

        init(snapshot: CollectionSnapshot, ledger: ExposureLedger, registryDate: Date?, generation: Int) {
            self.generation = generation
            self.snapshot = snapshot
            engine = PolicyEngine(catalogue: snapshot.policyCatalogue, ledger: ledger)
            let items = snapshot.items, index = snapshot.index
            composer = ExplanationComposer(titles: { id in index[id].map { items[$0].title } },
                                           typing: MetaPathRecommender(index: MetaPathIndex(graph: snapshot.graph,
                                                                                            metaPaths: MetaPath.catalogue)))
            self.registryDate = registryDate
            itemCount = snapshot.items.count
        }

        /// The serving model, or a named one; loaded once per state.
        func model(_ name: String?, directory: ModelDirectory?) throws -> ServingModel? {
            guard let directory else { return nil }
            let key = name ?? ""
            lock.lock()
            if let m = models[key] {
                lock.unlock()
                return m
            }
            lock.unlock()
            let loaded: ServingModel
            do {
                loaded = try ServingModel.load(name, from: directory, snapshot: snapshot)
            } catch RecommendationSetupError.noTrainedModel(nil, _) {
                return nil
            }
            lock.lock()
            models[key] = loaded
            lock.unlock()
            return loaded
        }
    }

    /// A service over `store`; models and policies live next to `databasePath` when given.
    /// - Throws: file errors creating the policy folder.
    public init(store: any CollectionStore, databasePath: String?, logger: Logger = .disabled) throws {
        self.store = store
        self.logger = logger
        models = databasePath.map { ModelDirectory(databasePath: $0) }
        cacheLifetime = ProcessInfo.processInfo.environment["CURIO_RECOMMENDATION_CACHE_SECONDS"].flatMap(Double.init) ?? 30
        policies = try PolicyLibrary(directory: databasePath.map { URL(fileURLWithPath: $0 + ".policies") },
                                     warn: { logger.warning("\($0)") })
    }

    // MARK: State

    /// Loads the collection and the serving model now (the first request would otherwise pay for it).
    public func warmUp() throws {
        let s = try current()
        _ = try s.model(nil, directory: models)
    }

    /// The current snapshot of the collection.
    public func snapshot() throws -> CollectionSnapshot { try current().snapshot }

    /// The live exposure ledger (per process; restarts when the catalogue changes).
    public func ledger() throws -> ExposureLedger { try current().engine.ledger }

    func current() throws -> LoadedState {
        lock.lock()
        guard let s = state else {
            defer { lock.unlock() }
            let loaded = try load(ledger: ExposureLedger())
            state = loaded
            return loaded
        }
        let due = Date().timeIntervalSince(s.checkedAt) >= refreshInterval && !reloading
        if due {
            s.checkedAt = Date()
            reloading = true
        }
        lock.unlock()
        guard due else { return s }
        defer {
            lock.lock()
            reloading = false
            lock.unlock()
        }
        let registryDate = models?.registryModificationDate()
        let count = (try? store.items(matching: ItemQuery(page: 0, pageSize: 1)).total) ?? s.itemCount
        guard registryDate != s.registryDate || count != s.itemCount else { return s }
        // Reloaded while other requests keep using the current state.
        let sameCatalogue = count == s.itemCount
        let fresh = try load(ledger: sameCatalogue ? s.engine.ledger : ExposureLedger(), reuse: sameCatalogue ? s.snapshot : nil)
        logger.info("recommendation state reloaded", metadata: ["items": "\(fresh.itemCount)", "models_changed": "\(registryDate != s.registryDate)"])
        lock.lock()
        state = fresh
        lock.unlock()
        return fresh
    }

    private func load(ledger: ExposureLedger, reuse: CollectionSnapshot? = nil) throws -> LoadedState {
        let registryDate = models?.registryModificationDate()
        let start = Date()
        let snapshot = try reuse ?? CollectionSnapshot.load(from: store)
        if reuse == nil {
            logger.info("collection loaded for recommendations", metadata: [
                "items": "\(snapshot.items.count)", "graph_nodes": "\(snapshot.graph.nodeCount)",
                "seconds": String(format: "%.1f", Date().timeIntervalSince(start)),
            ])
        }
        generationLock.lock()
        generations += 1
        let generation = generations
        generationLock.unlock()
        return LoadedState(snapshot: snapshot, ledger: ledger, registryDate: registryDate, generation: generation)
    }

    // MARK: Recommending

    /// An explained, policy-controlled list for one visitor.
    /// - Throws: ``RecommendationSetupError`` for unknown policies, models or filters; store errors.
    public func recommend(_ request: RecommendationRequest) throws -> RecommendationList {
        guard (1...1_000).contains(request.k) else {
            throw RecommendationSetupError.badParameter(name: "k", reason: "must be between 1 and 1000 (got \(request.k))")
        }
        let s = try current()
        let snapshot = s.snapshot
        let policy = try policies.resolve(request.policy)
        let allowed = try snapshot.filter(maker: request.maker, subject: request.subject)
        let events = try store.events(visitor: request.visitor)
        let key = CacheKey(generation: s.generation, visitor: request.visitor, k: request.k, excludeSeen: request.excludeSeen,
                           policy: policy?.name, policyVersion: policy?.version ?? 0, maker: request.maker, subject: request.subject,
                           model: request.model, events: events.count, lastEvent: events.map(\.timestamp).max())
        if cacheLifetime > 0 {
            cacheLock.lock()
            let hit = cache[key]
            cacheLock.unlock()
            if let hit, request.now.timeIntervalSince(hit.at) < cacheLifetime, request.now >= hit.at {
                if let policy, request.recordExposure {
                    s.engine.ledger.record(hit.indices, catalogue: snapshot.policyCatalogue,
                                           attributes: Self.ledgerAttributes(policy))
                }
                return hit.list
            }
        }
        var builder = InteractionBuilder()
        builder.now = request.now
        let history = builder.history(events: events, itemIndex: snapshot.index)
        let distinct = Set(history.entries.map(\.item)).count
        var excluded = history.seen
        if !request.excludeSeen { excluded.subtract(history.entries.map(\.item)) }
        let candidateCount = policy == nil ? request.k : max(request.k * 10, 200)
        // One flag per catalogue object (a set lookup per object would hash ~70,000 times per request).
        var eligibleMask = allowed ?? [Bool](repeating: true, count: snapshot.items.count)
        for i in excluded where i >= 0 && i < eligibleMask.count { eligibleMask[i] = false }
        func eligible(_ i: Int) -> Bool { i >= 0 && i < eligibleMask.count && eligibleMask[i] }

        var strategy = RecommendationStrategy.model
        var served: ServingModel?
        var candidates: [(index: Int, score: Float)] = []
        var modelHistory: VisitorHistory?
        var modelBase: [Float] = []
        var modelScoring: (any LeaveOneOutScoring)?
        var contentBase: [Float]?
        var contentFilled = Set<Int>()

        if request.model != nil || distinct > 1 {
            served = try s.model(request.model, directory: models)
            if served == nil, request.model != nil {
                throw RecommendationSetupError.noTrainedModel(name: request.model, directory: models?.url.path ?? "(no database file)")
            }
        }
        if distinct == 0 {
            strategy = .popular
            for i in snapshot.popularOrder where eligible(Int(i)) {
                candidates.append((Int(i), Float(snapshot.popularity[Int(i)])))
                if candidates.count == candidateCount { break }
            }
        } else if let m = served, distinct > 1 || request.model != nil {
            let h = m.coversModel ? m.history(from: history) : builder.history(events: events, itemIndex: m.itemIndex)
            modelHistory = h
            // Scored once: the explanations leave objects out of this same scoring.
            let scoring = m.model.leaveOneOutScoring(forHistory: h.entries, scores: nil)
            modelScoring = scoring
            modelBase = scoring.scores
            var masked = modelBase
            if allowed == nil {
                // Without a filter only the visitor's own objects and the model's items that left the collection are
                // ineligible: a handful of entries, not a pass over the catalogue.
                masked.withUnsafeMutableBufferPointer { out in
                    for j in m.departed where Int(j) < out.count { out[Int(j)] = -.infinity }
                    for snap in excluded where snap >= 0 && snap < m.fromSnapshot.count {
                        let j = Int(m.fromSnapshot[snap])
                        if j >= 0 && j < out.count { out[j] = -.infinity }
                    }
                }
            } else {
                eligibleMask.withUnsafeBufferPointer { mask in
                    m.toSnapshot.withUnsafeBufferPointer { toSnapshot in
                        masked.withUnsafeMutableBufferPointer { out in
                            for j in 0..<min(out.count, toSnapshot.count) {
                                let snap = Int(toSnapshot[j])
                                if snap < 0 || snap >= mask.count || !mask[snap] { out[j] = -.infinity }
                            }
                        }
                    }
                }
            }
            candidates = TopK.largest(masked, k: candidateCount).filter { $0.score.isFinite }
                .map { (Int(m.toSnapshot[$0.index]), $0.score) }
            if !m.newItems.isEmpty, !candidates.isEmpty {
                let c = snapshot.contentModel.scores(forHistory: history.entries)
                contentBase = c
                candidates = Self.mergeNewItems(candidates, newItems: m.newItems.map(Int.init).filter(eligible), content: c,
                                                limit: request.k)
            }
            // History-based models give 0 to objects they have no evidence for; those places go to content matches.
            if Self.historyBased.contains(m.name) {
                candidates.removeAll { $0.score <= 0 }
                if candidates.count < candidateCount {
                    let c = contentBase ?? snapshot.contentModel.scores(forHistory: history.entries)
                    contentBase = c
                    let taken = Set(candidates.map(\.index))
                    let floor = candidates.map(\.score).min() ?? 1
                    let fill = TopK.select(c, k: candidateCount - candidates.count) { !eligible($0) || taken.contains($0) || c[$0] <= 0 }
                    let top = fill.first?.score ?? 1
                    for f in fill {
                        candidates.append((f.index, floor * 0.5 * f.score / top))
                        contentFilled.insert(f.index)
                    }
                }
            }
        } else {
            strategy = .contentColdStart
            let c = snapshot.contentModel.scores(forHistory: history.entries)
            contentBase = c
            var masked = c
            for i in masked.indices where !eligible(i) { masked[i] = -.infinity }
            candidates = TopK.largest(masked, k: candidateCount).filter { $0.score.isFinite }.map { ($0.index, $0.score) }
        }

        // Curator policy.
        var ranked: [CurioPolicy.RankedItem]
        if let policy {
            let request = IndexedRerankRequest(candidates: candidates, k: request.k, history: history.entries.map(\.item),
                                               now: request.now, recordExposure: request.recordExposure)
            ranked = s.engine.apply(policy, to: request).items
        } else {
            ranked = candidates.prefix(request.k).map { CurioPolicy.RankedItem(id: snapshot.items[$0.index].id, modelScore: $0.score, score: $0.score) }
        }

        // Explanations.
        let positions = ranked.compactMap { snapshot.index[$0.id] }
        var evidence = [[Evidence]](repeating: [], count: ranked.count)
        switch strategy {
        case .popular:
            break
        case .contentColdStart:
            evidence = explainWithContent(positions, history: history, base: contentBase ?? [], state: s)
        case .model:
            if let m = served, let h = modelHistory, let scoring = modelScoring {
                evidence = explainWithModel(positions, model: m, history: h, scoring: scoring, snapshotHistory: history,
                                            contentBase: &contentBase, contentFilled: contentFilled, state: s)
            }
        }
        evidence = completed(evidence, positions: positions, history: history, state: s)
        let items = zip(ranked, evidence).map { item, ev -> RecommendedItem in
            // One entry per key: composed by model attribution, the graph model's exact parts or `completed`.
            let (because, sentence) = s.composer.explain(ev, adjustments: item.adjustments, popular: strategy == .popular,
                                                         distinct: true)
            return summary(of: item.id, snapshot: snapshot, score: item.score, modelScore: item.modelScore, because: because,
                           sentence: sentence, adjustments: item.adjustments)
        }
        let modelName: String
        switch strategy {
        case .model: modelName = served?.name ?? ContentRecommender.modelName
        case .contentColdStart: modelName = ContentRecommender.modelName
        case .popular: modelName = PopularityRecommender.modelName
        }
        let list = RecommendationList(visitor: request.visitor.rawValue, model: modelName,
                                      modelVersion: strategy == .model ? served?.version.version : nil, strategy: strategy,
                                      policy: policy?.name, policyVersion: policy.map(\.version), historyItems: distinct, items: items)
        if cacheLifetime > 0 {
            cacheLock.lock()
            if cache.count >= cacheCapacity {
                let now = request.now
                cache = cache.filter { now.timeIntervalSince($0.value.at) < cacheLifetime }
                if cache.count >= cacheCapacity { cache.removeAll(keepingCapacity: true) }
            }
            cache[key] = (list, request.now, positions)
            cacheLock.unlock()
        }
        return list
    }

    /// The attributes ``CurioPolicy/PolicyEngine`` records exposure for under `policy`.
    static func ledgerAttributes(_ policy: Policy) -> [GroupAttribute] {
        var attributes: [GroupAttribute] = [.makerGender, .maker]
        if let a = policy.exposure?.attribute, !attributes.contains(a) { attributes.append(a) }
        return attributes
    }

    /// Objects similar to one object (content similarity over the metadata, explained through the knowledge graph).
    /// - Throws: ``RecommendationSetupError/unknownItem(_:)``.
    public func similar(to id: ItemID, k: Int) throws -> SimilarList {
        try similar(to: id, k: k, modality: "metadata", fallback: .textSimilarity) { snapshot, i in
            snapshot.contentModel.similarItems(to: i, k: k).filter { $0.score > 0 }.map { ($0.id, $0.score) }
        }
    }

    /// Objects similar to one object by a similarity computed elsewhere (text, image or fused vectors), explained
    /// through the knowledge graph with `fallback` as the evidence when no catalogue link exists.
    /// - Parameter neighbours: the similar items, best first, given the snapshot and the item's position in it.
    /// - Throws: ``RecommendationSetupError/unknownItem(_:)``, or what `neighbours` throws.
    /// - Parameter lead: evidence for what ranked a neighbour (visual or text similarity with its palette or terms),
    ///   given the neighbour and its score; it leads the `because` list with its weight (0…1) and the catalogue
    ///   links share the rest.
    public func similar(to id: ItemID, k: Int, modality: String, fallback: EvidenceKind,
                        lead: ((ItemID, Float) -> Evidence?)? = nil,
                        neighbours find: (CollectionSnapshot, Int) throws -> [(id: ItemID, score: Float)]) throws -> SimilarList {
        guard (1...1_000).contains(k) else {
            throw RecommendationSetupError.badParameter(name: "k", reason: "must be between 1 and 1000 (got \(k))")
        }
        let s = try current()
        let snapshot = s.snapshot
        guard let i = snapshot.index[id] else { throw RecommendationSetupError.unknownItem(id) }
        let neighbours = try find(snapshot, i).filter { snapshot.index[$0.id] != nil }.prefix(k).map { (id: $0.id, score: $0.score) }
        let typed = s.composer.typed(neighbours.map(\.id), history: [id])
        let items = zip(neighbours, typed).map { n, links -> RecommendedItem in
            var ev = s.composer.evidence(typed: links, attributions: [(id, 1)], fallback: fallback)
            if let first = lead?(n.id, n.score) {
                var e = first
                e.likedItem = id
                e.weight = min(max(e.weight, 0), 1)
                // The vectors ranked it: their evidence leads, the catalogue links (if any) are context.
                ev = [e] + ev.filter { !($0.kind == e.kind && $0.details.isEmpty) }.map { var x = $0; x.weight *= 1 - e.weight; return x }
            }
            var (because, sentence) = s.composer.explain(ev, adjustments: [], popular: false)
            if sentence.hasPrefix("Because you liked ") { sentence = "Like " + sentence.dropFirst("Because you liked ".count) }
            return summary(of: n.id, snapshot: snapshot, score: n.score, modelScore: n.score, because: because, sentence: sentence,
                           adjustments: [])
        }
        return SimilarList(item: id.rawValue, title: snapshot.items[i].title, modality: modality, items: items)
    }

    /// Exposure delivered by this process so far, against the targets of a policy (nil: `default`).
    public func exposure(policy name: String?) throws -> ExposureReport {
        let s = try current()
        let policy = try policies.resolve(name)
        return PolicyMetrics.exposureReport(ledger: s.engine.ledger, catalogue: s.snapshot.policyCatalogue, policy: policy,
                                            attributes: [.makerGender, .maker])
    }

    // MARK: Helpers

    /// Models whose score is a sum of non-negative evidence from the history: a score of 0 means "no reason at all".
    static let historyBased: Set<String> = ["itemknn", "ease", "hybrid", "graph", "content", "graph-embedding"]

    /// New objects (not in the model) enter the candidates by quantile mapping: a new object whose content score beats
    /// q% of the model's candidates' content scores gets the model score at that quantile. At most `limit` join.
    static func mergeNewItems(_ candidates: [(index: Int, score: Float)], newItems: [Int], content: [Float],
                              limit: Int) -> [(index: Int, score: Float)] {
        guard !newItems.isEmpty else { return candidates }
        let cs = candidates.map { content[$0.index] }.sorted()
        let ms = candidates.map(\.score).sorted()
        let fresh = Set(newItems)
        let best = TopK.select(content, k: limit) { !fresh.contains($0) }
        var out = candidates
        for n in best where n.score > 0 {
            var lo = 0, hi = cs.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if cs[mid] < n.score { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { continue }
            out.append((n.index, ms[min(lo, ms.count) - 1]))
        }
        return out.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    }

    /// Every recommendation carries evidence. Where the model's attribution found none (the score came from a part
    /// no single history object moves, such as the hybrid's popularity term), the item's catalogue links to the
    /// visitor's objects are cited; where there are none either — or the visitor has no history — its popularity.
    private func completed(_ evidence: [[Evidence]], positions: [Int], history: VisitorHistory, state s: LoadedState) -> [[Evidence]] {
        var out = evidence
        let missing = out.indices.filter { out[$0].isEmpty && $0 < positions.count }
        guard !missing.isEmpty else { return out }
        let snapshot = s.snapshot
        let historyIDs = history.entries.filter { $0.weight > 0 }.map { snapshot.items[$0.item].id }
        let links = historyIDs.isEmpty ? missing.map { _ in [MetaPathLink]() }
                                       : s.composer.typed(missing.map { snapshot.items[positions[$0]].id }, history: historyIDs)
        for (n, row) in missing.enumerated() {
            let linked = s.composer.normalised(links[n])
            out[row] = linked.isEmpty ? [Evidence(kind: .popularity, weight: 1)] : linked
        }
        return out
    }

    /// Evidence for items the content model recommended (snapshot positions).
    private func explainWithContent(_ positions: [Int], history: VisitorHistory, base: [Float],
                                    state s: LoadedState) -> [[Evidence]] {
        let snapshot = s.snapshot
        let ids = positions.map { snapshot.items[$0].id }
        let historyIDs = history.entries.map { snapshot.items[$0.item].id }
        let (attributions, typed) = attributedAndTyped(
            scoring: snapshot.contentModel.leaveOneOutScoring(forHistory: history.entries, scores: base), history: history.entries,
            items: positions, itemIDs: ids, historyIDs: historyIDs, composer: s.composer,
            id: { snapshot.items[$0].id }, index: { snapshot.index[$0] })
        return zip(typed, attributions).map { links, a in
            s.composer.citedEvidence(typed: links, attributions: a.map { (snapshot.items[$0.item].id, $0.drop) }, fallback: .textSimilarity)
        }
    }

    /// The attributions of `items` (model indices; `itemIDs` their ids) and each item's graph links to the visitor's
    /// objects. Typing walks the graph from every object it is given, so only the objects the attributions cite are
    /// typed — unless the attribution asked for the whole history's links to choose which objects to leave out
    /// (models without history terms, long histories), in which case those links are reused.
    private func attributedAndTyped(scoring: any LeaveOneOutScoring, history: [HistoryEntry], items: [Int], itemIDs: [ItemID],
                                    historyIDs: [ItemID], composer: ExplanationComposer, id: (Int) -> ItemID,
                                    index: (ItemID) -> Int?) -> ([[(item: Int, drop: Double)]], [[MetaPathLink]]) {
        var allTyped: [[MetaPathLink]]?
        let attributions = attribution.attribute(scoring: scoring, history: history, items: items, priority: {
            let t = composer.typed(itemIDs, history: historyIDs)
            allTyped = t
            return priority(t, history: historyIDs, composer: composer, index: index)
        })
        return (attributions, allTyped ?? composer.typed(itemIDs, history: Self.cited(attributions, id: id)))
    }

    /// The distinct history objects the attributions cite (as ids), in first-cited order.
    static func cited(_ attributions: [[(item: Int, drop: Double)]], id: (Int) -> ItemID) -> [ItemID] {
        var seen = Set<Int>()
        var out: [ItemID] = []
        for row in attributions { for a in row where seen.insert(a.item).inserted { out.append(id(a.item)) } }
        return out
    }

    /// Link priorities by model index, only needed when the history is longer than the attribution limit.
    private func priority(_ typed: [[MetaPathLink]], history: [ItemID], composer: ExplanationComposer,
                          index: (ItemID) -> Int?) -> [Int: Double] {
        guard Set(history).count > attribution.limit else { return [:] }
        return Dictionary(composer.priority(typed).compactMap { id, p in index(id).map { ($0, p) } }, uniquingKeysWith: +)
    }

    private func explainWithModel(_ positions: [Int], model m: ServingModel, history h: VisitorHistory,
                                  scoring: any LeaveOneOutScoring,
                                  snapshotHistory: VisitorHistory, contentBase: inout [Float]?, contentFilled: Set<Int>,
                                  state s: LoadedState) -> [[Evidence]] {
        let snapshot = s.snapshot
        var out = [[Evidence]](repeating: [], count: positions.count)
        var inModel: [(n: Int, j: Int)] = []
        var outside: [(n: Int, snap: Int)] = []
        for (n, p) in positions.enumerated() {
            let j = Int(m.fromSnapshot[p])
            if j >= 0 && !contentFilled.contains(p) { inModel.append((n, j)) } else { outside.append((n, p)) }
        }
        if let graph = m.model as? GraphRecommender {
            let exact = graph.model.contributions(inModel.map { graph.itemIDs[$0.j] }, history: graph.weightedItems(h.entries))
            for (k, pair) in inModel.enumerated() { out[pair.n] = s.composer.normalised(exact[k]) }
        } else if !inModel.isEmpty {
            let ids = m.model.itemIDs
            let historyIDs = h.entries.map { ids[$0.item] }
            let (a, typed) = attributedAndTyped(scoring: scoring, history: h.entries, items: inModel.map(\.j),
                                                itemIDs: inModel.map { ids[$0.j] }, historyIDs: historyIDs, composer: s.composer,
                                                id: { ids[$0] }, index: { m.itemIndex[$0] })
            for (k, pair) in inModel.enumerated() {
                out[pair.n] = s.composer.citedEvidence(typed: typed[k], attributions: a[k].map { (ids[$0.item], $0.drop) },
                                                  fallback: m.fallbackKind)
            }
        }
        if !outside.isEmpty {
            let c = contentBase ?? snapshot.contentModel.scores(forHistory: snapshotHistory.entries)
            contentBase = c
            let e = explainWithContent(outside.map(\.snap), history: snapshotHistory, base: c, state: s)
            for (k, pair) in outside.enumerated() { out[pair.n] = e[k] }
        }
        return out
    }

    private func summary(of id: ItemID, snapshot: CollectionSnapshot, score: Float, modelScore: Float,
                         because: [BecauseEvidence], sentence: String, adjustments: [Adjustment]) -> RecommendedItem {
        let item = snapshot.index[id].map { snapshot.items[$0] }
        return RecommendedItem(id: id.rawValue, score: score, modelScore: modelScore, title: item?.title ?? id.rawValue,
                               makers: item?.makers.map(\.name) ?? [], date: item?.date?.text, because: because,
                               explanation: sentence,
                               adjustments: adjustments.map { PolicyAdjustment(kind: $0.kind.rawValue, detail: $0.detail) })
    }
}
