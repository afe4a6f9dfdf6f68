import CurioCore
import Foundation

/// Visual properties of an image that a curator can read and filter on: its dominant colours with names and
/// shares, brightness, contrast and colourfulness.
///
/// - `palette`: up to five dominant colours, found by k-means in CIELAB (a perceptual space) on a downsampled copy,
///   largest share first; each has the average sRGB of its pixels (`hex`), its CIELAB centre, its share of the
///   image (shares sum to 1) and a name from `ColourName`.
/// - `brightness`: mean L* (0 black … 100 white).
/// - `contrast`: standard deviation of L* (0 for a flat image; around 20–30 for typical paintings).
/// - `colourfulness`: Hasler & Süsstrunk (2003) M on 0…255 sRGB, `√(σ_rg² + σ_yb²) + 0.3·√(μ_rg² + μ_yb²)` with
///   `rg = R − G`, `yb = (R + G)/2 − B`: 0 for greys, ~15 slightly, ~33 moderately, ~59 quite, 80+ highly colourful.
public struct VisualDescriptors: Sendable, Hashable, Codable {
    /// One dominant colour.
    public struct PaletteColour: Sendable, Hashable, Codable {
        /// Name from `ColourName` (e.g. "ochre").
        public let name: String
        /// Average sRGB of the colour's pixels, `#RRGGBB`.
        public let hex: String
        /// The cluster centre in CIELAB.
        public let lab: CIELab
        /// Fraction of the image's pixels, 0…1.
        public let share: Double
    }

    /// Identifies the algorithm; stored descriptors with another version should be recomputed.
    public static let algorithmVersion = 1

    /// Dominant colours, largest share first (fewer than five when the image has fewer distinct colours).
    public let palette: [PaletteColour]
    /// Mean L*, 0…100.
    public let brightness: Double
    /// Standard deviation of L*.
    public let contrast: Double
    /// Hasler–Süsstrunk colourfulness.
    public let colourfulness: Double

    /// The distinct colour names of the palette, by decreasing total share.
    public var colourNames: [String] {
        var totals: [String: Double] = [:]
        for colour in palette { totals[colour.name, default: 0] += colour.share }
        return totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }

    /// Total share of the palette colours called `name` (0 when absent).
    public func share(of name: String) -> Double {
        palette.filter { $0.name == name }.reduce(0) { $0 + $1.share }
    }
}

/// Computes `VisualDescriptors`, deterministically for a given seed.
public struct VisualDescriptorExtractor: Sendable {
    /// Images are reduced to fit in `sampleSize`×`sampleSize` before analysis (default 64).
    public var sampleSize: Int = 64
    /// Number of palette colours sought (default 5).
    public var paletteSize: Int = 5
    /// Seed of the k-means++ initialisation.
    public var seed: UInt64 = 0x5EED
    /// Upper bound on k-means iterations.
    public var maxIterations: Int = 30
    /// The loader used for files (colour profiles applied).
    public var loader: ImageLoader = ImageLoader()

    /// An extractor with default settings.
    public init() {}

    /// Describes the image file at `path` (decoded at reduced size with shrink-on-load).
    public func describe(file path: String) throws(ImagingError) -> VisualDescriptors {
        try describe(sample: loader.load(file: path, size: .fit(width: sampleSize, height: sampleSize)))
    }

    /// Describes an encoded image held in memory; `name` is used in errors.
    public func describe(data: [UInt8], name: String) throws(ImagingError) -> VisualDescriptors {
        try describe(sample: loader.load(data: data, name: name, size: .fit(width: sampleSize, height: sampleSize)))
    }

    /// Describes decoded pixels (reduced first when larger than `sampleSize`).
    public func describe(_ image: RGBImage) throws(ImagingError) -> VisualDescriptors {
        if image.width <= sampleSize && image.height <= sampleSize { return try describe(sample: image) }
        return try describe(sample: ImageLoader.resize(image, toFit: sampleSize))
    }

    private func describe(sample image: RGBImage) throws(ImagingError) -> VisualDescriptors {
        let lab = try image.labPixels()
        let n = lab.count
        // Brightness and contrast from L*.
        var sum = 0.0, sumSquares = 0.0
        for p in lab { sum += Double(p.l); sumSquares += Double(p.l) * Double(p.l) }
        let brightness = sum / Double(n)
        let contrast = max(0, sumSquares / Double(n) - brightness * brightness).squareRoot()
        // Hasler–Süsstrunk colourfulness on sRGB.
        var rgSum = 0.0, rgSquares = 0.0, ybSum = 0.0, ybSquares = 0.0
        for i in 0..<n {
            let r = Double(image.pixels[i * 3]), g = Double(image.pixels[i * 3 + 1]), b = Double(image.pixels[i * 3 + 2])
            let rg = r - g, yb = (r + g) / 2 - b
            rgSum += rg; rgSquares += rg * rg; ybSum += yb; ybSquares += yb * yb
        }
        let rgMean = rgSum / Double(n), ybMean = ybSum / Double(n)
        let rgVariance = max(0, rgSquares / Double(n) - rgMean * rgMean)
        let ybVariance = max(0, ybSquares / Double(n) - ybMean * ybMean)
        let colourfulness = (rgVariance + ybVariance).squareRoot() + 0.3 * (rgMean * rgMean + ybMean * ybMean).squareRoot()

        let clusters = kMeans(lab)
        var palette: [VisualDescriptors.PaletteColour] = []
        for cluster in clusters {
            var r = 0, g = 0, b = 0
            for i in cluster.members { r += Int(image.pixels[i * 3]); g += Int(image.pixels[i * 3 + 1]); b += Int(image.pixels[i * 3 + 2]) }
            let count = cluster.members.count
            let hex = ColourName.hex(red: UInt8((r + count / 2) / count), green: UInt8((g + count / 2) / count),
                                     blue: UInt8((b + count / 2) / count))
            palette.append(.init(name: try ColourName.name(of: cluster.centre), hex: hex, lab: cluster.centre,
                                 share: Double(count) / Double(n)))
        }
        return VisualDescriptors(palette: palette, brightness: brightness, contrast: contrast, colourfulness: colourfulness)
    }

    /// k-means (Lloyd) with k-means++ seeding; clusters that end up empty are dropped, and seeding stops early
    /// when every point already coincides with a centre (images with fewer distinct colours than k).
    private func kMeans(_ points: [CIELab]) -> [(centre: CIELab, members: [Int])] {
        var random = SplitMix64(seed: seed)
        var centres: [CIELab] = [points[Int(random.next() % UInt64(points.count))]]
        var nearest = points.map { $0.squaredDistance(to: centres[0]) }
        while centres.count < paletteSize {
            let total = nearest.reduce(0, +)
            guard total > 1e-6 else { break }
            var target = Float(Double(random.next() >> 11) / Double(1 << 53)) * total
            var chosen = points.count - 1
            for (i, d) in nearest.enumerated() {
                target -= d
                if target <= 0 && d > 0 { chosen = i; break }
            }
            centres.append(points[chosen])
            for i in points.indices { nearest[i] = min(nearest[i], points[i].squaredDistance(to: points[chosen])) }
        }
        var assignment = [Int](repeating: -1, count: points.count)
        for _ in 0..<maxIterations {
            var changed = false
            for (i, p) in points.enumerated() {
                var best = 0, bestDistance = Float.infinity
                for (c, centre) in centres.enumerated() {
                    let d = p.squaredDistance(to: centre)
                    if d < bestDistance { best = c; bestDistance = d }
                }
                if assignment[i] != best { assignment[i] = best; changed = true }
            }
            var sums = [(Double, Double, Double, Int)](repeating: (0, 0, 0, 0), count: centres.count)
            for (i, p) in points.enumerated() {
                let c = assignment[i]
                sums[c].0 += Double(p.l); sums[c].1 += Double(p.a); sums[c].2 += Double(p.b); sums[c].3 += 1
            }
            for c in centres.indices where sums[c].3 > 0 {
                let count = Double(sums[c].3)
                centres[c] = CIELab(l: Float(sums[c].0 / count), a: Float(sums[c].1 / count), b: Float(sums[c].2 / count))
            }
            if !changed { break }
        }
        var members = [[Int]](repeating: [], count: centres.count)
        for (i, c) in assignment.enumerated() { members[c].append(i) }
        return zip(centres, members).filter { !$0.1.isEmpty }
            .sorted { ($0.1.count, $1.0.l) > ($1.1.count, $0.0.l) }
            .map { (centre: $0.0, members: $0.1) }
    }
}

/// SplitMix64: a small, fast, seedable generator (Steele, Lea & Flood 2014), so palettes are reproducible.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
