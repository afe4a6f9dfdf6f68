import CurioCore
import Foundation

/// Locations and helpers shared by the imaging tests.
enum ImagingFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }

    /// `../shared/fixtures/efficientnet_lite0/` relative to the repository root.
    static let sharedModelFixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures/efficientnet_lite0")
}

/// A fresh directory for one test; removed by the caller with `cleanUp()`.
struct ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("curio-imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

extension RGBImage {
    /// Mean absolute difference per channel value against an image of the same size.
    func meanAbsoluteDifference(to other: RGBImage) -> Double {
        precondition(width == other.width && height == other.height)
        var total = 0
        for i in 0..<pixels.count { total += abs(Int(pixels[i]) - Int(other.pixels[i])) }
        return Double(total) / Double(pixels.count)
    }

    /// Mean of each channel.
    var meanColour: (red: Double, green: Double, blue: Double) {
        var sums = (0, 0, 0)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            sums.0 += Int(pixels[i]); sums.1 += Int(pixels[i + 1]); sums.2 += Int(pixels[i + 2])
        }
        let n = Double(width * height)
        return (Double(sums.0) / n, Double(sums.1) / n, Double(sums.2) / n)
    }
}

/// CRC-32 (IEEE, as PNG uses it), for building PNG chunks in tests.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
}

/// A syntactically valid PNG whose header declares `width`×`height` RGB pixels but carries almost no data.
func pngDeclaring(width: UInt32, height: UInt32) -> [UInt8] {
    func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc32(body))
    }
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    let ihdr = be(width) + be(height) + [8, 2, 0, 0, 0] // 8-bit, truecolour, deflate, adaptive, no interlace
    let idat: [UInt8] = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01] // an empty zlib stream
    return signature + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
}
