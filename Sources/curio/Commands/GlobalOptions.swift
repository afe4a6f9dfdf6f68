import Foundation

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(valueName: "path", help: "The Curio database file.")
    var db: String = "./curio.db"

    @Flag(help: "Write machine-readable JSON (snake_case keys) to stdout; logs and progress stay on stderr.")
    var json = false

    @Flag(help: "Only warnings and errors on stderr; no progress display.")
    var quiet = false

    @Flag(help: "Debug logging on stderr.")
    var verbose = false

    /// The database path as given, with `~` expanded.
    var databasePath: String { (db as NSString).expandingTildeInPath }

    func validate() throws {
        if db.trimmingWhitespace().isEmpty { throw CLIError.usage("--db needs a file path") }
        if quiet && verbose { throw CLIError.usage("--quiet and --verbose cannot be combined") }
    }
}
