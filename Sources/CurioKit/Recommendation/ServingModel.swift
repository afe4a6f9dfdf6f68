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
    /// The model's catalogue index (for fold-in of events).
    let itemIndex: [ItemID: Int]
    /// The kind of evidence the model's attribution stands for when the graph has no link to show.
    let fallbackKind: EvidenceKind

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
