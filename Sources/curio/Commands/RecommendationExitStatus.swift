import CurioCore
import CurioGraph
import CurioKit
import CurioPolicy
import CurioRecommend

extension RecommendationSetupError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .noDatabaseFile, .noTrainedModel, .unknownItem, .emptyCollection, .noEvents: .noInput
        case .unknownModel, .unknownPolicy, .badParameter: .usage
        case .registryUnreadable: .dataError
        }
    }
}

extension RecommendError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .noInteractions, .unknownItem: .noInput
        case .unknownModel, .badParameter: .usage
        case .badArtefact, .duplicateItem, .invalidData: .dataError
        case .numerical: .software
        case .io: .cantCreate
        }
    }
}

extension PolicyError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .malformed, .invalid, .contradictory: .dataError
        case .unknownPolicy: .noInput
        }
    }
}

extension GraphError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .unknownNode, .noPath: .noInput
        case .malformedTriple, .unsupportedTriple: .dataError
        case .badParameter: .usage
        case .cannotWrite: .cantCreate
        case .cannotRead: .noInput
        }
    }
}

/// `--param name=value` options of `train`, `evaluate` and `tune`, parsed into model parameters.
enum ModelParameters {
    static func parse(_ pairs: [String], option: String = "--param") throws -> [String: ParameterValue] {
        var out: [String: ParameterValue] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw CLIError.usage("\(option) expects name=value, got '\(pair)'")
            }
            let name = String(pair[..<eq]).trimmingWhitespace()
            out[name] = ParameterValue.parse(String(pair[pair.index(after: eq)...]).trimmingWhitespace())
        }
        return out
    }

    static func checkModel(_ name: String) throws {
        guard Curio.trainableModels.contains(name) else {
            throw CLIError.usage("unknown model '\(name)'; known: \(Curio.trainableModels.joined(separator: ", "))")
        }
    }
}
