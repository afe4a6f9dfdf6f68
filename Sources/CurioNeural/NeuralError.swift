/// Errors raised while loading or running a neural model.
public enum NeuralError: Error, CustomStringConvertible, Sendable {
    case modelMissing(name: String, hint: String)
    case badWeights(file: String, reason: String)
    case missingTensor(file: String, name: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case badVocabulary(file: String, reason: String)

    public var description: String {
        switch self {
        case let .modelMissing(name, hint): "Model \(name) is not installed. \(hint)"
        case let .badWeights(file, reason): "\(file): not a valid weights file: \(reason)"
        case let .missingTensor(file, name): "\(file): tensor '\(name)' is missing"
        case let .shapeMismatch(name, expected, found): "tensor '\(name)' has shape \(found), expected \(expected)"
        case let .badVocabulary(file, reason): "\(file): not a valid vocabulary: \(reason)"
        }
    }
}
