import CurioCore

/// Errors raised while training, evaluating or serving recommendation models.
public enum RecommendError: Error, CustomStringConvertible, Sendable {
    case noInteractions
    case unknownModel(name: String, known: [String])
    case badArtefact(path: String, reason: String)
    case badParameter(name: String, reason: String)
    /// The catalogue lists the same item twice.
    case duplicateItem(ItemID)
    /// An item id or index is not part of the model's catalogue.
    case unknownItem(String)
    /// Input data is inconsistent (the message says where).
    case invalidData(String)
    /// A numerical routine failed (the message names it and suggests a fix).
    case numerical(String)
    /// Writing or reading a file failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .noInteractions: "There are no visitor events to train on. Ingest events or run `curio simulate` first."
        case let .unknownModel(name, known): "Unknown model '\(name)'. Known models: \(known.joined(separator: ", "))"
        case let .badArtefact(path, reason): "\(path): model artefact cannot be loaded: \(reason)"
        case let .badParameter(name, reason): "parameter \(name): \(reason)"
        case let .duplicateItem(id): "item \(id) appears twice in the catalogue"
        case let .unknownItem(id): "item \(id) is not in the model's catalogue"
        case let .invalidData(message): "invalid interaction data: \(message)"
        case let .numerical(message): "numerical failure: \(message)"
        case let .io(path, reason): "\(path): \(reason)"
        }
    }
}
