import CurioCore
import CurioDialogue
import CurioKit
import CurioVisits

extension VisitError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .badVenue, .invalidVenue, .badModel, .infeasible: .dataError
        case .unknownRoom, .unknownItem, .badParameter: .usage
        }
    }
}

extension CurioServiceError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .noVenue, .unknownTour, .unknownVisitor: .noInput
        case .unplacedItems: .dataError
        case .badInput: .usage
        case .unsupportedStore, .imageSearchUnavailable: .unavailable
        }
    }
}

extension DialogueError: ExitStatusConvertible {
    var exitCode: ExitCode {
        switch self {
        case .badConversationID: .usage
        case .unknownConversation: .noInput
        case .llmUnavailable, .llmUngrounded: .unavailable
        }
    }
}
