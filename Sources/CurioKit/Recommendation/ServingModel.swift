import CurioCore
import CurioGraph
import CurioRecommend
import Foundation

/// A trained model loaded for serving, with the maps between its catalogue (as trained) and the current one.
struct ServingModel: Sendable {
    let model: any Recommender
    let version: TrainedModelVersion
    /// Model column → snapshot position (−1 when the item left the collection).
    let toSnapshot: [Int32]
    /// Snapshot position → model column (−1 for items ingested after training).
    let fromSnapshot: [Int32]
    /// Snapshot positions of items the model has never seen (new since training).
    let newItems: [Int32]
    /// Model columns of items that have left the collection (never recommended).
    let departed: [Int32]
    /// The model's catalogue index (for fold-in of events).
    let itemIndex: [ItemID: Int]
    /// The kind of evidence the model's attribution stands for when the graph has no link to show.
    let fallbackKind: EvidenceKind
    /// Whether every item of the model is still in the collection, so that a visitor's history in snapshot
    /// positions maps onto the model's columns without reading the events again (``history(from:)``).
    let coversModel: Bool

    var name: String { model.name }

    init(model: any Recommender, version: TrainedModelVersion, snapshot: CollectionSnapshot) {
        self.model = model
        self.version = version
        var index: [ItemID: Int] = [:]
        index.reserveCapacity(model.itemIDs.count)
        var toSnapshot = [Int32](repeating: -1, count: model.itemIDs.count)
        var fromSnapshot = [Int32](repeating: -1, count: snapshot.items.count)
        for (i, id) in model.itemIDs.enumerated() {
            index[id] = i
            if let s = snapshot.index[id] {
                toSnapshot[i] = Int32(s)
                fromSnapshot[s] = Int32(i)
            }
        }
        itemIndex = index
        self.toSnapshot = toSnapshot
        self.fromSnapshot = fromSnapshot
        newItems = fromSnapshot.indices.filter { fromSnapshot[$0] < 0 }.map { Int32($0) }
        fallbackKind = Self.fallbackKind(of: model.name)
        departed = toSnapshot.indices.filter { toSnapshot[$0] < 0 }.map { Int32($0) }
        coversModel = departed.isEmpty
    }

    /// A visitor's history (built over the snapshot) in the model's columns: what ``CurioRecommend/InteractionBuilder``
    /// builds from the same events with the model's index, when ``coversModel`` holds (events on items the model has
    /// never seen are left out; entries keep their `(time, item)` order).
    func history(from snapshotHistory: VisitorHistory) -> VisitorHistory {
        var entries: [HistoryEntry] = []
        entries.reserveCapacity(snapshotHistory.entries.count)
        for e in snapshotHistory.entries where e.item >= 0 && e.item < fromSnapshot.count && fromSnapshot[e.item] >= 0 {
            entries.append(HistoryEntry(item: Int(fromSnapshot[e.item]), weight: e.weight, time: e.time))
        }
        entries.sort { ($0.time, $0.item) < ($1.time, $1.item) }
        var seen = Set<Int>(minimumCapacity: snapshotHistory.seen.count)
        for p in snapshotHistory.seen where p >= 0 && p < fromSnapshot.count && fromSnapshot[p] >= 0 { seen.insert(Int(fromSnapshot[p])) }
        return VisitorHistory(entries: entries, seen: seen, report: snapshotHistory.report)
    }

    static func fallbackKind(of name: String) -> EvidenceKind {
        switch name {
        case ContentRecommender.modelName: .textSimilarity
        case GraphEmbeddingRecommender.modelName: .graphProximity
        default: .coVisitation
        }
    }

    /// Reads the active version of `name` (or of the serving model) from `directory`.
    static func load(_ name: String?, from directory: ModelDirectory, snapshot: CollectionSnapshot) throws -> ServingModel {
        let version = try directory.activeVersion(of: name)
        let url = directory.url.appendingPathComponent(version.file)
        let artefact = try ModelArtefact.read(from: url)
        let model: any Recommender
        switch artefact.model {
        case GraphRecommender.modelName: model = try GraphRecommender(artefact: artefact, graph: snapshot.graph)
        case GraphEmbeddingRecommender.modelName: model = try GraphEmbeddingRecommender(artefact: artefact)
        default: model = try ModelRegistry.load(artefact)
        }
        return ServingModel(model: model, version: version, snapshot: snapshot)
    }
}
