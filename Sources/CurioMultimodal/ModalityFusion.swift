import CurioCore
import CurioMath
import Foundation

/// The evidence Curio can have about an item.
public enum Modality: String, Codable, Sendable, CaseIterable {
    /// The MiniLM embedding of the catalogue record's text.
    case text
    /// The image's EfficientNet-Lite0 features projected into the text space.
    case image
    /// The item's knowledge-graph embedding (TransE/RotatE over makers, subjects, movements, periods…).
    case graph
}

/// Unit-length vectors of one modality for some items (rows in `items` order).
public struct ModalityVectors: Sendable, Equatable {
    public var items: [ItemID]
    public var vectors: Matrix

    /// Vectors for `items`; rows are normalised here (zero rows are dropped with their item).
    public init(items: [ItemID], vectors: Matrix) {
        precondition(items.count == vectors.rows, "one vector per item")
        var keptItems: [ItemID] = []
        var storage: [Float] = []
        storage.reserveCapacity(vectors.storage.count)
        var m = vectors
        m.normalizeRows()
        for (r, item) in items.enumerated() {
            let row = m.row(r)
            if row.contains(where: { $0 != 0 }) && row.allSatisfy(\.isFinite) {
                keptItems.append(item)
                storage += row
            }
        }
        self.items = keptItems
        self.vectors = Matrix(rows: keptItems.count, columns: vectors.columns, storage: storage)
    }

    public var dimension: Int { vectors.columns }
    public var count: Int { items.count }
}

/// How much each modality counts in a fused item vector (non-negative; only ratios matter).
public struct FusionWeights: Codable, Sendable, Hashable, CustomStringConvertible {
    public var text: Double
    public var image: Double
    public var graph: Double

    public init(text: Double, image: Double, graph: Double) {
        self.text = max(0, text)
        self.image = max(0, image)
        self.graph = max(0, graph)
    }

    /// The default when there is no interaction data to learn from: the record's text leads (titles, makers,
    /// subjects and descriptions carry most of what curators mean by "similar"), the image adds what the record does
    /// not say (composition, palette, genre), the knowledge graph adds shared makers, movements and periods.
    public static let `default` = FusionWeights(text: 0.5, image: 0.3, graph: 0.2)

    public func weight(_ m: Modality) -> Double {
        switch m {
        case .text: text
        case .image: image
        case .graph: graph
        }
    }

    public var description: String {
        String(format: "text %.2f, image %.2f, graph %.2f", text, image, graph)
    }
}

/// One vector per item from whichever of text, image and graph evidence it has.
///
/// Text and the projected image live in the same 384-d space, so they are mixed directly:
/// `content = normalise(w_t·t + w_i·p)` over the ones the item has. The graph embedding lives in its own space and
/// is appended as a second block: `fused = [√c·content, √g·graph]` where `c` and `g` are the weights of the present
/// modalities renormalised to sum to one. Every fused vector therefore has unit length, and the cosine of two items
/// that both have everything is `c·cos(content) + g·cos(graph)`. An item without an image uses its text, an item
/// with a thin record uses its projected image, an item missing from the graph uses its content alone — it still
/// gets a vector that is comparable with everyone else's.
public struct FusedItemVectors: Sendable {
    public let items: [ItemID]
    /// Unit rows: `contentDimension` content values, then `graphDimension` graph values.
    public let vectors: Matrix
    /// What each row was built from.
    public let modalities: [Set<Modality>]
    public let weights: FusionWeights
    public let contentDimension: Int
    public let graphDimension: Int
    /// Row of each item.
    public let index: [ItemID: Int]

    /// Fuses the given modalities (any may be nil); items appear when they have at least one present modality
    /// with a positive weight.
    /// - Throws: ``MultimodalError/dimensionMismatch(modality:expected:actual:)`` when text and image vectors
    ///   are not in the same space.
    public init(text: ModalityVectors?, image: ModalityVectors?, graph: ModalityVectors?, weights: FusionWeights) throws {
        if let text, let image, text.dimension != image.dimension {
            throw MultimodalError.dimensionMismatch(modality: "projected image", expected: text.dimension, actual: image.dimension)
        }
        let contentD = text?.dimension ?? image?.dimension ?? 0
        let graphD = graph?.dimension ?? 0
        func rowIndex(_ v: ModalityVectors?) -> [ItemID: Int] {
            guard let v else { return [:] }
            return Dictionary(v.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let (ti, ii, gi) = (rowIndex(text), rowIndex(image), rowIndex(graph))
        var all = Set<ItemID>()
        if weights.text > 0 { all.formUnion(ti.keys) }
        if weights.image > 0 { all.formUnion(ii.keys) }
        if weights.graph > 0 { all.formUnion(gi.keys) }
        let ordered = all.sorted()
        let width = contentD + graphD
        var storage = [Float](repeating: 0, count: ordered.count * width)
        var modalities: [Set<Modality>] = []
        modalities.reserveCapacity(ordered.count)
        for (r, item) in ordered.enumerated() {
            var present = Set<Modality>()
            let wt = ti[item] != nil ? weights.text : 0
            let wi = ii[item] != nil ? weights.image : 0
            let wg = gi[item] != nil ? weights.graph : 0
            let total = wt + wi + wg
            let base = r * width
            if wt + wi > 0 {
                var content = [Float](repeating: 0, count: contentD)
                if let t = ti[item], wt > 0, let text {
                    present.insert(.text)
                    for j in 0..<contentD { content[j] += Float(wt) * text.vectors.storage[t * contentD + j] }
                }
                if let p = ii[item], wi > 0, let image {
                    present.insert(.image)
                    for j in 0..<contentD { content[j] += Float(wi) * image.vectors.storage[p * contentD + j] }
                }
                content.withUnsafeMutableBufferPointer { _ = VectorKernels.normalize($0.baseAddress!, count: contentD) }
                let share = Float(((wt + wi) / total).squareRoot())
                for j in 0..<contentD { storage[base + j] = share * content[j] }
            }
            if let g = gi[item], wg > 0, let graph {
                present.insert(.graph)
                let share = Float((wg / total).squareRoot())
                for j in 0..<graphD { storage[base + contentD + j] = share * graph.vectors.storage[g * graphD + j] }
            }
            modalities.append(present)
        }
        items = ordered
        vectors = Matrix(rows: ordered.count, columns: width, storage: storage)
        self.modalities = modalities
        self.weights = weights
        contentDimension = contentD
        graphDimension = graphD
        index = Dictionary(ordered.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public var count: Int { items.count }

    /// The `k` items most similar to `item` (cosine of fused vectors), best first, without the item itself; nil
    /// when the item has no fused vector.
    public func similar(to item: ItemID, k: Int) -> [(item: ItemID, score: Float)]? {
        guard let row = index[item] else { return nil }
        let index = ExactVectorIndex(vectors: vectors)
        return index.search(vectors.row(row), k: k, isExcluded: { $0 == row }).map { (items[$0.index], $0.score) }
    }
}
