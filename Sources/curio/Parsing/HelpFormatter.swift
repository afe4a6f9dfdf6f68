/// Builds `--help` text and usage lines from command declarations, so help never drifts from the parser.
struct HelpFormatter {
    /// The chain of commands from the root to the one described.
    let path: [any ParsableCommand.Type]
    /// Total line width to wrap at.
    var width = 100

    private var command: any ParsableCommand.Type { path[path.count - 1] }
    private var commandName: String { path.map { $0.configuration.name }.joined(separator: " ") }
    private var declarations: [ArgumentDeclaration] {
        CommandLineParser.flattenedSlots(of: command.init()).map(\.declaration)
    }

    /// `curio ingest --format <format> [--mapping <file>] <path> ...`
    var usage: String {
        if !command.configuration.subcommands.isEmpty {
            return "\(commandName) <subcommand>"
        }
        var parts: [String] = []
        let options = declarations.filter { $0.kind != .positional }
        // Required options first, then the positionals, then everything optional.
        for declaration in options where declaration.isRequired { parts.append(Self.synopsis(declaration)) }
        for declaration in declarations where declaration.kind == .positional { parts.append(Self.synopsis(declaration)) }
        for declaration in options where !declaration.isRequired { parts.append(Self.synopsis(declaration)) }
        return wrap(words: [commandName] + parts, indent: 7 + commandName.count + 1, firstUsed: 7)
    }

    /// The whole help page.
    var text: String {
        let configuration = command.configuration
        var out = "OVERVIEW: \(configuration.abstract)\n"
        if !configuration.discussion.isEmpty {
            out += "\n" + configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .map { wrap(String($0), indent: 0, firstUsed: 0) }.joined(separator: "\n") + "\n"
        }
        out += "\nUSAGE: \(usage)\n"
        let positional = declarations.filter { $0.kind == .positional }
        if !positional.isEmpty, configuration.subcommands.isEmpty {
            out += "\nARGUMENTS:\n"
            for declaration in positional {
                out += row(Self.synopsis(declaration, bare: true), describe(declaration))
            }
        }
        var optionRows = configuration.subcommands.isEmpty ? declarations.filter { $0.kind != .positional } : []
        optionRows.sort { ($0.isRequired ? 0 : 1, 0) < ($1.isRequired ? 0 : 1, 0) }
        out += "\nOPTIONS:\n"
        for declaration in optionRows {
            var left = declaration.shortName.map { "-\($0), " } ?? ""
            left += "--\(declaration.longName)"
            if declaration.kind == .option { left += " <\(declaration.valueName)>" }
            out += row(left, describe(declaration))
        }
        if path.count == 1 { out += row("--version", "Show the version.") }
        out += row("-h, --help", "Show help information.")
        if !configuration.subcommands.isEmpty {
            out += "\nSUBCOMMANDS:\n"
            for sub in configuration.subcommands {
                out += row(sub.configuration.name, sub.configuration.abstract)
            }
            out += "\n  See '\(path.count == 1 ? "curio help <subcommand>" : "curio help \(path.dropFirst().map { $0.configuration.name }.joined(separator: " ")) <subcommand>")' for detailed help.\n"
        }
        if !configuration.examples.isEmpty {
            out += "\nEXAMPLES:\n"
            for example in configuration.examples { out += "  \(example)\n" }
        }
        return out
    }

    private func describe(_ declaration: ArgumentDeclaration) -> String {
        var text = declaration.help
        if !declaration.choices.isEmpty { text += " (values: \(declaration.choices.joined(separator: ", ")))" }
        if let value = declaration.defaultDescription { text += " (default: \(value))" }
        if declaration.isRequired, declaration.kind == .option { text += " (required)" }
        if declaration.isRepeating, declaration.kind == .option { text += " (repeatable)" }
        return text
    }

    static func synopsis(_ declaration: ArgumentDeclaration, bare: Bool = false) -> String {
        let core: String
        switch declaration.kind {
        case .flag: core = "--\(declaration.longName)"
        case .option: core = "--\(declaration.longName) <\(declaration.valueName)>"
        case .positional: core = "<\(declaration.valueName)>" + (declaration.isRepeating ? " ..." : "")
        }
        if bare || declaration.isRequired { return core }
        return "[\(core)]"
    }

    private func row(_ left: String, _ right: String) -> String {
        let column = 28
        let lead = "  " + left
        if lead.count >= column - 1 {
            return lead + "\n" + String(repeating: " ", count: column) + wrap(right, indent: column, firstUsed: column) + "\n"
        }
        let padded = lead + String(repeating: " ", count: column - lead.count)
        return padded + wrap(right, indent: column, firstUsed: column) + "\n"
    }

    /// Greedy word wrap: the first line has `width - firstUsed` columns; the others start after `indent` spaces.
    private func wrap(_ text: String, indent: Int, firstUsed: Int) -> String {
        wrap(words: text.split(separator: " ").map(String.init), indent: indent, firstUsed: firstUsed)
    }

    /// Word wrap over units that must stay whole (`[--db <path>]`).
    private func wrap(words: [String], indent: Int, firstUsed: Int) -> String {
        var lines: [String] = []
        var line = ""
        var available = width - firstUsed
        for word in words {
            if !line.isEmpty, line.count + 1 + word.count > available {
                lines.append(line)
                line = word
                available = width - indent
            } else {
                line += line.isEmpty ? word : " " + word
            }
        }
        lines.append(line)
        let pad = String(repeating: " ", count: indent)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : pad + $0.element }.joined(separator: "\n")
    }
}

