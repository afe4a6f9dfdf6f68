import CurioCore
import CurioKit
import Foundation

/// What every command receives: the console and a logger that writes to stderr.
struct CommandContext {
    let console: Console
    var logger: Logger
    /// Whether progress bars may be shown (`--quiet` turns them off).
    var showsProgress: Bool
    let environment: [String: String]

    /// A progress display for a long job, honouring `--quiet`.
    func progress(_ label: String, unit: String, total: Int? = nil) -> ProgressBar {
        ProgressBar(console: console, label: label, unit: unit, total: total, enabled: showsProgress)
    }
}

/// Parses the command line, runs the command, and turns the outcome into an exit code.
struct CommandRunner {
    let root: any ParsableCommand.Type
    let console = Console()

    /// Runs `arguments` (without the program name) and returns the process exit status.
    func run(_ arguments: [String]) -> Int32 {
        let parser = CommandLineParser(root: root)
        let outcome: ParseOutcome
        do {
            outcome = try parser.parse(arguments)
        } catch {
            reportUsage(error)
            return ExitCode.usage.rawValue
        }
        switch outcome {
        case .version:
            console.out("curio \(CurioVersion.string)\n")
            return ExitCode.success.rawValue
        case let .help(path):
            console.out(HelpFormatter(path: path, width: min(console.width, 110)).text)
            return ExitCode.success.rawValue
        case let .run(command, path):
            let environment = ProcessInfo.processInfo.environment
            var level = environment["CURIO_LOG_LEVEL"].flatMap(LogLevel.init(name:)) ?? .info
            var showsProgress = true
            if let global = globalOptions(of: command) {
                if global.verbose { level = .debug }
                if global.quiet { level = max(level, .warning); showsProgress = false }
            }
            let logger = Logger(label: "curio", handler: ConsoleLogHandler(console: console, minimumLevel: level))
            let context = CommandContext(console: console, logger: logger, showsProgress: showsProgress,
                                         environment: environment)
            do {
                return try command.run(context).rawValue
            } catch let error as CLIError {
                reportUsage(UsageFailure(error: error, path: path))
                return ExitCode.usage.rawValue
            } catch {
                let code = ExitStatus.code(for: error)
                console.err("curio: error: \(ExitStatus.message(for: error))")
                return code.rawValue
            }
        }
    }

    private func reportUsage(_ failure: UsageFailure) {
        let formatter = HelpFormatter(path: failure.path, width: min(console.width, 110))
        let name = failure.path.map { $0.configuration.name }.joined(separator: " ")
        if case .missingSubcommand = failure.error {
            console.err("curio: error: \(failure.error)\n")
            console.err(formatter.text)
            return
        }
        console.err("curio: error: \(failure.error)")
        console.err("Usage: \(formatter.usage)")
        console.err("See '\(name) --help' for more.")
    }

    private func globalOptions(of command: any ParsableCommand) -> GlobalOptions? {
        for child in Mirror(reflecting: command).children {
            if let group = child.value as? OptionGroup<GlobalOptions> { return group.wrappedValue }
        }
        return nil
    }
}
