import CurioCore
import CurioKit
import Foundation

/// `curio init`: creates the database (or brings an existing one up to date).
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "init",
        abstract: "Create the collection database, or upgrade an existing one's schema.",
        discussion: "Safe to run again: an existing database keeps its contents.",
        examples: ["curio init", "curio init --db var/museum.db"])

    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let path = global.databasePath
        let existed = FileManager.default.fileExists(atPath: path)
        let curio = try Curio.create(at: path, logger: context.logger)
        let stats = try curio.stats()
        if global.json {
            try context.console.printJSON(InitResult(database: path, created: !existed, schemaVersion: stats.schemaVersion,
                                                     items: stats.items))
        } else if existed {
            context.console.out("Database \(path) is ready (schema version \(stats.schemaVersion), \(ProgressBar.grouped(stats.items)) items).\n")
        } else {
            context.console.out("Created \(path) (schema version \(stats.schemaVersion)).\n")
            context.console.out("Next: curio ingest --db \(path) --format tate PATH\n")
        }
        return .success
    }
}

struct InitResult: Encodable {
    var database: String
    var created: Bool
    var schemaVersion: Int
    var items: Int
    enum CodingKeys: String, CodingKey { case database, created, schemaVersion = "schema_version", items }
}
