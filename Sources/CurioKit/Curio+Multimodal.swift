import CurioCore
import CurioGraph
import CurioMath
import CurioMultimodal
import CurioNeural
import CurioRecommend
import CurioStore
import Foundation

/// What "similar" is computed on.
public enum SimilarityModality: String, CaseIterable, Sendable, Codable {
    /// Text, projected image and knowledge-graph vectors fused into one (see ``FusedItemVectors``).
    case fused
    /// The MiniLM embeddings of the catalogue records (`curio embed`).
    case text
    /// The EfficientNet-Lite0 image features (`curio embed` with images), centred on the collection's mean.
    case image
    /// The catalogue metadata: makers, subjects and their broader terms, movements, period, medium, classification.
    case metadata
}

/// Why a multimodal request cannot be answered with what is stored, and the command that fixes it.
public enum MultimodalServiceError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No item has vectors of this modality.
    case noVectors(modality: String, hint: String)
    /// The item exists but has no vector of this modality.
    case itemWithoutVector(item: ItemID, modality: String, hint: String)
    /// The store cannot hold vectors.
    case vectorsUnsupported

    public var description: String {
        switch self {
        case let .noVectors(modality, hint): "no \(modality) vectors stored: \(hint)"
        case let .itemWithoutVector(item, modality, hint): "item '\(item)' has no \(modality) vector: \(hint)"
        case .vectorsUnsupported: "this store cannot hold item vectors; use the SQLite store"
        }
    }
}

/// What `curio fuse` did: the image→text projection it trained and the fusion weights it chose.
public struct FuseSummary: Sendable, Codable {
    /// The projection trained now (nil when there were too few image–text pairs; see ``notes``).
    public var projection: ProjectionSummary?
    /// The fusion weights chosen (learned from visits, or the defaults).
    public var fusion: FusionWeightChoice
    /// Why a step was skipped.
    public var notes: [String]
}

/// A trained image→text projection, as recorded next to the database.
public struct ProjectionSummary: Sendable, Codable, Equatable {
    /// Version number (`<db>.models/projection/v<N>.projection`); nil for an in-memory collection.
    public var version: Int?
    public var file: String?
    public var imageModel: String
    public var textModel: String
    public var pairs: Int
    public var trainingPairs: Int
    public var validationPairs: Int
    public var epochs: Int
    public var bestEpoch: Int
    /// Text→image retrieval on the validation pairs with the random initial and with the trained projection.
    public var untrainedValidation: RetrievalScores
    public var validation: RetrievalScores
    public var temperature: Float
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case version, file, pairs, epochs, temperature, seconds, validation
        case imageModel = "image_model", textModel = "text_model", trainingPairs = "training_pairs"
        case validationPairs = "validation_pairs", bestEpoch = "best_epoch", untrainedValidation = "untrained_validation"
    }
}

/// Multimodal vectors loaded for serving, refreshed when what they are built from changes.
final class MultimodalCache: @unchecked Sendable {
    private let lock = NSLock()
    private var text: (revision: Int, vectors: ModalityVectors)?
    private var image: (revision: Int, vectors: ModalityVectors, raw: ItemVectorSet)?
    private var projection: (key: String, value: ImageTextProjection)?
    /// A projection trained on an in-memory collection (no folder to keep it in).
    var memoryProjection: ImageTextProjection?
    var memoryFusion: FusionWeightChoice?
    private var projected: (key: String, vectors: ModalityVectors)?
    private var graph: (key: String, vectors: ModalityVectors)?
    private var fused: (key: String, vectors: FusedItemVectors)?

    func cached<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func textVectors(revision: Int, load: () throws -> ModalityVectors) rethrows -> ModalityVectors {
        try cached {
            if let text, text.revision == revision { return text.vectors }
            let v = try load()
            text = (revision, v)
            return v
        }
    }

    func imageVectors(revision: Int, load: () throws -> ItemVectorSet) rethrows -> (ModalityVectors, ItemVectorSet) {
        try cached {
            if let image, image.revision == revision { return (image.vectors, image.raw) }
            let raw = try load()
            let v = MultimodalCache.centred(raw)
            image = (revision, v, raw)
            return (v, raw)
        }
    }

    func value<T>(_ slot: ReferenceWritableKeyPath<MultimodalCache, (key: String, vectors: T)?>, key: String,
                  load: () throws -> T) rethrows -> T {
        try cached {
            if let current = self[keyPath: slot], current.key == key { return current.vectors }
            let v = try load()
            self[keyPath: slot] = (key, v)
            return v
        }
    }

    var projectedSlot: ReferenceWritableKeyPath<MultimodalCache, (key: String, vectors: ModalityVectors)?> { \.projected }
    var graphSlot: ReferenceWritableKeyPath<MultimodalCache, (key: String, vectors: ModalityVectors)?> { \.graph }
    var fusedSlot: ReferenceWritableKeyPath<MultimodalCache, (key: String, vectors: FusedItemVectors)?> { \.fused }

    func projection(key: String, load: () throws -> ImageTextProjection) rethrows -> ImageTextProjection {
        try cached {
            if let projection, projection.key == key { return projection.value }
            let p = try load()
            projection = (key, p)
            return p
        }
    }

    /// Image features centred on the collection's mean and normalised: raw pooled features are all non-negative,
    /// so their cosines crowd near 1; centring spreads them out without changing what is near what much.
    static func centred(_ set: ItemVectorSet) -> ModalityVectors {
        let d = set.dimension
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<set.count { for j in 0..<d { mean[j] += Double(set.values[r * d + j]) } }
        let n = Double(max(1, set.count))
        var values = set.values
        for r in 0..<set.count { for j in 0..<d { values[r * d + j] -= Float(mean[j] / n) } }
        return ModalityVectors(items: set.items, vectors: Matrix(rows: set.count, columns: d, storage: values))
    }
}

extension Curio {
    /// Model id under which text embeddings are stored and searched (the injected encoder's, else MiniLM's).
    public var textEncoderModelID: String { textSearch.modelID }

    /// Folder of projection artefacts: `<db>.models/projection/`.
    public var projectionDirectory: URL? {
        databasePath.map { URL(fileURLWithPath: $0 + ".models").appendingPathComponent("projection") }
    }

    /// Where the chosen fusion weights are kept: `<db>.models/fusion.json`.
    public var fusionWeightsURL: URL? {
        databasePath.map { URL(fileURLWithPath: $0 + ".models").appendingPathComponent("fusion.json") }
    }

    private var multimodalVectorStore: any ItemVectorStore {
        get throws {
            guard let store = store as? any ItemVectorStore else { throw MultimodalServiceError.vectorsUnsupported }
            return store
        }
    }

    // MARK: Loading

    /// The text embeddings of every item (nil when none are stored).
    func storedTextVectors() throws -> ModalityVectors? {
        let vectors = try multimodalVectorStore
        let model = textSearch.modelID
        let revision = try vectors.vectorRevision(model: model)
        guard revision > 0 else { return nil }
        let v = try multimodal.textVectors(revision: revision) {
            let set = try vectors.vectors(model: model)
            return ModalityVectors(items: set.items, vectors: Matrix(rows: set.count, columns: set.dimension, storage: set.values))
        }
        return v.count > 0 ? v : nil
    }

    /// The image features of every item, centred and normalised, with the raw set (nil when none are stored).
    func storedImageVectors() throws -> (centred: ModalityVectors, raw: ItemVectorSet)? {
        let vectors = try multimodalVectorStore
        let revision = try vectors.vectorRevision(model: imageEncoding.modelID)
        guard revision > 0 else { return nil }
        let (v, raw) = try multimodal.imageVectors(revision: revision) { try vectors.vectors(model: imageEncoding.modelID) }
        return v.count > 0 ? (v, raw) : nil
    }

    /// The newest projection artefact (version, file), if any.
    func latestProjectionFile() -> (version: Int, url: URL)? {
        guard let folder = projectionDirectory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        let versions = names.compactMap { name -> Int? in
            guard name.hasPrefix("v"), name.hasSuffix(".projection") else { return nil }
            return Int(name.dropFirst().dropLast(".projection".count))
        }
        guard let v = versions.max() else { return nil }
        return (v, folder.appendingPathComponent("v\(v).projection"))
    }

    /// The image→text projection in use (the newest trained), or nil.
    /// - Throws: ``MultimodalError/unreadableArtefact(path:reason:)`` for a damaged file.
    public func imageProjection() throws -> ImageTextProjection? {
        if databasePath == nil { return multimodal.cached { multimodal.memoryProjection } }
        guard let (version, url) = latestProjectionFile() else { return nil }
        return try multimodal.projection(key: "\(version)") { try ImageTextProjection.read(from: url) }
    }

    /// Image features projected into the text space (nil without image vectors or a projection).
    func projectedImageVectors() throws -> ModalityVectors? {
        guard let (_, raw) = try storedImageVectors(), let projection = try imageProjection() else { return nil }
        guard raw.dimension == projection.inputDimension else { return nil }
        let key = "\(raw.revision)|\(projection.info.trainedAt)|\(projection.info.seed)"
        return try multimodal.value(multimodal.projectedSlot, key: key) {
            let projected = try projection.project(Matrix(rows: raw.count, columns: raw.dimension, storage: raw.values))
            return ModalityVectors(items: raw.items, vectors: projected)
        }
    }

    /// Item vectors of the active knowledge-graph embedding model (`curio train --model graph-embedding`), or nil.
    func graphVectors() throws -> ModalityVectors? {
        guard let databasePath else { return nil }
        let directory = ModelDirectory(databasePath: databasePath)
        guard let version = try? directory.activeVersion(of: GraphEmbeddingRecommender.modelName) else { return nil }
        return try multimodal.value(multimodal.graphSlot, key: "\(version.version)") {
            let artefact = try ModelArtefact.read(from: directory.url.appendingPathComponent(version.file))
            let model = try GraphEmbeddingRecommender(artefact: artefact)
            return ModalityVectors(items: model.itemIDs, vectors: model.vectors)
        }
    }

    /// The fusion weights in use: the ones `curio fuse` chose, else ``FusionWeights/default``.
    public func fusionWeights() -> (weights: FusionWeights, source: String) {
        if databasePath == nil, let choice = multimodal.cached({ multimodal.memoryFusion }) { return (choice.weights, choice.source) }
        guard let url = fusionWeightsURL, let data = try? Data(contentsOf: url),
              let choice = try? JSONDecoder().decode(FusionWeightChoice.self, from: data) else { return (.default, "default") }
        return (choice.weights, choice.source)
    }

    /// Every item's fused vector, with notes on modalities that are stored but cannot be used yet.
    public func fusedVectors() throws -> (vectors: FusedItemVectors, warnings: [String]) {
        let text = try storedTextVectors()
        let image = try storedImageVectors()
        let projected = try projectedImageVectors()
        let graph = try graphVectors()
        var warnings: [String] = []
        if image != nil && projected == nil {
            warnings.append("image vectors are left out until the image→text projection is trained: run `curio fuse`")
        }
        let (weights, source) = fusionWeights()
        let key = [text.map { "\($0.count)" } ?? "-", "\(try multimodalVectorStore.vectorRevision(model: textSearch.modelID))",
                   image.map { "\($0.raw.revision)" } ?? "-", projected.map { "\($0.count)|\($0.vectors.storage.first ?? 0)" } ?? "-",
                   graph.map { "\($0.count)|\($0.vectors.storage.first ?? 0)" } ?? "-", "\(weights)|\(source)"].joined(separator: ";")
        let fused = try multimodal.value(multimodal.fusedSlot, key: key) {
            try FusedItemVectors(text: text, image: projected, graph: graph, weights: weights)
        }
        return (fused, warnings)
    }

    // MARK: Training

    /// Trains the image→text projection on every item with both a text and an image embedding, saves it as the
    /// next version in `<db>.models/projection/` and uses it from now on.
    /// - Throws: ``MultimodalServiceError/noVectors(modality:hint:)`` without text or image vectors,
    ///   ``MultimodalError/tooFewPairs(count:minimum:)`` with too few items having both.
    public func trainImageProjection(options: ProjectionTrainingOptions = ProjectionTrainingOptions(),
                                     validationShare: Double = 0.15) throws -> ProjectionSummary {
        guard let text = try storedTextVectors() else {
            throw MultimodalServiceError.noVectors(modality: "text", hint: "run `curio embed`")
        }
        guard let (_, raw) = try storedImageVectors() else {
            throw MultimodalServiceError.noVectors(modality: "image", hint: "run `curio embed` on a collection with images")
        }
        let textRow = Dictionary(text.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var imageRows: [Float] = [], textRows: [Float] = []
        var pairs = 0
        for (r, item) in raw.items.enumerated() {
            guard let t = textRow[item] else { continue }
            imageRows += raw.values[(r * raw.dimension)..<((r + 1) * raw.dimension)]
            textRows += text.vectors.row(t)
            pairs += 1
        }
        let minimum = options.minimumTrainingPairs + 2
        guard pairs >= minimum else { throw MultimodalError.tooFewPairs(count: pairs, minimum: minimum) }
        let split = ProjectionSplit.random(count: pairs, validationShare: validationShare, seed: options.seed)
        let (projection, report) = try ProjectionTrainer.train(
            imageFeatures: Matrix(rows: pairs, columns: raw.dimension, storage: imageRows),
            textVectors: Matrix(rows: pairs, columns: text.dimension, storage: textRows),
            split: split, options: options, imageModel: imageEncoding.modelID, textModel: textSearch.modelID)
        var version: Int?, file: String?
        if let folder = projectionDirectory {
            let next = (latestProjectionFile()?.version ?? 0) + 1
            let url = folder.appendingPathComponent("v\(next).projection")
            try projection.write(to: url)
            version = next
            file = url.path
        } else {
            multimodal.cached { multimodal.memoryProjection = projection }
        }
        logger.info("image→text projection trained", metadata: [
            "pairs": "\(pairs)", "best_epoch": "\(report.bestEpoch)",
            "validation_mrr": "\(report.validation.mrr)", "untrained_mrr": "\(report.untrainedValidation.mrr)"])
        return ProjectionSummary(version: version, file: file, imageModel: imageEncoding.modelID, textModel: textSearch.modelID,
                                 pairs: pairs, trainingPairs: split.training.count, validationPairs: split.validation.count,
                                 epochs: report.epochs.count, bestEpoch: report.bestEpoch,
                                 untrainedValidation: report.untrainedValidation, validation: report.validation,
                                 temperature: projection.temperature, seconds: report.seconds)
    }

    /// Next-item cases from the stored visits: each visitor's last move from one object to a different one
    /// (a temporal hold-out: only the latest transition is judged). Skips and dislikes are not moves.
    public func nextItemCases() throws -> [NextItemCase] {
        var byVisitor: [VisitorID: [Event]] = [:]
        for event in try store.allEvents(since: nil) where event.kind != .skip && event.kind != .dislike {
            byVisitor[event.visitor, default: []].append(event)
        }
        var cases: [NextItemCase] = []
        for visitor in byVisitor.keys.sorted() {
            let events = byVisitor[visitor]!.sorted { $0.timestamp != $1.timestamp ? $0.timestamp < $1.timestamp : $0.item < $1.item }
            var path: [ItemID] = []
            for e in events where path.last != e.item { path.append(e.item) }
            if path.count >= 2 { cases.append(NextItemCase(query: path[path.count - 2], target: path[path.count - 1])) }
        }
        return cases
    }

    /// Chooses the fusion weights on the stored visits (``FusionWeightLearner``), or keeps the defaults when there
    /// are too few, and records the choice in `<db>.models/fusion.json`.
    public func learnFusionWeights() throws -> FusionWeightChoice {
        let choice = try FusionWeightLearner.choose(text: try storedTextVectors(), image: try projectedImageVectors(),
                                                    graph: try graphVectors(), cases: try nextItemCases())
        if let url = fusionWeightsURL {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(choice).write(to: url, options: .atomic)
        } else {
            multimodal.cached { multimodal.memoryFusion = choice }
        }
        return choice
    }

    /// `curio fuse`: trains the image→text projection when there are image–text pairs, then chooses the fusion weights.
    public func fuse(options: ProjectionTrainingOptions = ProjectionTrainingOptions()) throws -> FuseSummary {
        var notes: [String] = []
        var projection: ProjectionSummary?
        do {
            projection = try trainImageProjection(options: options)
        } catch let error as MultimodalServiceError {
            notes.append("image→text projection not trained: \(error.description)")
        } catch let error as MultimodalError {
            guard case .tooFewPairs = error else { throw error }
            notes.append("image→text projection not trained: \(error.description)")
        }
        let fusion = try learnFusionWeights()
        if fusion.source == "default" {
            notes.append("fusion weights are the defaults: \(fusion.cases) next-item cases from visits, \(FusionWeightLearner.minimumCases) needed to learn them")
        }
        return FuseSummary(projection: projection, fusion: fusion, notes: notes)
    }

    // MARK: Serving

    /// Objects similar to one object by the given modality, with explanations.
    /// - Throws: ``RecommendationSetupError/unknownItem(_:)``; ``MultimodalServiceError`` when the modality has no
    ///   vectors (or none for this item).
    public func similar(to item: ItemID, k: Int = 10, modality: SimilarityModality) throws -> SimilarList {
        let service = try recommendations()
        switch modality {
        case .metadata:
            return try service.similar(to: item, k: k)
        case .text, .image:
            let vectors: ModalityVectors
            if modality == .text {
                guard let text = try storedTextVectors() else {
                    throw MultimodalServiceError.noVectors(modality: "text", hint: "run `curio embed`")
                }
                vectors = text
            } else {
                guard let image = try storedImageVectors() else {
                    throw MultimodalServiceError.noVectors(modality: "image", hint: "run `curio embed` on a collection with images")
                }
                vectors = image.centred
            }
            let lead = modality == .text ? textSimilarityEvidence(for: item) : visualSimilarityEvidence(for: item)
            return try service.similar(to: item, k: k, modality: modality.rawValue,
                                       fallback: modality == .text ? .textSimilarity : .visualSimilarity, lead: lead) { _, _ in
                guard let row = vectors.items.firstIndex(of: item) else {
                    throw MultimodalServiceError.itemWithoutVector(item: item, modality: modality.rawValue,
                                                                   hint: modality == .text ? "run `curio embed`" : "add an image for it and run `curio embed`")
                }
                return ExactVectorIndex(vectors: vectors.vectors).search(vectors.vectors.row(row), k: k + 1, isExcluded: { $0 == row })
                    .map { (vectors.items[$0.index], $0.score) }
            }
        case .fused:
            let (fused, warnings) = try fusedVectors()
            // Nothing embedded yet (or not this object): answer with the metadata similarity and say so, as hybrid
            // search answers lexically — `similar` works on a fresh collection.
            guard let row = fused.index[item] else {
                var list = try service.similar(to: item, k: k)
                list.warnings = [fused.count == 0
                    ? "no text, image or graph vectors are stored, so similarity is computed on the metadata: run `curio embed`"
                    : "this object has no text, image or graph vector yet, so similarity is computed on the metadata: run `curio embed`"]
                return list
            }
            var list = try service.similar(to: item, k: k, modality: "fused", fallback: .textSimilarity) { _, _ in
                (fused.similar(to: item, k: k + 1) ?? []).map { (id: $0.item, score: $0.score) }
            }
            list.modalities = Modality.allCases.filter { fused.modalities[row].contains($0) }.map(\.rawValue)
            let (weights, source) = fusionWeights()
            list.fusion = FusionDescription(text: weights.text, image: weights.image, graph: weights.graph, source: source)
            list.warnings = warnings.isEmpty ? nil : warnings
            return list
        }
    }

    /// Text→image search with each hit's item (see ``imageRanking(_:limit:)``); scores are cosines.
    public func imageSearch(_ text: String, limit: Int) throws -> [(hit: SearchHit, item: Item)] {
        let ranked = try imageRanking(text, limit: limit)
        let items = try store.items(ids: ranked.map(\.item))
        return ranked.compactMap { r in items[r.item].map { (SearchHit(item: r.item, score: Double(r.score)), $0) } }
    }

    /// Text→image search: items ranked by the cosine between the query's MiniLM embedding and their projected
    /// image vectors, so that works whose records say little are found by what they show.
    /// - Throws: ``MultimodalServiceError/noVectors(modality:hint:)`` without image vectors or projection;
    ///   ``NeuralError/modelMissing(name:hint:)`` without the text model.
    public func imageRanking(_ text: String, limit: Int) throws -> [(item: ItemID, score: Float)] {
        guard try storedImageVectors() != nil else {
            throw MultimodalServiceError.noVectors(modality: "image", hint: "run `curio embed` on a collection with images")
        }
        guard let projected = try projectedImageVectors() else {
            throw MultimodalServiceError.noVectors(modality: "projected image",
                                                   hint: "run `curio fuse` to learn the image→text projection")
        }
        let query = try textEncoder().encode(text)
        guard query.count == projected.dimension else {
            throw MultimodalError.dimensionMismatch(modality: "query text", expected: projected.dimension, actual: query.count)
        }
        return ExactVectorIndex(vectors: projected.vectors).search(query, k: max(0, limit)).map { (projected.items[$0.index], $0.score) }
    }
}
