/// An 8-bit sRGB image held in memory: `height` rows of `width` pixels, each pixel three bytes (red, green, blue),
/// rows stored top to bottom without padding.
///
/// This is the hand-over type between image decoding (CurioImaging, which produces it with libvips) and the
/// vision model (CurioNeural, which consumes it), so neither module has to know the other.
public struct RGBImage: Sendable, Hashable, CustomStringConvertible {
    /// Width in pixels (> 0).
    public let width: Int
    /// Height in pixels (> 0).
    public let height: Int
    /// Interleaved RGB bytes, `width * height * 3` of them.
    public let pixels: [UInt8]

    /// Wraps interleaved RGB bytes; returns nil unless both sides are positive and `pixels` holds exactly
    /// `width * height * 3` bytes.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).overflow == false,
              pixels.count == width * height * 3 else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A `width`×`height` image filled with one colour.
    public init?(width: Int, height: Int, filledWith red: UInt8, _ green: UInt8, _ blue: UInt8) {
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).overflow == false else { return nil }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = red
            pixels[i + 1] = green
            pixels[i + 2] = blue
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The (red, green, blue) value at column `x`, row `y`; both must be in range.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let i = (y * width + x) * 3
        return (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// A short summary (`RGBImage(64×43)`); the pixels are never printed.
    public var description: String { "RGBImage(\(width)×\(height))" }
}
