import CurioCore
import CurioRecommend
import Foundation

/// Trained model artefacts kept next to a database, with a registry of versions.
///
/// Layout for `museum.db`:
/// ```
/// museum.db.models/
///   registry.json          every version, the active version of each model, the serving model
///   hybrid/v1.model        ModelArtefact files (see docs/recommenders.md, "Artefacts")
///   hybrid/v2.model
///   graph/v1.model
/// ```
/// Versions are never overwritten: training writes `v<N+1>`, then atomically replaces `registry.json`, so a
/// server that reads the registry at any moment sees either the old or the new state, never a half-written one.
public struct ModelDirectory: Sendable {
    /// The folder (`<db>.models`).
    public let url: URL

    /// The registry file name inside the folder.
    public static let registryFileName = "registry.json"
    /// The artefact file extension.
    public static let artefactExtension = "model"

    /// The folder for the database at `databasePath`.
    public init(databasePath: String) {
        url = URL(fileURLWithPath: databasePath + ".models")
    }

    /// A folder at an explicit location.
    public init(url: URL) { self.url = url }

    /// The registry file.
    public var registryURL: URL { url.appendingPathComponent(Self.registryFileName) }

    /// Where version `version` of model `name` lives.
    public func artefactURL(model name: String, version: Int) -> URL {
        url.appendingPathComponent(name).appendingPathComponent("v\(version).\(Self.artefactExtension)")
    }

    /// Reads the registry (an empty one when nothing was trained yet).
    /// - Throws: ``RecommendationSetupError/registryUnreadable(path:reason:)`` when the file exists but is not a registry.
    public func registry() throws -> ModelRegistryFile {
        guard FileManager.default.fileExists(atPath: registryURL.path) else { return ModelRegistryFile() }
        do {
            let data = try Data(contentsOf: registryURL)
            return try ModelRegistryFile.decoder.decode(ModelRegistryFile.self, from: data)
        } catch {
            throw RecommendationSetupError.registryUnreadable(path: registryURL.path, reason: "\(error)")
        }
    }

    /// The modification time of the registry (nil when absent); cheap, used to notice new versions while serving.
    public func registryModificationDate() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: registryURL.path))?[.modificationDate] as? Date
    }

    /// Saves `model` as the next version of its name, records it in the registry, makes it the active version of
    /// that model and, when `serve` is true, the serving model.
    /// - Returns: the recorded version.
    /// - Throws: ``CurioRecommend/RecommendError`` when the artefact cannot be written,
    ///   ``RecommendationSetupError/registryUnreadable(path:reason:)`` when the registry cannot be updated
    ///   (the artefact file is then removed again).
    @discardableResult
    public func save(_ model: any Recommender, record: TrainedModelVersion, serve: Bool) throws -> TrainedModelVersion {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(record.model), withIntermediateDirectories: true)
        var registry = try registry()
        var entry = record
        entry.version = (registry.versions.filter { $0.model == record.model }.map(\.version).max() ?? 0) + 1
        entry.file = "\(record.model)/v\(entry.version).\(Self.artefactExtension)"
        let file = url.appendingPathComponent(entry.file)
        try model.save(to: file)
        registry.versions.append(entry)
        registry.active[entry.model] = entry.version
        if serve || registry.serving == nil { registry.serving = entry.model }
        do {
            try write(registry)
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return entry
    }

    /// Makes `name` the serving model (its active version).
    /// - Throws: ``RecommendationSetupError/noTrainedModel(name:directory:)`` when it was never trained.
    public func setServing(_ name: String) throws {
        var registry = try registry()
        guard registry.active[name] != nil else { throw RecommendationSetupError.noTrainedModel(name: name, directory: url.path) }
        registry.serving = name
        try write(registry)
    }

    /// The active version of a model (or of the serving model when `name` is nil).
    /// - Throws: ``RecommendationSetupError/noTrainedModel(name:directory:)``.
    public func activeVersion(of name: String? = nil) throws -> TrainedModelVersion {
        let registry = try registry()
        guard let model = name ?? registry.serving, let version = registry.active[model],
              let entry = registry.versions.first(where: { $0.model == model && $0.version == version }) else {
            throw RecommendationSetupError.noTrainedModel(name: name, directory: url.path)
        }
        return entry
    }

    private func write(_ registry: ModelRegistryFile) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try ModelRegistryFile.encoder.encode(registry).write(to: registryURL, options: .atomic)
        } catch {
            throw RecommendationSetupError.registryUnreadable(path: registryURL.path, reason: "\(error)")
        }
    }
}

/// The contents of `registry.json`.
public struct ModelRegistryFile: Codable, Sendable, Equatable {
    /// The model `recommend` and the HTTP API use when a request names none.
    public var serving: String?
    /// The active version of each model, by name.
    public var active: [String: Int]
    /// Every version ever trained, oldest first.
    public var versions: [TrainedModelVersion]

    public init(serving: String? = nil, active: [String: Int] = [:], versions: [TrainedModelVersion] = []) {
        self.serving = serving
        self.active = active
        self.versions = versions
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()
}

/// One trained version of one model, as recorded in the registry.
public struct TrainedModelVersion: Codable, Sendable, Equatable {
    /// Model name (`hybrid`, `als`, `graph`…).
    public var model: String
    /// 1, 2, 3… per model.
    public var version: Int
    /// Path of the artefact relative to the models folder.
    public var file: String
    public var seed: UInt64
    public var trainedAt: Date
    public var trainingSeconds: Double
    /// Catalogue items, training visitors and (visitor, item) interactions the model saw.
    public var items: Int
    public var visitors: Int
    public var interactions: Int
    /// Hyper-parameters overridden on the command line (defaults otherwise).
    public var parameters: [String: ParameterValue]

    public init(model: String, version: Int = 0, file: String = "", seed: UInt64, trainedAt: Date, trainingSeconds: Double,
                items: Int, visitors: Int, interactions: Int, parameters: [String: ParameterValue] = [:]) {
        self.model = model
        self.version = version
        self.file = file
        self.seed = seed
        self.trainedAt = trainedAt
        self.trainingSeconds = trainingSeconds
        self.items = items
        self.visitors = visitors
        self.interactions = interactions
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case model, version, file, seed, items, visitors, interactions, parameters
        case trainedAt = "trained_at"
        case trainingSeconds = "training_seconds"
    }
}
