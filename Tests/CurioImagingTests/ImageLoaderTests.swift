import CurioCore
import Foundation
import Testing
@testable import CurioImaging

@Suite struct ImageLoaderTests {
    let loader = ImageLoader()

    @Test func pngDecodesToInterleavedRGBOfTheDeclaredSize() throws {
        let image = try loader.load(file: ImagingFixtures.path("chelsea.png"))
        #expect(image.width == 64 && image.height == 43)
        #expect(image.pixels.count == 64 * 43 * 3)
        let header = try loader.header(ofFile: ImagingFixtures.path("chelsea.png"))
        #expect(header == ImageHeader(format: .png, width: 64, height: 43, bands: 3, hasAlpha: false))
    }

    @Test(arguments: [
        ("chelsea.webp", 0.0), ("chelsea.tif", 0.0), ("chelsea.jpg", 4.0), ("chelsea.gif", 6.0),
        ("chelsea-cmyk.jpg", 15.0), ("chelsea-rgb16.tif", 1.0),
    ])
    func everyAcceptedFormatDecodesToTheSamePicture(file: String, tolerance: Double) throws {
        let reference = try loader.load(file: ImagingFixtures.path("chelsea.png"))
        let image = try loader.load(file: ImagingFixtures.path(file))
        #expect(image.width == reference.width && image.height == reference.height)
        let difference = image.meanAbsoluteDifference(to: reference)
        #expect(difference <= tolerance, "\(file): mean difference \(difference)")
    }

    @Test(arguments: ["chelsea-grey.png", "chelsea-grey16.png"])
    func greyscaleBecomesThreeEqualChannels(file: String) throws {
        let image = try loader.load(file: ImagingFixtures.path(file))
        #expect(image.width == 64 && image.height == 43)
        var equal = true
        for i in stride(from: 0, to: image.pixels.count, by: 3) where image.pixels[i] != image.pixels[i + 1] || image.pixels[i] != image.pixels[i + 2] {
            equal = false
        }
        #expect(equal)
        // Same picture as the 8-bit greyscale (made by Pillow with slightly different luma weights than libvips).
        let grey8 = try loader.load(file: ImagingFixtures.path("chelsea-grey.png"))
        #expect(image.meanAbsoluteDifference(to: grey8) <= 3.0)
    }

    @Test func transparencyIsFlattenedOntoWhite() throws {
        let image = try loader.load(file: ImagingFixtures.path("alpha.png"))
        #expect(image.width == 3 && image.height == 1)
        #expect(image[0, 0] == (255, 0, 0))        // opaque red stays red
        #expect(image[1, 0] == (255, 255, 255))    // fully transparent blue becomes white
        let half = image[2, 0]                     // half-transparent black becomes mid grey
        #expect(abs(Int(half.red) - 127) <= 1 && half.red == half.green && half.green == half.blue)
    }

    @Test func exifOrientationIsApplied() throws {
        let image = try loader.load(file: ImagingFixtures.path("orientation6.jpg"))
        // Stored 40×20 with red on the left; orientation 6 turns it 90° clockwise: 20×40 with red on top.
        #expect(image.width == 20 && image.height == 40)
        let top = image[10, 5], bottom = image[10, 34]
        #expect(top.red > 200 && top.blue < 60)
        #expect(bottom.blue > 200 && bottom.red < 60)
        let header = try loader.header(ofFile: ImagingFixtures.path("orientation6.jpg"))
        #expect(header.width == 20 && header.height == 40)
    }

    @Test func fitShrinksKeepingAspectAndNeverEnlarges() throws {
        let rocket = ImagingFixtures.sharedModelFixtures.appendingPathComponent("rocket.jpg").path
        let full = try loader.load(file: rocket)
        #expect(full.width == 640 && full.height == 427)
        // 640×427 into 100×100 is a 6.4× reduction: decoded at 1/2 scale by libjpeg, then reduced.
        let small = try loader.load(file: rocket, size: .fit(width: 100, height: 100))
        #expect(small.width == 100 && small.height == 67)
        let (a, b) = (full.meanColour, small.meanColour)
        #expect(abs(a.red - b.red) < 3 && abs(a.green - b.green) < 3 && abs(a.blue - b.blue) < 3)
        let same = try loader.load(file: ImagingFixtures.path("chelsea.png"), size: .fit(width: 1000, height: 1000))
        #expect(same.width == 64 && same.height == 43)
    }

    @Test func shorterSideResizeThenCentreCropGivesTheModelInput() throws {
        let image = try loader.load(file: ImagingFixtures.path("chelsea.png"), size: .shorterSide(256, centreCrop: 224))
        #expect(image.width == 224 && image.height == 224)
        let uncropped = try loader.load(file: ImagingFixtures.path("chelsea.png"), size: .shorterSide(86, centreCrop: nil))
        #expect(uncropped.height == 86 && uncropped.width == 128) // 64×43 → 128×86
        let rotated = try loader.load(file: ImagingFixtures.path("orientation6.jpg"), size: .shorterSide(10, centreCrop: nil))
        #expect(rotated.width == 10 && rotated.height == 20)
    }

    @Test func embeddedColourProfilesAreAppliedUnlessIgnored() throws {
        // rocket.jpg carries an Adobe RGB (1998) profile: converting to sRGB changes its colours noticeably.
        let rocket = ImagingFixtures.sharedModelFixtures.appendingPathComponent("rocket.jpg").path
        let managed = try loader.load(file: rocket)
        let raw = try ImageLoader.modelInput.load(file: rocket)
        #expect(managed.width == raw.width && managed.height == raw.height)
        #expect(managed.meanAbsoluteDifference(to: raw) > 2)
        // Without a profile both settings agree.
        let plain = try loader.load(file: ImagingFixtures.path("chelsea.png"))
        #expect(try ImageLoader.modelInput.load(file: ImagingFixtures.path("chelsea.png")) == plain)
    }

    @Test func longerSideRoundsHalvesToEvenLikePython() throws {
        // 5×4 → shorter side 2: the longer side is 2.5, which Python's round() (the reference) makes 2.
        let plan = try ResizePlan(size: .shorterSide(2, centreCrop: nil), uprightWidth: 5, uprightHeight: 4, name: "x")
        #expect(plan.target?.width == 2 && plan.target?.height == 2)
        let wide = try ResizePlan(size: .shorterSide(256, centreCrop: 224), uprightWidth: 640, uprightHeight: 427, name: "x")
        #expect(wide.target?.width == 384 && wide.target?.height == 256 && wide.centreCrop == 224)
    }

    @Test func memoryAndFileDecodingAgree() throws {
        for name in ["chelsea.jpg", "chelsea.png", "chelsea-cmyk.jpg", "chelsea.webp"] {
            let fromFile = try loader.load(file: ImagingFixtures.path(name), size: .shorterSide(32, centreCrop: 32))
            let fromMemory = try loader.load(data: ImagingFixtures.bytes(name), name: name, size: .shorterSide(32, centreCrop: 32))
            #expect(fromFile == fromMemory, "\(name)")
        }
    }

    @Test func impossibleSizesAreRejected() throws {
        let path = ImagingFixtures.path("chelsea.png")
        #expect(throws: ImagingError.self) { try loader.load(file: path, size: .fit(width: 0, height: 10)) }
        #expect(throws: ImagingError.self) { try loader.load(file: path, size: .shorterSide(100, centreCrop: 200)) }
    }

    @Test func decodingInParallelGivesTheSameResults() async throws {
        let names = ["chelsea.jpg", "chelsea.png", "chelsea-cmyk.jpg", "chelsea.webp", "chelsea.tif", "chelsea.gif"]
        let loader = self.loader
        let sequential = try names.map { try loader.load(file: ImagingFixtures.path($0)) }
        let parallel = try await withThrowingTaskGroup(of: (Int, RGBImage).self) { group in
            for (i, name) in names.enumerated() {
                group.addTask { (i, try loader.load(file: ImagingFixtures.path(name))) }
            }
            var results = [RGBImage?](repeating: nil, count: names.count)
            for try await (i, image) in group { results[i] = image }
            return results
        }
        #expect(parallel == sequential.map { Optional($0) })
    }
}
