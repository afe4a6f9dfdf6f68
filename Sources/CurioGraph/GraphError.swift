/// Errors raised while building, querying, exporting or importing the knowledge graph.
public enum GraphError: Error, CustomStringConvertible, Sendable {
    case unknownNode(id: String)
    case noPath(from: String, to: String, maxHops: Int)
    case malformedTriple(file: String, line: Int, reason: String)
    case badParameter(name: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case unsupportedTriple(file: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case let .unknownNode(id): "No node '\(id)' in the knowledge graph"
        case let .noPath(from, to, maxHops): "No path from \(from) to \(to) within \(maxHops) hops"
        case let .malformedTriple(file, line, reason): "\(file):\(line): malformed triple: \(reason)"
        case let .badParameter(name, reason): "parameter \(name): \(reason)"
        case let .cannotWrite(path, reason): "\(path): cannot write: \(reason)"
        case let .cannotRead(path, reason): "\(path): cannot read: \(reason)"
        case let .unsupportedTriple(file, line, reason): "\(file):\(line): triple cannot be read into a Curio graph: \(reason)"
        }
    }
}
