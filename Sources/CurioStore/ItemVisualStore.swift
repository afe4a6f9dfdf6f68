import CurioCore
import Foundation

/// Visual descriptors of items' images (palette, brightness, contrast, colourfulness), stored with the hash of
/// the image file they were computed from, and queried by the visual filters of search.
///
/// The store does not interpret the descriptors beyond the columns filters need: the full value travels as JSON
/// (`CurioImaging.VisualDescriptors`, encoded by `CurioKit`). Descriptors belong to their item and are deleted
/// with it.
public protocol ItemVisualStore: Sendable {
    /// The image hash and algorithm version of every item with stored descriptors.
    func visualHashes() throws -> [ItemID: ItemVisualStamp]
    /// The stored descriptors of one item, or nil.
    func visuals(of item: ItemID) throws -> ItemVisualRecord?
    /// Stores (or replaces) descriptors, together with image vectors of `model`, in one transaction: either
    /// everything is stored or nothing is.
    /// - Throws: ``StoreError/invalidValue(field:reason:)`` for a vector of the wrong dimension, a non-finite
    ///   value or an unknown item.
    func writeImageAnalysis(vectors: [ItemVector], model: String, dimension: Int, visuals: [ItemVisualRecord]) throws
    /// The items whose descriptors pass `filter`.
    func items(matching filter: VisualFilter) throws -> Set<ItemID>
    /// Number of items with stored descriptors.
    func visualCount() throws -> Int
}

/// What a stored descriptor was computed from: the image file's content hash and the algorithm's version.
public struct ItemVisualStamp: Sendable, Equatable {
    /// SHA-256 (hex) of the image file.
    public var contentHash: String
    /// Version of the descriptor algorithm that computed it.
    public var algorithmVersion: Int
    public init(contentHash: String, algorithmVersion: Int) {
        self.contentHash = contentHash
        self.algorithmVersion = algorithmVersion
    }
}

/// One item's stored visual descriptors.
public struct ItemVisualRecord: Sendable, Equatable {
    /// The item described.
    public var item: ItemID
    /// SHA-256 (hex) of the image file analysed.
    public var contentHash: String
    /// Version of the descriptor algorithm.
    public var algorithmVersion: Int
    /// The image file analysed (absolute path).
    public var image: String
    /// Mean L* (0…100).
    public var brightness: Double
    /// Standard deviation of L*.
    public var contrast: Double
    /// Hasler–Süsstrunk colourfulness.
    public var colourfulness: Double
    /// Total palette share per colour name (for colour filters).
    public var colourShares: [String: Double]
    /// The complete descriptors as JSON.
    public var json: Data

    public init(item: ItemID, contentHash: String, algorithmVersion: Int, image: String, brightness: Double,
                contrast: Double, colourfulness: Double, colourShares: [String: Double], json: Data) {
        self.item = item
        self.contentHash = contentHash
        self.algorithmVersion = algorithmVersion
        self.image = image
        self.brightness = brightness
        self.contrast = contrast
        self.colourfulness = colourfulness
        self.colourShares = colourShares
        self.json = json
    }
}

/// A conjunction of conditions on stored visual descriptors; empty conditions are ignored.
public struct VisualFilter: Sendable, Equatable {
    /// Colour names, any of which count towards ``minimumColourShare`` (e.g. `["blue", "navy", "sky blue"]`);
    /// empty for no colour condition.
    public var colourNames: [String]
    /// The total palette share the colours in ``colourNames`` must reach together (0…1).
    public var minimumColourShare: Double
    /// Inclusive bounds on mean L* (brightness), when set.
    public var brightness: ClosedRange<Double>?
    /// Inclusive bounds on colourfulness, when set.
    public var colourfulness: ClosedRange<Double>?
    /// Inclusive bounds on contrast (standard deviation of L*), when set.
    public var contrast: ClosedRange<Double>?

    public init(colourNames: [String] = [], minimumColourShare: Double = 0.15, brightness: ClosedRange<Double>? = nil,
                colourfulness: ClosedRange<Double>? = nil, contrast: ClosedRange<Double>? = nil) {
        self.colourNames = colourNames
        self.minimumColourShare = minimumColourShare
        self.brightness = brightness
        self.colourfulness = colourfulness
        self.contrast = contrast
    }

    /// True when the filter has no condition (every described item passes).
    public var isEmpty: Bool { colourNames.isEmpty && brightness == nil && colourfulness == nil && contrast == nil }
}
