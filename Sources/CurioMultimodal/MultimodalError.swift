/// Errors of multimodal training and fusion, with what to do about them.
public enum MultimodalError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Image features and text vectors do not pair up (different counts or widths).
    case mismatchedPairs(reason: String)
    /// Too few image–text pairs to train and validate a projection.
    case tooFewPairs(count: Int, minimum: Int)
    /// A training option is out of range (`name` as the caller wrote it).
    case invalidOption(name: String, reason: String)
    /// A projection artefact cannot be read (`path` names the file).
    case unreadableArtefact(path: String, reason: String)
    /// Vectors of one modality have the wrong width.
    case dimensionMismatch(modality: String, expected: Int, actual: Int)
    /// Training diverged (a loss or weight became infinite or NaN).
    case diverged(epoch: Int)

    public var description: String {
        switch self {
        case let .mismatchedPairs(reason): "image features and text vectors do not pair up: \(reason)"
        case let .tooFewPairs(count, minimum):
            "only \(count) items have both a text and an image embedding; at least \(minimum) are needed to learn the image→text projection (run `curio embed` after adding images)"
        case let .invalidOption(name, reason): "\(name): \(reason)"
        case let .unreadableArtefact(path, reason): "\(path): not a readable image→text projection: \(reason)"
        case let .dimensionMismatch(modality, expected, actual):
            "\(modality) vectors have \(actual) values, expected \(expected)"
        case let .diverged(epoch): "projection training diverged in epoch \(epoch); lower the learning rate"
        }
    }
}
