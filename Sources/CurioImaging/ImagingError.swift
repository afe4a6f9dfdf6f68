/// Errors raised while decoding or preparing an image. Every case names the file (or the name given to an
/// in-memory image) so a curator can find and fix it.
public enum ImagingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file is missing or cannot be read (permissions, a directory, ...).
    case unreadable(file: String, reason: String)
    /// The file or buffer holds no bytes, or the image has no pixels.
    case empty(file: String)
    /// The data is not an image format Curio accepts (text, SVG, PDF, ...).
    case unsupported(file: String, reason: String)
    /// The header declares more pixels than the configured limit (decompression-bomb guard); nothing was decoded.
    case tooLarge(file: String, width: Int, height: Int, limit: Int)
    /// The format was recognised but the data is corrupt or truncated.
    case cannotDecode(file: String, reason: String)
    /// A caller asked for an impossible size (zero or negative).
    case invalidRequest(file: String, reason: String)
    /// libvips could not be started.
    case libraryUnavailable(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read image file: \(reason)"
        case let .empty(file): "\(file): image file is empty (no bytes or no pixels)"
        case let .unsupported(file, reason): "\(file): unsupported image: \(reason)"
        case let .tooLarge(file, w, h, limit):
            "\(file): image is \(w)×\(h) = \(w * h) pixels, above the limit of \(limit) pixels (not decoded)"
        case let .cannotDecode(file, reason): "\(file): corrupt or truncated image: \(reason)"
        case let .invalidRequest(file, reason): "\(file): invalid image request: \(reason)"
        case let .libraryUnavailable(reason): "libvips could not be initialised: \(reason)"
        }
    }
}
