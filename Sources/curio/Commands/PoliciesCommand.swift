import CurioCore
import CurioKit
import CurioPolicy
import Foundation

/// `curio policies`: list, show and set curator policies.
struct PoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "policies",
        abstract: "List, show or set curator policies (fair exposure, diversity, pins, bans, campaigns).",
        discussion: """
            Policies are JSON documents (docs/policies.md) stored with a version next to the database \
            (<db>.policies/NAME.vN.json). Requests use `default` unless they name another; until a curator \
            stores one, `default` is the built-in policy (data/policies/default.json).
            """,
        subcommands: [PoliciesListCommand.self, PoliciesShowCommand.self, PoliciesSetCommand.self])
}

struct PoliciesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(name: "list", abstract: "List the policies and their versions.",
                                                    examples: ["curio policies list", "curio policies list --json"])
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let list = try curio.recommendations().policies.list()
        if global.json {
            try context.console.printJSON(list)
            return .success
        }
        var table = TextTable([.init(title: "Name", maxWidth: 32), .init(title: "Version", alignRight: true),
                               .init(title: "What it does", flexible: true, maxWidth: 80)])
        for p in list { table.append([p.name, p.builtIn ? "built-in" : "\(p.version)", p.summary]) }
        context.console.out(table.render(width: context.console.width))
        return .success
    }
}

struct PoliciesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(name: "show", abstract: "Show a policy's document.",
                                                    examples: ["curio policies show default"])
    @Argument(valueName: "name", help: "The policy's name.")
    var name: String
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let (summary, document) = try curio.recommendations().policies.show(name)
        if global.json {
            context.console.out(String(decoding: document, as: UTF8.self).trimmingWhitespace() + "\n")
            return .success
        }
        context.console.out("\(summary.name) (\(summary.builtIn ? "built-in" : "version \(summary.version)")): \(summary.summary)\n")
        context.console.out(String(decoding: document, as: UTF8.self).trimmingWhitespace() + "\n")
        return .success
    }
}

struct PoliciesSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "set",
        abstract: "Validate a policy file and make it the active version of NAME.",
        discussion: """
            The document is checked completely first (every problem names its JSON path); an invalid document \
            changes nothing and exits with 65. A running server loads stored policies when it starts; to change \
            the policy of a running server use PUT /v1/policies/NAME.
            """,
        examples: ["curio policies set default data/policies/default.json", "curio policies set web-feed feed.json --json"])
    @Argument(valueName: "name", help: "The policy's name (letters, digits, - and _).")
    var name: String
    @Argument(valueName: "file", help: "The policy document (JSON).")
    var file: String
    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let curio = try Curio.open(at: global.databasePath, logger: context.logger)
        let path = (file as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: path) else {
            context.console.err("curio: error: cannot read policy file \(file)")
            return .noInput
        }
        let summary = try curio.recommendations().policies.set(name, document: data, source: file)
        if global.json {
            try context.console.printJSON(summary)
            return .success
        }
        context.console.out("Policy \(summary.name) is now version \(summary.version): \(summary.summary)\n")
        return .success
    }
}
