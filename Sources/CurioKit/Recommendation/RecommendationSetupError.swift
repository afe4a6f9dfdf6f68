import CurioCore
import Foundation

/// Problems wiring recommendations to a collection: missing models, unknown names, unusable files.
///
/// Errors raised inside the models (``CurioRecommend/RecommendError``), the graph (``CurioGraph/GraphError``) and
/// the policies (``CurioPolicy/PolicyError``) are passed through unchanged.
public enum RecommendationSetupError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Models and policies are stored next to the database file; an in-memory store has no place for them.
    case noDatabaseFile
    /// `curio train` has not been run for this model (or for any model when `name` is nil).
    case noTrainedModel(name: String?, directory: String)
    /// The model name is not one Curio can train.
    case unknownModel(name: String, known: [String])
    /// The model registry file cannot be read or written.
    case registryUnreadable(path: String, reason: String)
    /// The item is not in the collection.
    case unknownItem(ItemID)
    /// No policy with that name (and it is not `none`).
    case unknownPolicy(name: String, known: [String])
    /// The collection has no items.
    case emptyCollection
    /// There are no visitor events (training and evaluation need some).
    case noEvents
    /// A parameter value is out of range (the message names it).
    case badParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case .noDatabaseFile:
            "models and policies live next to the database file; this collection has no file"
        case let .noTrainedModel(name?, directory):
            "no trained '\(name)' model in \(directory). Train one with `curio train --model \(name)`."
        case let .noTrainedModel(nil, directory):
            "no trained model in \(directory). Train one with `curio train --model hybrid` (after ingesting or simulating events)."
        case let .unknownModel(name, known):
            "unknown model '\(name)'. Known models: \(known.joined(separator: ", "))."
        case let .registryUnreadable(path, reason):
            "\(path): the model registry cannot be used: \(reason)"
        case let .unknownItem(id):
            "no item with id '\(id)' in the collection"
        case let .unknownPolicy(name, known):
            "no policy named '\(name)'. Known: \((known + ["none"]).joined(separator: ", "))."
        case .emptyCollection:
            "the collection has no items. Ingest a catalogue first (`curio ingest`)."
        case .noEvents:
            "there are no visitor events. Ingest events (`curio ingest --format events`) or run `curio simulate` first."
        case let .badParameter(name, reason):
            "\(name) \(reason)"
        }
    }
}
