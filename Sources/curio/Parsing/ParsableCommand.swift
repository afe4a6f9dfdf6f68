import CurioCore

/// A type whose properties are declared with `@Option`, `@Flag`, `@Argument` and `@OptionGroup`.
protocol ParsableArguments: SendableMetatype {
    /// Makes a value with every declaration at its default; the parser then fills in what the user wrote.
    init()
    /// Checks combinations the declarations cannot express (`--from` after `--to`); throw ``CLIError/usage(_:)``.
    func validate() throws
}

extension ParsableArguments {
    func validate() throws {}
}

/// Static facts about a command: its name, what it does, examples and subcommands.
struct CommandConfiguration: Sendable {
    /// The word typed on the command line (`ingest`).
    var name: String
    /// One line shown in the parent's command list and at the top of help.
    var abstract: String
    /// Paragraphs shown after the abstract in `--help`.
    var discussion: String
    /// Example invocations shown at the end of `--help`.
    var examples: [String]
    /// Child commands of a group (`items show`, `items list`).
    var subcommands: [any ParsableCommand.Type]
    /// The child that runs when the group is followed by options or nothing (`curio next --visitor v1` runs
    /// `curio next show --visitor v1`); nil makes a missing subcommand a usage error.
    var defaultSubcommand: (any ParsableCommand.Type)?

    init(name: String, abstract: String, discussion: String = "", examples: [String] = [],
         subcommands: [any ParsableCommand.Type] = [], defaultSubcommand: (any ParsableCommand.Type)? = nil) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.examples = examples
        self.subcommands = subcommands
        self.defaultSubcommand = defaultSubcommand
    }
}

/// A command: declarations, optional validation and the work itself.
///
/// ```swift
/// struct StatsCommand: ParsableCommand {
///     static let configuration = CommandConfiguration(name: "stats", abstract: "Show counts of stored records.")
///     @OptionGroup var global: GlobalOptions
///     func run(_ context: CommandContext) throws { … }
/// }
/// ```
protocol ParsableCommand: ParsableArguments {
    static var configuration: CommandConfiguration { get }
    /// Does the work. Throwing maps the error to an exit code; returning means success (exit 0)
    /// unless the command returns another code.
    func run(_ context: CommandContext) throws -> ExitCode
}

extension ParsableCommand {
    /// A group without its own work: asking for it alone is a usage error that shows its subcommands.
    func run(_ context: CommandContext) throws -> ExitCode {
        throw CLIError.missingSubcommand(Self.configuration.name)
    }
}
