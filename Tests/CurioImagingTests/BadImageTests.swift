import CurioCore
import Foundation
import Testing
@testable import CurioImaging

/// Every failure class gives its own typed error naming the file.
@Suite struct BadImageTests {
    let loader = ImageLoader()

    @Test func zeroByteFileIsEmpty() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let path = try scratch.write([], to: "empty.jpg")
        #expect(throws: ImagingError.empty(file: path)) { try loader.load(file: path) }
        #expect(throws: ImagingError.empty(file: "upload")) { try loader.load(data: [], name: "upload") }
    }

    @Test func truncatedJPEGIsCorrupt() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let bytes = try ImagingFixtures.bytes("chelsea.jpg")
        let path = try scratch.write(Array(bytes.prefix(bytes.count * 6 / 10)), to: "truncated.jpg")
        do {
            _ = try loader.load(file: path)
            Issue.record("a truncated JPEG decoded")
        } catch let ImagingError.cannotDecode(file, reason) {
            #expect(file == path)
            #expect(!reason.isEmpty)
        }
    }

    @Test func truncatedPNGIsCorrupt() throws {
        let bytes = try ImagingFixtures.bytes("chelsea.png")
        #expect {
            try loader.load(data: Array(bytes.prefix(bytes.count / 2)), name: "half.png")
        } throws: { error in
            if case ImagingError.cannotDecode(file: "half.png", reason: _) = error { return true }
            return false
        }
    }

    @Test func corruptedJPEGDataIsRefusedUnlessTolerated() throws {
        // Keep the headers, overwrite the compressed data with garbage.
        var bytes = try ImagingFixtures.bytes("chelsea.jpg")
        var generator = SplitMix(seed: 7)
        for i in (bytes.count / 2)..<(bytes.count - 2) { bytes[i] = UInt8(truncatingIfNeeded: generator.next()) }
        #expect {
            try loader.load(data: bytes, name: "scrambled.jpg")
        } throws: { error in
            if case ImagingError.cannotDecode(file: "scrambled.jpg", reason: _) = error { return true }
            return false
        }
        // libjpeg repairs this with a warning: a tolerant loader accepts the (damaged) picture.
        let tolerant = ImageLoader(strictness: .tolerant)
        let image = try tolerant.load(data: bytes, name: "scrambled.jpg")
        #expect(image.width == 64 && image.height == 43)
    }

    @Test func decompressionBombIsRefusedFromTheHeader() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let bomb = pngDeclaring(width: 100_000, height: 100_000)
        #expect(bomb.count < 100)
        let path = try scratch.write(bomb, to: "bomb.png")
        #expect(throws: ImagingError.tooLarge(file: path, width: 100_000, height: 100_000, limit: 100_000_000)) {
            try loader.load(file: path)
        }
        // A tighter limit applies to ordinary images too.
        let strict = ImageLoader(limits: .init(maxPixels: 1000))
        #expect(throws: ImagingError.tooLarge(file: "chelsea", width: 64, height: 43, limit: 1000)) {
            try strict.load(data: ImagingFixtures.bytes("chelsea.png"), name: "chelsea")
        }
    }

    @Test func randomBytesAreUnsupported() throws {
        var generator = SplitMix(seed: 42)
        let noise = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        #expect {
            try loader.load(data: noise, name: "noise.bin")
        } throws: { error in
            if case ImagingError.unsupported(file: "noise.bin", reason: _) = error { return true }
            return false
        }
    }

    @Test func textFileIsUnsupported() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let path = try scratch.write(Array("title,artist\nThe Hay Wain,Constable\n".utf8), to: "catalogue.csv")
        #expect {
            try loader.load(file: path)
        } throws: { error in
            // libvips sniffs it as CSV, which Curio refuses.
            guard case let ImagingError.unsupported(file, reason) = error else { return false }
            return file == path && reason.contains("not accepted")
        }
    }

    @Test func svgIsRefused() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="blue"/></svg>"#
        let path = try scratch.write(Array(svg.utf8), to: "logo.svg")
        #expect {
            try loader.load(file: path)
        } throws: { error in
            if case ImagingError.unsupported(file: path, reason: _) = error { return true }
            return false
        }
    }

    @Test func missingFileAndDirectoryAreUnreadable() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.cleanUp() }
        let missing = scratch.url.appendingPathComponent("nope.jpg").path
        #expect {
            try loader.load(file: missing)
        } throws: { error in
            guard case let ImagingError.unreadable(file, reason) = error else { return false }
            return file == missing && reason.contains("No such file")
        }
        #expect {
            try loader.load(file: scratch.url.path)
        } throws: { error in
            if case ImagingError.unreadable(file: scratch.url.path, reason: "not a regular file") = error { return true }
            return false
        }
    }

    @Test func errorMessagesNameTheFile() {
        let error = ImagingError.tooLarge(file: "/data/huge.tif", width: 20000, height: 20000, limit: 100_000_000)
        #expect(error.description.contains("/data/huge.tif"))
        #expect(error.description.contains("20000×20000"))
    }
}

/// A tiny deterministic generator for test noise.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
