import CurioCore
import CurioIngest
import CurioKit
import CurioStore

/// An error that knows which process exit code (sysexits) it deserves.
///
/// Modules' error enums conform here, in the CLI, so that the library stays free of process concerns.
/// A new module's errors become exit codes by adding one extension.
protocol ExitStatusConvertible: Error {
    var exitCode: ExitCode { get }
}

/// Maps any error to an exit code and a message for stderr.
enum ExitStatus {
    static func code(for error: any Error) -> ExitCode {
        if let convertible = error as? any ExitStatusConvertible { return convertible.exitCode }
        return .software
    }

    static func message(for error: any Error) -> String {
        String(describing: error)
    }
}

extension IngestError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .fileMissing, .unreadable: .noInput
        case .malformed, .syntax, .unsupportedFormat, .badMapping: .dataError
        }
    }
}

extension StoreError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .cannotOpen: .noInput
        case .notFound: .noInput
        case .invalidValue: .dataError
        case .schemaTooNew: .unavailable
        case .sqlite: .software
        }
    }
}

extension CurioError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .databaseMissing: .noInput
        case .invalidEvents, .unknownItems: .dataError
        case .unknownFormat: .usage
        }
    }
}
