/// Process exit codes, following BSD sysexits so that scripts can tell failures apart.
public enum ExitCode: Int32, Sendable {
    case success = 0
    /// The command line was wrong.
    case usage = 64
    /// Input data was malformed or records were skipped.
    case dataError = 65
    /// An input file does not exist or cannot be read.
    case noInput = 66
    /// A dependency is unavailable (e.g. the model wheel is not installed and the machine is offline).
    case unavailable = 69
    /// A bug or unexpected internal failure.
    case software = 70
    /// An output file (a report, an export, a model artefact) cannot be created.
    case cantCreate = 73
}
