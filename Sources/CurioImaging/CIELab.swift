import Foundation
import CCurioVips
import CVips
import CurioCore

/// A colour in CIE L*a*b* (D65): `l` lightness 0…100, `a` green–red, `b` blue–yellow.
public struct CIELab: Sendable, Hashable, Codable {
    /// Lightness, 0 (black) … 100 (white).
    public var l: Float
    /// Green (−) to red (+).
    public var a: Float
    /// Blue (−) to yellow (+).
    public var b: Float

    /// A colour from its three coordinates.
    public init(l: Float, a: Float, b: Float) {
        self.l = l
        self.a = a
        self.b = b
    }

    /// Squared Euclidean distance (ΔE*76²), the metric k-means clusters with.
    func squaredDistance(to other: CIELab) -> Float {
        let dl = l - other.l, da = a - other.a, db = b - other.b
        return dl * dl + da * da + db * db
    }

    /// CIEDE2000 colour difference (Sharma, Wu & Dalal 2005), used to name colours: unlike ΔE*76 it keeps
    /// royal blues apart from purples.
    public func difference2000(to other: CIELab) -> Double {
        let (l1, a1, b1) = (Double(l), Double(a), Double(b))
        let (l2, a2, b2) = (Double(other.l), Double(other.a), Double(other.b))
        let c1 = (a1 * a1 + b1 * b1).squareRoot(), c2 = (a2 * a2 + b2 * b2).squareRoot()
        let cMean = (c1 + c2) / 2
        let c7 = pow7(cMean)
        let g = 0.5 * (1 - (c7 / (c7 + pow7(25))).squareRoot())
        let a1p = (1 + g) * a1, a2p = (1 + g) * a2
        let c1p = (a1p * a1p + b1 * b1).squareRoot(), c2p = (a2p * a2p + b2 * b2).squareRoot()
        let h1p = hueDegrees(b1, a1p), h2p = hueDegrees(b2, a2p)
        let dLp = l2 - l1, dCp = c2p - c1p
        var dhp = 0.0
        if c1p * c2p != 0 {
            dhp = h2p - h1p
            if dhp > 180 { dhp -= 360 } else if dhp < -180 { dhp += 360 }
        }
        let dHp = 2 * (c1p * c2p).squareRoot() * sinDegrees(dhp / 2)
        let lMean = (l1 + l2) / 2, cpMean = (c1p + c2p) / 2
        var hMean = h1p + h2p
        if c1p * c2p != 0 {
            if abs(h1p - h2p) <= 180 { hMean = (h1p + h2p) / 2 }
            else if h1p + h2p < 360 { hMean = (h1p + h2p + 360) / 2 }
            else { hMean = (h1p + h2p - 360) / 2 }
        }
        let t = 1 - 0.17 * cosDegrees(hMean - 30) + 0.24 * cosDegrees(2 * hMean)
            + 0.32 * cosDegrees(3 * hMean + 6) - 0.20 * cosDegrees(4 * hMean - 63)
        let dTheta = 30 * exp(-((hMean - 275) / 25) * ((hMean - 275) / 25))
        let cp7 = pow7(cpMean)
        let rc = 2 * (cp7 / (cp7 + pow7(25))).squareRoot()
        let sl = 1 + 0.015 * (lMean - 50) * (lMean - 50) / (20 + (lMean - 50) * (lMean - 50)).squareRoot()
        let sc = 1 + 0.045 * cpMean, sh = 1 + 0.015 * cpMean * t
        let rt = -sinDegrees(2 * dTheta) * rc
        let x = dLp / sl, y = dCp / sc, z = dHp / sh
        return (x * x + y * y + z * z + rt * y * z).squareRoot()
    }
}

private func pow7(_ x: Double) -> Double { let x2 = x * x; return x2 * x2 * x2 * x }
private func hueDegrees(_ y: Double, _ x: Double) -> Double {
    if x == 0 && y == 0 { return 0 }
    let h = atan2(y, x) * 180 / .pi
    return h < 0 ? h + 360 : h
}
private func sinDegrees(_ d: Double) -> Double { sin(d * .pi / 180) }
private func cosDegrees(_ d: Double) -> Double { cos(d * .pi / 180) }

extension RGBImage {
    /// Every pixel converted to CIE L*a*b* (D65) by libvips, row by row.
    /// - Throws: `ImagingError.libraryUnavailable` or `.cannotDecode` if libvips fails.
    func labPixels() throws(ImagingError) -> [CIELab] {
        try VipsRuntime.ensureStarted()
        let made = pixels.withUnsafeBufferPointer { curio_vips_image_from_rgb($0.baseAddress, Int32(width), Int32(height)) }
        guard let made else {
            throw .cannotDecode(file: "(in-memory image)", reason: VipsRuntime.takeError(fallback: "cannot wrap pixels"))
        }
        let image = try VipsImageRef(made).apply("convert to Lab", file: "(in-memory image)") {
            curio_vips_colourspace($0, $1, VIPS_INTERPRETATION_LAB)
        }
        var length = 0
        guard let buffer = vips_image_write_to_memory(image.pointer, &length), length == width * height * 12 else {
            throw .cannotDecode(file: "(in-memory image)", reason: VipsRuntime.takeError(fallback: "Lab conversion failed"))
        }
        defer { g_free(buffer) }
        let floats = buffer.assumingMemoryBound(to: Float.self)
        return (0..<(width * height)).map { CIELab(l: floats[$0 * 3], a: floats[$0 * 3 + 1], b: floats[$0 * 3 + 2]) }
    }
}
