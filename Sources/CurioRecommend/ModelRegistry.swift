import CurioCore
import Foundation

/// A hyper-parameter value given on the command line, in a tuning space or over HTTP.
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    case text(String)
    /// Explicitly unset (for optional parameters such as a half-life).
    case none

    /// Parses command-line text: `true`/`false`, `none`, a number, or else text.
    public static func parse(_ text: String) -> ParameterValue {
        switch text.lowercased() {
        case "true", "yes": return .bool(true)
        case "false", "no": return .bool(false)
        case "none", "null": return .none
        default: return Double(text).map(ParameterValue.number) ?? .text(text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .none } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(v): try c.encode(v)
        case let .bool(v): try c.encode(v)
        case let .text(v): try c.encode(v)
        case .none: try c.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case let .number(v): v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        case let .bool(v): String(v)
        case let .text(v): v
        case .none: "none"
        }
    }
}

/// The models Curio can train, by the names `curio train --model NAME` accepts.
public enum ModelRegistry {
    /// Model names in the order they are usually listed.
    public static let names = [PopularityRecommender.modelName, ItemKNNRecommender.modelName, EASERecommender.modelName,
                               ALSRecommender.modelName, BPRRecommender.modelName, ContentRecommender.modelName,
                               HybridRecommender.modelName]

    /// Whether the model needs item content vectors.
    public static func needsContent(_ name: String) -> Bool {
        name == ContentRecommender.modelName || name == HybridRecommender.modelName
    }

    /// The default hyper-parameters of a model, as snake_case names and values.
    public static func defaultParameters(of name: String) throws(RecommendError) -> [String: ParameterValue] {
        switch name {
        case PopularityRecommender.modelName: try parameters(of: PopularityRecommender.Configuration())
        case ItemKNNRecommender.modelName: try parameters(of: ItemKNNRecommender.Configuration())
        case EASERecommender.modelName: try parameters(of: EASERecommender.Configuration())
        case ALSRecommender.modelName: try parameters(of: ALSRecommender.Configuration())
        case BPRRecommender.modelName: try parameters(of: BPRRecommender.Configuration())
        case ContentRecommender.modelName: try parameters(of: ContentRecommender.Configuration())
        case HybridRecommender.modelName: try parameters(of: HybridRecommender.Configuration())
        default: throw .unknownModel(name: name, known: names)
        }
    }

    /// Trains model `name` with its defaults overridden by `parameters` (snake_case names).
    /// - Throws: ``RecommendError/unknownModel(name:known:)``, ``RecommendError/badParameter(name:reason:)`` for an
    ///   unknown parameter or a value of the wrong type, and whatever the model's training throws.
    public static func train(_ name: String, on data: TrainingData, parameters: [String: ParameterValue] = [:],
                             seed: UInt64) throws(RecommendError) -> any Recommender {
        switch name {
        case PopularityRecommender.modelName:
            try PopularityRecommender.train(on: data, configuration: configure(PopularityRecommender.Configuration(), parameters), seed: seed)
        case ItemKNNRecommender.modelName:
            try ItemKNNRecommender.train(on: data, configuration: configure(ItemKNNRecommender.Configuration(), parameters), seed: seed)
        case EASERecommender.modelName:
            try EASERecommender.train(on: data, configuration: configure(EASERecommender.Configuration(), parameters), seed: seed)
        case ALSRecommender.modelName:
            try ALSRecommender.train(on: data, configuration: configure(ALSRecommender.Configuration(), parameters), seed: seed)
        case BPRRecommender.modelName:
            try BPRRecommender.train(on: data, configuration: configure(BPRRecommender.Configuration(), parameters), seed: seed)
        case ContentRecommender.modelName:
            try ContentRecommender.train(on: data, configuration: configure(ContentRecommender.Configuration(), parameters), seed: seed)
        case HybridRecommender.modelName:
            try HybridRecommender.train(on: data, configuration: configure(HybridRecommender.Configuration(), parameters), seed: seed)
        default:
            throw .unknownModel(name: name, known: names)
        }
    }

    /// Restores any model from its artefact.
    public static func load(_ artefact: ModelArtefact) throws(RecommendError) -> any Recommender {
        switch artefact.model {
        case PopularityRecommender.modelName: try PopularityRecommender(artefact: artefact)
        case ItemKNNRecommender.modelName: try ItemKNNRecommender(artefact: artefact)
        case EASERecommender.modelName: try EASERecommender(artefact: artefact)
        case ALSRecommender.modelName: try ALSRecommender(artefact: artefact)
        case BPRRecommender.modelName: try BPRRecommender(artefact: artefact)
        case ContentRecommender.modelName: try ContentRecommender(artefact: artefact)
        case HybridRecommender.modelName: try HybridRecommender(artefact: artefact)
        default: throw .badArtefact(path: artefact.source, reason: "unknown model '\(artefact.model)'")
        }
    }

    /// Reads and restores any model from an artefact file.
    public static func load(from url: URL) throws(RecommendError) -> any Recommender {
        try load(ModelArtefact.read(from: url))
    }

    // MARK: Parameter plumbing (through JSON, so every Codable configuration works alike)

    static func parameters<C: Encodable>(of configuration: C) throws(RecommendError) -> [String: ParameterValue] {
        do {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            return try JSONDecoder().decode([String: ParameterValue].self, from: encoder.encode(configuration))
        } catch {
            throw .invalidData("configuration cannot be encoded: \(error)")
        }
    }

    /// Applies named overrides to a configuration.
    public static func configure<C: Codable>(_ configuration: C, _ overrides: [String: ParameterValue]) throws(RecommendError) -> C {
        if overrides.isEmpty { return configuration }
        var object = try parameters(of: configuration)
        let known = Set(object.keys).union(optionalKeys(of: C.self))
        for (key, value) in overrides {
            guard known.contains(key) else {
                throw .badParameter(name: key, reason: "is not a parameter of this model; known: \(known.sorted().joined(separator: ", "))")
            }
            object[key] = value
        }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(C.self, from: JSONEncoder().encode(object))
        } catch {
            throw .badParameter(name: overrides.keys.sorted().joined(separator: ", "), reason: "has a value of the wrong type (\(error))")
        }
    }

    /// Optional parameters that encode to nothing when nil.
    private static func optionalKeys<C>(of type: C.Type) -> [String] {
        if C.self == PopularityRecommender.Configuration.self || C.self == ContentRecommender.Configuration.self {
            return ["half_life_days"]
        }
        return []
    }
}
