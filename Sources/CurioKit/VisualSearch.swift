import CurioCore
import CurioImaging
import CurioStore
import Foundation

/// Brightness classes of an image, by mean CIELAB L* (0 black … 100 white).
public enum BrightnessLevel: String, Sendable, CaseIterable, Codable {
    /// Mean L* below 30 (about the darkest third of European paintings, 1500–1900).
    case dark
    /// Mean L* from 30 to 50.
    case medium
    /// Mean L* of 50 or more.
    case bright

    /// The L* range of the class.
    public var range: ClosedRange<Double> {
        switch self {
        case .dark: 0...29.999_999
        case .medium: 30...49.999_999
        case .bright: 50...100
        }
    }

    /// The class of a mean L*.
    public static func of(_ brightness: Double) -> BrightnessLevel {
        brightness < 30 ? .dark : brightness < 50 ? .medium : .bright
    }
}

/// Colourfulness classes, by Hasler–Süsstrunk M (0 greys, ~15 slightly, ~33 moderately, ~59 quite colourful).
public enum ColourfulnessLevel: String, Sendable, CaseIterable, Codable {
    /// M below 20: greys, monochrome and slightly coloured images.
    case muted
    /// M from 20 to 40.
    case moderate
    /// M of 40 or more.
    case colourful

    /// The M range of the class.
    public var range: ClosedRange<Double> {
        switch self {
        case .muted: 0...19.999_999
        case .moderate: 20...39.999_999
        case .colourful: 40...1_000
        }
    }

    /// The class of a colourfulness value.
    public static func of(_ colourfulness: Double) -> ColourfulnessLevel {
        colourfulness < 20 ? .muted : colourfulness < 40 ? .moderate : .colourful
    }
}

/// Filters on the visual descriptors of items' images (`colour=blue&brightness=dark`); all given conditions must
/// hold, and items without descriptors never pass a non-empty filter.
public struct VisualSearchFilter: Sendable, Equatable {
    /// A colour name or family (``colourNames(for:)``), when filtering by colour.
    public var colour: String?
    /// A brightness class, when filtering by brightness.
    public var brightness: BrightnessLevel?
    /// A colourfulness class, when filtering by colourfulness.
    public var colourfulness: ColourfulnessLevel?

    /// The total palette share the colour (family) must reach: 15 %.
    public static let minimumColourShare = 0.15

    /// Colour families: a query for the family word matches every name listed (other names match themselves).
    public static let colourFamilies: [String: [String]] = [
        "blue": ["blue", "navy", "sky blue", "turquoise"],
        "green": ["green", "dark green", "teal"],
        "red": ["red", "dark red"],
        "grey": ["grey", "dark grey", "light grey"],
        "yellow": ["yellow", "ochre"],
        "purple": ["purple", "lavender", "magenta"],
    ]

    /// Every value `colour` accepts: the palette's colour names (`ColourName.all`) and `gray`.
    public static var acceptedColours: [String] { ColourName.all + ["gray"] }

    public init(colour: String? = nil, brightness: BrightnessLevel? = nil, colourfulness: ColourfulnessLevel? = nil) {
        self.colour = colour
        self.brightness = brightness
        self.colourfulness = colourfulness
    }

    /// True when no condition is set.
    public var isEmpty: Bool { colour == nil && brightness == nil && colourfulness == nil }

    /// The palette colour names a colour query matches: the family's members for a family word
    /// (`blue` → blue, navy, sky blue, turquoise), the name itself for any other palette name, nil when `query` is
    /// not a colour Curio names. Case-insensitive; `gray` is `grey`.
    public static func colourNames(for query: String) -> [String]? {
        var key = query.trimmingCharacters(in: .whitespaces).lowercased()
        key = key.replacingOccurrences(of: "gray", with: "grey")
        if let family = colourFamilies[key] { return family }
        return ColourName.all.contains(key) ? [key] : nil
    }

    /// Parses the textual form of the three conditions (nil or empty means "no condition").
    /// - Throws: ``CurioServiceError/badInput(field:reason:)`` naming the parameter (`colour`, `brightness`,
    ///   `colourfulness`) and listing the accepted values.
    public static func parse(colour: String?, brightness: String?, colourfulness: String?) throws -> VisualSearchFilter {
        var filter = VisualSearchFilter()
        if let colour = colour?.trimmingCharacters(in: .whitespaces), !colour.isEmpty {
            guard colourNames(for: colour) != nil else {
                throw CurioServiceError.badInput(field: "colour", reason: "'\(colour.prefix(40))' is not a colour Curio names; use one of \(ColourName.all.joined(separator: ", "))")
            }
            filter.colour = colour.lowercased()
        }
        if let brightness = brightness?.trimmingCharacters(in: .whitespaces), !brightness.isEmpty {
            guard let level = BrightnessLevel(rawValue: brightness.lowercased()) else {
                throw CurioServiceError.badInput(field: "brightness", reason: "'\(brightness.prefix(40))' is not a brightness; use dark, medium or bright")
            }
            filter.brightness = level
        }
        if let colourfulness = colourfulness?.trimmingCharacters(in: .whitespaces), !colourfulness.isEmpty {
            guard let level = ColourfulnessLevel(rawValue: colourfulness.lowercased()) else {
                throw CurioServiceError.badInput(field: "colourfulness", reason: "'\(colourfulness.prefix(40))' is not a colourfulness; use muted, moderate or colourful")
            }
            filter.colourfulness = level
        }
        return filter
    }

    /// The store-level filter.
    public var storeFilter: VisualFilter {
        VisualFilter(colourNames: colour.flatMap(Self.colourNames(for:)) ?? [],
                     minimumColourShare: Self.minimumColourShare, brightness: brightness?.range,
                     colourfulness: colourfulness?.range)
    }
}

/// An item's stored visual descriptors, with the image they describe.
public struct ItemVisuals: Sendable, Equatable {
    /// The item.
    public var item: ItemID
    /// The image file analysed.
    public var image: String
    /// SHA-256 of that file when it was analysed.
    public var contentHash: String
    /// Palette, brightness, contrast, colourfulness.
    public var descriptors: VisualDescriptors
    /// The brightness class of the descriptors.
    public var brightnessLevel: BrightnessLevel { .of(descriptors.brightness) }
    /// The colourfulness class of the descriptors.
    public var colourfulnessLevel: ColourfulnessLevel { .of(descriptors.colourfulness) }
}

extension Curio {
    /// The stored visual descriptors of `item`'s image (palette evidence for explanations, filters, display), or nil
    /// when the item has none (no local image, or `curio embed` has not run).
    /// - Throws: store errors; ``CurioError`` when the stored JSON cannot be read.
    public func visualDescriptors(of item: ItemID) throws -> ItemVisuals? {
        guard let store = store as? any ItemVisualStore, let record = try store.visuals(of: item) else { return nil }
        let descriptors = try JSONDecoder().decode(VisualDescriptors.self, from: record.json)
        return ItemVisuals(item: item, image: record.image, contentHash: record.contentHash, descriptors: descriptors)
    }

    /// The stored descriptors JSON of `item`, undecoded (for caching rendered responses), or nil.
    public func visualDescriptorsJSON(of item: ItemID) throws -> Data? {
        guard let store = store as? any ItemVisualStore else { return nil }
        return try store.visuals(of: item)?.json
    }

    /// The items whose visual descriptors pass `filter` (every described item for an empty filter).
    public func items(matching filter: VisualSearchFilter) throws -> Set<ItemID> {
        guard let store = store as? any ItemVisualStore else { return [] }
        return try store.items(matching: filter.storeFilter)
    }

    /// Palette similarity of two items' images, 0…1 ("similar palette" evidence): the share-weighted mean CIEDE2000
    /// from each palette colour to the nearest colour of the other palette, averaged over both directions, mapped
    /// to `1 − ΔE₀₀ / 100` (identical palettes 1, ΔE₀₀ ≥ 100 → 0). Nil when either item has no descriptors.
    public func paletteSimilarity(_ a: ItemID, _ b: ItemID) throws -> Double? {
        guard let x = try visualDescriptors(of: a)?.descriptors, let y = try visualDescriptors(of: b)?.descriptors,
              !x.palette.isEmpty, !y.palette.isEmpty else { return nil }
        func directed(_ p: [VisualDescriptors.PaletteColour], _ q: [VisualDescriptors.PaletteColour]) -> Double {
            p.reduce(0) { total, colour in
                let nearest = q.map { colour.lab.difference2000(to: $0.lab) }.min() ?? 100
                return total + colour.share * nearest
            }
        }
        let distance = (directed(x.palette, y.palette) + directed(y.palette, x.palette)) / 2
        return max(0, 1 - distance / 100)
    }
}
