import CurioJSON
import Foundation
import Synchronization

/// The active policies by name, with version history persisted as JSON files in a folder.
///
/// Activation is all-or-nothing: a document that fails to parse or validate throws and the active version
/// stays in force. New versions apply to the next request immediately.
public final class PolicyRegistry: Sendable {
    private struct State {
        var active: [String: Policy] = [:]
    }
    private let state = Mutex(State())
    /// Folder holding `<name>.v<version>.json` files, or nil for in-memory only.
    public let directory: URL?

    /// Opens a registry, loading the newest valid version of each policy found in `directory`.
    /// - Throws: file-system errors creating the folder; invalid stored files are skipped with a message to `warn`.
    public init(directory: URL?, warn: (String) -> Void = { _ in }) throws {
        self.directory = directory
        guard let directory else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var newest: [String: Policy] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            let url = directory.appendingPathComponent(file)
            do {
                let policy = try Policy.parse(try Data(contentsOf: url), source: url.path)
                if policy.version >= (newest[policy.name]?.version ?? -1) { newest[policy.name] = policy }
            } catch {
                warn("skipping stored policy \(url.path): \(error)")
            }
        }
        state.withLock { $0.active = newest }
    }

    /// The active version of a policy.
    public func policy(named name: String) -> Policy? { state.withLock { $0.active[name] } }

    /// All active policies, by name.
    public var all: [Policy] { state.withLock { $0.active.values.sorted { $0.name < $1.name } } }

    /// Validates `data` and makes it the active version of `name`, returning the activated policy.
    /// - Throws: ``PolicyError`` (nothing changes) or a file error writing the version file (nothing changes).
    @discardableResult
    public func activate(_ data: Data, name: String, source: String) throws -> Policy {
        var policy = try Policy.parse(data, source: source, nameOverride: name)
        return try state.withLock { s in
            policy.version = (s.active[name]?.version ?? 0) + 1
            if let directory {
                let url = directory.appendingPathComponent("\(name).v\(policy.version).json")
                // The document as the curator wrote it, with the name and version it was activated under.
                var object = (try? JSONParser.parse(data))?.object ?? [:]
                object["name"] = .string(name)
                object["version"] = .number(Double(policy.version))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let bytes = try encoder.encode(JSONValue.object(object))
                try bytes.write(to: url, options: .atomic)
            }
            s.active[name] = policy
            return policy
        }
    }

    /// Activates a policy built in code (after validating it).
    public func activate(_ policy: Policy) throws {
        try policy.validate()
        state.withLock { s in
            var p = policy
            p.version = (s.active[policy.name]?.version ?? 0) + 1
            s.active[policy.name] = p
        }
    }
}
