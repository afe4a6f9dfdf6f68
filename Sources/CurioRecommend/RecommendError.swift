/// Errors raised while training or serving recommendation models.
public enum RecommendError: Error, CustomStringConvertible, Sendable {
    case noInteractions
    case unknownModel(name: String, known: [String])
    case badArtefact(path: String, reason: String)
    case badParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case .noInteractions: "There are no visitor events to train on. Ingest events or run `curio simulate` first."
        case let .unknownModel(name, known): "Unknown model '\(name)'. Known models: \(known.joined(separator: ", "))"
        case let .badArtefact(path, reason): "\(path): model artefact cannot be loaded: \(reason)"
        case let .badParameter(name, reason): "parameter \(name): \(reason)"
        }
    }
}
