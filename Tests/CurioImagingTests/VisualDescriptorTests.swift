import CurioCore
import Foundation
import Testing
@testable import CurioImaging

@Suite struct VisualDescriptorTests {
    let extractor = VisualDescriptorExtractor()

    static func solid(_ r: UInt8, _ g: UInt8, _ b: UInt8, side: Int = 32) -> RGBImage {
        RGBImage(width: side, height: side, filledWith: r, g, b)!
    }

    /// Left half one colour, right half another.
    static func halves(_ left: (UInt8, UInt8, UInt8), _ right: (UInt8, UInt8, UInt8), width: Int = 40, height: Int = 20) -> RGBImage {
        var pixels: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width { let c = x < width / 2 ? left : right; pixels += [c.0, c.1, c.2] }
        }
        return RGBImage(width: width, height: height, pixels: pixels)!
    }

    @Test func pureBlueImageIsBlue() throws {
        let d = try extractor.describe(Self.solid(0, 0, 255))
        #expect(d.palette.count == 1)
        #expect(d.palette.first?.name == "blue")
        #expect(d.palette.first?.hex == "#0000FF")
        #expect(d.palette.first?.share == 1)
        #expect(d.colourNames == ["blue"])
        #expect(d.share(of: "blue") == 1)
        #expect(d.contrast < 1e-3)
    }

    @Test(arguments: [
        ("#FF0000", "red"), ("#00A000", "green"), ("#FFFF00", "yellow"), ("#FFFFFF", "white"), ("#000000", "black"),
        ("#808080", "grey"), ("#000080", "navy"), ("#4169E1", "blue"), ("#87CEEB", "sky blue"), ("#DAA520", "ochre"),
        ("#8B4513", "brown"), ("#FFC0CB", "pink"), ("#800080", "purple"),
    ])
    func referenceColoursGetTheExpectedName(hex: String, name: String) throws {
        let rgb = ColourName.rgb(hex: hex)
        let d = try extractor.describe(Self.solid(rgb[0], rgb[1], rgb[2], side: 8))
        #expect(d.palette.first?.name == name, "\(hex) named \(d.palette.first?.name ?? "-")")
    }

    @Test func brightnessOrdersLightAboveDark() throws {
        let white = try extractor.describe(Self.solid(255, 255, 255))
        let grey = try extractor.describe(Self.solid(128, 128, 128))
        let dark = try extractor.describe(Self.solid(20, 15, 10))
        #expect(abs(white.brightness - 100) < 0.5)
        #expect(white.brightness > grey.brightness && grey.brightness > dark.brightness)
        #expect(abs(grey.brightness - 53.6) < 1) // L* of sRGB 128
    }

    @Test func contrastAndPaletteOfTwoHalves() throws {
        let d = try extractor.describe(Self.halves((0, 0, 0), (255, 255, 255)))
        #expect(d.palette.count == 2)
        #expect(Set(d.colourNames) == ["black", "white"])
        for colour in d.palette { #expect(abs(colour.share - 0.5) < 1e-9) }
        #expect(abs(d.contrast - 50) < 0.5) // half at L* 0, half at L* 100
        let flat = try extractor.describe(Self.solid(90, 90, 90))
        #expect(d.contrast > flat.contrast)
    }

    @Test func colourfulnessIsZeroForGreysAndHighForSaturatedColours() throws {
        let grey = try extractor.describe(Self.halves((30, 30, 30), (220, 220, 220)))
        #expect(grey.colourfulness < 1e-9)
        let muted = try extractor.describe(Self.halves((120, 100, 90), (100, 110, 120)))
        let vivid = try extractor.describe(Self.halves((255, 0, 0), (0, 0, 255)))
        #expect(vivid.colourfulness > 80)
        #expect(vivid.colourfulness > muted.colourfulness && muted.colourfulness > grey.colourfulness)
    }

    @Test func paletteOfAPhotographIsDeterministicAndSumsToOne() throws {
        let path = ImagingFixtures.sharedModelFixtures.appendingPathComponent("chelsea.png").path
        let first = try extractor.describe(file: path)
        let second = try extractor.describe(file: path)
        #expect(first == second)
        #expect(first.palette.count == 5)
        #expect(abs(first.palette.reduce(0) { $0 + $1.share } - 1) < 1e-9)
        #expect(zip(first.palette, first.palette.dropFirst()).allSatisfy { $0.share >= $1.share })
        #expect(first.palette.allSatisfy { ColourName.all.contains($0.name) })
        // A tabby cat on a brownish background: warm, mid-bright.
        #expect(first.brightness > 30 && first.brightness < 70)
        #expect(first.colourNames.contains { ["brown", "ochre", "beige", "dark grey", "grey", "orange"].contains($0) })
    }

    @Test func descriptorsRoundTripThroughJSON() throws {
        let d = try extractor.describe(Self.halves((200, 40, 40), (40, 40, 200)))
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(VisualDescriptors.self, from: data) == d)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"colourfulness\"") && json.contains("\"palette\""))
    }

    @Test func largeImagesAreReducedBeforeAnalysis() throws {
        let big = Self.halves((255, 0, 0), (0, 0, 255), width: 400, height: 300)
        let d = try extractor.describe(big)
        #expect(Set(d.colourNames.prefix(2)) == ["red", "blue"])
        let reduced = try ImageLoader.resize(big, toFit: 64)
        #expect(reduced.width == 64 && reduced.height == 48)
    }
}
