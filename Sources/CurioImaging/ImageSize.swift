/// The size an image is delivered at.
public enum ImageSize: Sendable, Hashable {
    /// The image's own size (upright after EXIF orientation).
    case original
    /// Shrunk, keeping the aspect ratio, to fit inside `width`×`height`; never enlarged. Uses shrink-on-load
    /// for JPEG, then a Lanczos-3 reduction.
    case fit(width: Int, height: Int)
    /// Resized (up or down, bilinear) so the shorter side becomes `shorterSide`, the longer side scaled in
    /// proportion and rounded to the nearest pixel (halves to even); then, when `centreCrop` is given, the central
    /// `centreCrop`×`centreCrop` square (offset rounded down) is cut out. This is the preprocessing vision
    /// models such as EfficientNet expect (`.shorterSide(256, centreCrop: 224)`).
    case shorterSide(Int, centreCrop: Int?)
}
