import CurioCore
import Foundation

/// Vectors computed from items — text and image embeddings — stored per model together with the hash of the
/// content each was computed from, so that unchanged items are never recomputed.
///
/// A vector belongs to its item: when the item is deleted, its vectors go too. A model's vectors all have the
/// same dimension, fixed by its first write.
public protocol ItemVectorStore: Sendable {
    /// The content hash of every stored vector of `model`, by item.
    func vectorHashes(model: String) throws -> [ItemID: String]
    /// Stores (or replaces) vectors of `model` in one transaction.
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` for a vector of the wrong dimension, a non-finite
    ///   value or an unknown item; nothing is stored then.
    func writeVectors(_ vectors: [ItemVector], model: String, dimension: Int) throws
    /// Every vector of `model` in item-id order, with the model's revision (empty set when there are none).
    func vectors(model: String) throws -> ItemVectorSet
    /// A number that changes whenever the vectors of `model` change (cheap; for caches).
    func vectorRevision(model: String) throws -> Int
    /// Models with stored vectors: id, dimension and count.
    func vectorModels() throws -> [VectorModelSummary]
    /// Deletes every vector of `model`.
    func deleteVectors(model: String) throws
}

/// One item's vector and the hash of the content it was computed from.
public struct ItemVector: Sendable, Equatable {
    public var item: ItemID
    public var contentHash: String
    public var values: [Float]
    public init(item: ItemID, contentHash: String, values: [Float]) {
        self.item = item
        self.contentHash = contentHash
        self.values = values
    }
}

/// All vectors of one model, as rows of a `count × dimension` row-major matrix.
public struct ItemVectorSet: Sendable, Equatable {
    public var model: String
    public var dimension: Int
    /// Row `i` of ``values`` belongs to `items[i]`.
    public var items: [ItemID]
    public var values: [Float]
    /// The model's revision when the set was read.
    public var revision: Int
    public init(model: String, dimension: Int, items: [ItemID], values: [Float], revision: Int) {
        self.model = model
        self.dimension = dimension
        self.items = items
        self.values = values
        self.revision = revision
    }
    public var count: Int { items.count }
}

/// A model with stored vectors.
public struct VectorModelSummary: Sendable, Equatable, Codable {
    public var model: String
    public var dimension: Int
    public var count: Int
    public var updatedAt: String
    public init(model: String, dimension: Int, count: Int, updatedAt: String) {
        self.model = model
        self.dimension = dimension
        self.count = count
        self.updatedAt = updatedAt
    }
}
