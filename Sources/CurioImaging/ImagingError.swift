/// Errors raised while decoding or preparing an image, always naming the file.
public enum ImagingError: Error, CustomStringConvertible, Sendable {
    case cannotDecode(file: String, reason: String)
    case tooLarge(file: String, width: Int, height: Int, limit: Int)
    case empty(file: String)
    case unsupported(file: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotDecode(file, reason): "\(file): cannot decode image: \(reason)"
        case let .tooLarge(file, w, h, limit): "\(file): image is \(w)×\(h) pixels, above the limit of \(limit) pixels"
        case let .empty(file): "\(file): image has no pixels"
        case let .unsupported(file, reason): "\(file): unsupported image: \(reason)"
        }
    }
}
