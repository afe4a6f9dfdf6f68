/// What the command line asked for.
enum ParseOutcome {
    /// Run this fully parsed and validated command; `path` is the chain of command types from the root.
    case run(any ParsableCommand, path: [any ParsableCommand.Type])
    /// Show help for the command at `path`.
    case help(path: [any ParsableCommand.Type])
    /// Show the version.
    case version
}

/// A usage error together with the command it concerns, so the message can point at the right help.
struct UsageFailure: Error {
    var error: CLIError
    var path: [any ParsableCommand.Type]
}

/// Turns `argv` into a command value, following the declarations of each command.
///
/// Grammar: `curio <command> [<subcommand>…] [options and arguments in any order] [-- <arguments>…]`.
/// Options are `--name value`, `--name=value` or a declared short form `-k value`; flags take no value;
/// `--help`/`-h` anywhere asks for help; everything after `--` is positional.
struct CommandLineParser {
    let root: any ParsableCommand.Type

    func parse(_ arguments: [String]) throws(UsageFailure) -> ParseOutcome {
        var path: [any ParsableCommand.Type] = [root]
        var index = 0
        // Resolve the command path: leading words that name subcommands.
        if arguments.first == "help" {
            var helpPath: [any ParsableCommand.Type] = [root]
            for word in arguments.dropFirst() {
                guard let next = subcommand(named: word, of: helpPath[helpPath.count - 1]) else {
                    let names = helpPath[helpPath.count - 1].configuration.subcommands.map { $0.configuration.name }
                    throw UsageFailure(error: .unknownCommand(word, suggestion: Suggestion.closest(to: word, among: names)),
                                       path: helpPath)
                }
                helpPath.append(next)
            }
            return .help(path: helpPath)
        }
        while index < arguments.count {
            let word = arguments[index]
            let current = path[path.count - 1]
            let children = current.configuration.subcommands
            if children.isEmpty { break }
            if word.hasPrefix("-") {
                if word == "--help" || word == "-h" { return .help(path: path) }
                if word == "--version", path.count == 1 { return .version }
                if let fallback = current.configuration.defaultSubcommand {
                    path.append(fallback)
                    break
                }
                throw UsageFailure(error: .missingSubcommand(current.configuration.name), path: path)
            }
            guard let next = subcommand(named: word, of: current) else {
                let names = children.map { $0.configuration.name }
                throw UsageFailure(error: .unknownCommand(word, suggestion: Suggestion.closest(to: word, among: names)),
                                   path: path)
            }
            path.append(next)
            index += 1
        }
        if index == arguments.count, let fallback = path[path.count - 1].configuration.defaultSubcommand {
            path.append(fallback)
        }
        let leaf = path[path.count - 1]
        let rest = Array(arguments[index...])
        if rest.prefix(while: { $0 != "--" }).contains(where: { $0 == "--help" || $0 == "-h" }) {
            return .help(path: path)
        }
        if !leaf.configuration.subcommands.isEmpty {
            throw UsageFailure(error: .missingSubcommand(leaf.configuration.name), path: path)
        }
        do {
            let command = try parseLeaf(leaf, rest)
            return .run(command, path: path)
        } catch let error as CLIError {
            throw UsageFailure(error: error, path: path)
        } catch {
            throw UsageFailure(error: .usage("\(error)"), path: path)
        }
    }

    private func subcommand(named name: String, of type: any ParsableCommand.Type) -> (any ParsableCommand.Type)? {
        type.configuration.subcommands.first { $0.configuration.name == name }
    }

    private func parseLeaf(_ type: any ParsableCommand.Type, _ tokens: [String]) throws -> any ParsableCommand {
        let command = type.init()
        let slots = Self.flattenedSlots(of: command)
        let declarations = slots.map(\.declaration)
        var byLong: [String: Int] = [:]
        var byShort: [Character: Int] = [:]
        for (i, declaration) in declarations.enumerated() where declaration.kind != .positional {
            byLong[declaration.longName] = i
            if let short = declaration.shortName { byShort[short] = i }
        }
        var given: [Int: [String]] = [:]
        var positionals: [String] = []
        var i = 0
        var onlyPositionals = false
        while i < tokens.count {
            let token = tokens[i]
            i += 1
            if onlyPositionals || token == "-" || !token.hasPrefix("-") || Self.looksNumeric(token) {
                positionals.append(token)
                continue
            }
            if token == "--" { onlyPositionals = true; continue }
            var name: String
            var inlineValue: String?
            let target: Int
            if token.hasPrefix("--") {
                name = String(token.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                guard let found = byLong[name] else {
                    let known = declarations.filter { $0.kind != .positional }.map(\.longName) + ["help"]
                    var message = "unknown option '--\(name)'"
                    if let near = Suggestion.closest(to: name, among: known) { message += " (did you mean '--\(near)'?)" }
                    throw CLIError.usage(message)
                }
                target = found
            } else {
                guard token.count == 2, let short = token.dropFirst().first, let found = byShort[short] else {
                    throw CLIError.usage("unknown option '\(token)'")
                }
                name = String(short)
                target = found
            }
            let declaration = declarations[target]
            switch declaration.kind {
            case .flag:
                if inlineValue != nil { throw CLIError.usage("\(declaration.displayName) is a switch and takes no value") }
                given[target, default: []].append("true")
            case .option:
                if let inlineValue {
                    given[target, default: []].append(inlineValue)
                } else {
                    guard i < tokens.count, !(tokens[i].hasPrefix("--") && tokens[i] != "--") || Self.looksNumeric(tokens[i]) else {
                        throw CLIError.usage("\(declaration.displayName) needs a value <\(declaration.valueName)>")
                    }
                    given[target, default: []].append(tokens[i])
                    i += 1
                }
            case .positional:
                break
            }
        }
        // Hand positionals to the positional declarations in order; a repeating one takes the rest.
        var remaining = positionals[...]
        for (index, declaration) in declarations.enumerated() where declaration.kind == .positional {
            if declaration.isRepeating {
                given[index] = Array(remaining)
                remaining = []
            } else if let first = remaining.first {
                given[index] = [first]
                remaining = remaining.dropFirst()
            }
        }
        if let extra = remaining.first {
            throw CLIError.usage("unexpected argument '\(extra)'")
        }
        for (index, entry) in slots.enumerated() {
            try entry.slot.assign(given[index] ?? [], declaration: entry.declaration)
        }
        try command.validate()
        for group in Self.groups(of: command) { try group.validate() }
        return command
    }

    /// Every declaration of a command with the slot that stores it, option groups expanded.
    static func flattenedSlots(of value: Any) -> [(declaration: ArgumentDeclaration, slot: any ArgumentSlot)] {
        var result: [(ArgumentDeclaration, any ArgumentSlot)] = []
        func visit(_ slots: [(property: String, slot: any ArgumentSlot)]) {
            for (property, slot) in slots {
                let nested = slot.nestedSlots()
                if nested.isEmpty {
                    for declaration in slot.declarations(property: property) { result.append((declaration, slot)) }
                } else {
                    visit(nested)
                }
            }
        }
        visit(argumentSlots(of: value))
        return result
    }

    /// The option-group values inside a command, so their own `validate()` runs too.
    static func groups(of value: Any) -> [any ParsableArguments] {
        Mirror(reflecting: value).children.compactMap { ($0.value as? any OptionGroupSlot)?.groupValue }
    }

    static func looksNumeric(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count > 1 else { return false }
        return Double(token) != nil
    }
}

/// Lets the parser reach an option group's value without knowing its type.
protocol OptionGroupSlot {
    var groupValue: any ParsableArguments { get }
}

extension OptionGroup: OptionGroupSlot {
    var groupValue: any ParsableArguments { wrappedValue }
}
