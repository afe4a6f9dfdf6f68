/// The target geometry for one image, worked out from its upright size and the requested `ImageSize`.
struct ResizePlan {
    /// Size after resizing (upright), or nil to keep the original.
    let target: (width: Int, height: Int)?
    /// Side of the centre square to cut out after resizing.
    let centreCrop: Int?
    /// Bilinear (for model preprocessing) rather than Lanczos-3.
    let bilinear: Bool

    /// Overall scale factor (< 1 shrinks).
    var scale: Double

    init(size: ImageSize, uprightWidth width: Int, uprightHeight height: Int, name: String) throws(ImagingError) {
        switch size {
        case .original:
            target = nil; centreCrop = nil; bilinear = false; scale = 1
        case let .fit(maxWidth, maxHeight):
            guard maxWidth > 0, maxHeight > 0 else {
                throw .invalidRequest(file: name, reason: "fit box \(maxWidth)×\(maxHeight) must be positive")
            }
            let factor = min(1, min(Double(maxWidth) / Double(width), Double(maxHeight) / Double(height)))
            let w = max(1, min(maxWidth, Int((Double(width) * factor).rounded())))
            let h = max(1, min(maxHeight, Int((Double(height) * factor).rounded())))
            target = (w, h); centreCrop = nil; bilinear = false; scale = factor
        case let .shorterSide(side, crop):
            guard side > 0 else { throw .invalidRequest(file: name, reason: "shorter side \(side) must be positive") }
            if let crop, crop <= 0 || crop > side {
                throw .invalidRequest(file: name, reason: "centre crop \(crop) must be between 1 and \(side)")
            }
            let factor = Double(side) / Double(min(width, height))
            // Half-to-even rounding, as Python's round() does in the reference preprocessing.
            let w = width <= height ? side : max(side, Int((Double(width) * factor).rounded(.toNearestOrEven)))
            let h = height < width ? side : max(side, Int((Double(height) * factor).rounded(.toNearestOrEven)))
            target = (w, h); centreCrop = crop; bilinear = true; scale = factor
        }
    }
}
