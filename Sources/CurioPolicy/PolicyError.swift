/// Problems with a curator policy, each naming the JSON path of the offending field.
///
/// A policy that fails validation is never activated; the previously active version stays in force.
public enum PolicyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The policy file is not valid JSON or not the expected shape.
    case malformed(source: String, reason: String)
    /// A field has an invalid value.
    case invalid(path: String, reason: String)
    /// Two rules cannot both hold (e.g. an item pinned and banned).
    case contradictory(paths: [String], reason: String)
    /// No policy with that name exists.
    case unknownPolicy(name: String)

    public var description: String {
        switch self {
        case let .malformed(source, reason): "\(source): not a valid policy: \(reason)"
        case let .invalid(path, reason): "policy field \(path): \(reason)"
        case let .contradictory(paths, reason): "policy rules \(paths.joined(separator: " and ")) contradict each other: \(reason)"
        case let .unknownPolicy(name): "no policy named '\(name)'"
        }
    }
}
