/// The image formats Curio decodes. Anything else (SVG, PDF, RAW, FITS, text, ...) is refused with
/// `ImagingError.unsupported`; SVG and PDF in particular are vector formats that can reference external
/// resources and render at arbitrary sizes, so they are not accepted from catalogue data.
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg
    case png
    case tiff
    case webp
    case gif

    /// Maps a libvips loader class name (e.g. `VipsForeignLoadJpegFile`) to a format, or nil when Curio does
    /// not accept that loader.
    init?(vipsLoader name: String) {
        let stem = name.hasPrefix("VipsForeignLoad") ? String(name.dropFirst("VipsForeignLoad".count)) : name
        if stem.hasPrefix("Jpeg") { self = .jpeg }
        else if stem.hasPrefix("Png") || stem.hasPrefix("Spng") { self = .png }
        else if stem.hasPrefix("Tiff") { self = .tiff }
        else if stem.hasPrefix("Webp") { self = .webp }
        else if stem.hasPrefix("Nsgif") || stem.hasPrefix("Gif") { self = .gif }
        else { return nil }
    }

    /// A short readable name for a libvips loader class (`VipsForeignLoadSvgFile` → `Svg`).
    static func readableLoaderName(_ name: String) -> String {
        var stem = name.hasPrefix("VipsForeignLoad") ? String(name.dropFirst("VipsForeignLoad".count)) : name
        for suffix in ["File", "Buffer", "Source"] where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
        }
        return stem.uppercased()
    }
}
