/// How a declared argument appears on the command line.
struct ArgumentDeclaration {
    enum Kind { case option, flag, positional }

    /// The Swift property name (`allowSkips`), used to report clashes.
    var property: String
    var kind: Kind
    /// `allow-skips` for `--allow-skips`; for positionals, the value name shown in usage.
    var longName: String
    var shortName: Character?
    var help: String
    /// Placeholder in usage and help (`path` in `--db <path>`).
    var valueName: String
    var isRequired: Bool
    var isRepeating: Bool
    /// Shown as `(default: …)` in help.
    var defaultDescription: String?
    var choices: [String]

    /// How the declaration is written in messages: `--format`, `<path>`.
    var displayName: String {
        switch kind {
        case .option, .flag: "--\(longName)"
        case .positional: "<\(valueName)>"
        }
    }
}

/// A parsed slot inside a command: the link between a property wrapper and the parser.
protocol ArgumentSlot {
    /// The declarations this slot contributes (one, or several for an option group).
    func declarations(property: String) -> [ArgumentDeclaration]
    /// Stores what the user wrote for this slot; `strings` is empty when the user gave nothing.
    func assign(_ strings: [String], declaration: ArgumentDeclaration) throws
    /// Nested slots (option groups), with their property names.
    func nestedSlots() -> [(property: String, slot: any ArgumentSlot)]
}

extension ArgumentSlot {
    func nestedSlots() -> [(property: String, slot: any ArgumentSlot)] { [] }
}

/// Holds the parsed value of one declaration. A reference type, so that the parser can fill the
/// wrappers of a freshly made command value that it reaches through reflection.
final class ArgumentBox<Value> {
    var value: Value?
    init(_ value: Value?) { self.value = value }
}

/// Converts a Swift property name to its command-line spelling: `allowSkips` → `allow-skips`.
func commandLineName(forProperty name: String) -> String {
    var result = ""
    for ch in name {
        if ch.isUppercase {
            if !result.isEmpty { result.append("-") }
            result.append(contentsOf: ch.lowercased())
        } else {
            result.append(ch)
        }
    }
    return result
}

/// An option that takes a value: `--page 2`, `--format=tate`.
///
/// ```swift
/// @Option(help: "Page to show, starting at 1.") var page: Int = 1
/// @Option(help: "Only items by this maker.") var maker: String?
/// ```
@propertyWrapper
struct Option<Value: ArgumentValue>: ArgumentSlot {
    private let box: ArgumentBox<Value>
    private let name: String?
    private let short: Character?
    private let help: String
    private let valueName: String?
    private let defaultDescription: String?

    /// An option with a default value, used when the user does not give it.
    init(wrappedValue: Value, name: String? = nil, short: Character? = nil, valueName: String? = nil, help: String) {
        box = ArgumentBox(wrappedValue)
        self.name = name
        self.short = short
        self.help = help
        self.valueName = valueName
        defaultDescription = Value.isRepeating ? nil : "\(wrappedValue)"
    }

    /// An option without a default: required unless `Value` is optional or a list.
    init(name: String? = nil, short: Character? = nil, valueName: String? = nil, help: String) {
        box = ArgumentBox(Value.valueWhenAbsent)
        self.name = name
        self.short = short
        self.help = help
        self.valueName = valueName
        defaultDescription = nil
    }

    var wrappedValue: Value {
        get {
            guard let value = box.value else { preconditionFailure("option read before the command line was parsed") }
            return value
        }
        nonmutating set { box.value = newValue }
    }

    func declarations(property: String) -> [ArgumentDeclaration] {
        let long = name ?? commandLineName(forProperty: property)
        return [ArgumentDeclaration(property: property, kind: .option, longName: long, shortName: short, help: help,
                                    valueName: valueName ?? long, isRequired: box.value == nil,
                                    isRepeating: Value.isRepeating, defaultDescription: defaultDescription,
                                    choices: Value.choices)]
    }

    func assign(_ strings: [String], declaration: ArgumentDeclaration) throws {
        if strings.isEmpty {
            if box.value == nil { throw CLIError.usage("missing required option \(declaration.displayName) <\(declaration.valueName)>") }
            return
        }
        box.value = try Value.make(from: strings, name: declaration.displayName)
    }
}

/// A switch without a value: `--json`, `--allow-skips`.
@propertyWrapper
struct Flag: ArgumentSlot {
    private let box: ArgumentBox<Bool>
    private let name: String?
    private let short: Character?
    private let help: String

    init(wrappedValue: Bool = false, name: String? = nil, short: Character? = nil, help: String) {
        box = ArgumentBox(wrappedValue)
        self.name = name
        self.short = short
        self.help = help
    }

    var wrappedValue: Bool {
        get { box.value ?? false }
        nonmutating set { box.value = newValue }
    }

    func declarations(property: String) -> [ArgumentDeclaration] {
        let long = name ?? commandLineName(forProperty: property)
        return [ArgumentDeclaration(property: property, kind: .flag, longName: long, shortName: short, help: help,
                                    valueName: long, isRequired: false, isRepeating: false, defaultDescription: nil,
                                    choices: [])]
    }

    func assign(_ strings: [String], declaration: ArgumentDeclaration) throws {
        if !strings.isEmpty { box.value = true }
    }
}

/// A positional argument: `curio items show N05742`, `curio ingest PATH...`.
@propertyWrapper
struct Argument<Value: ArgumentValue>: ArgumentSlot {
    private let box: ArgumentBox<Value>
    private let help: String
    private let valueName: String?

    init(wrappedValue: Value, valueName: String? = nil, help: String) {
        box = ArgumentBox(wrappedValue)
        self.help = help
        self.valueName = valueName
    }

    init(valueName: String? = nil, help: String) {
        box = ArgumentBox(Value.isRepeating ? nil : Value.valueWhenAbsent)
        self.help = help
        self.valueName = valueName
    }

    var wrappedValue: Value {
        get {
            guard let value = box.value else { preconditionFailure("argument read before the command line was parsed") }
            return value
        }
        nonmutating set { box.value = newValue }
    }

    func declarations(property: String) -> [ArgumentDeclaration] {
        [ArgumentDeclaration(property: property, kind: .positional, longName: property, shortName: nil, help: help,
                             valueName: valueName ?? commandLineName(forProperty: property),
                             isRequired: box.value == nil, isRepeating: Value.isRepeating, defaultDescription: nil,
                             choices: Value.choices)]
    }

    func assign(_ strings: [String], declaration: ArgumentDeclaration) throws {
        if strings.isEmpty {
            if box.value == nil {
                throw CLIError.usage("missing \(declaration.displayName)\(declaration.isRepeating ? " (at least one)" : "")")
            }
            return
        }
        box.value = try Value.make(from: strings, name: declaration.displayName)
    }
}

/// Options shared by several commands, declared once in a ``ParsableArguments`` type.
///
/// ```swift
/// @OptionGroup var global: GlobalOptions
/// ```
@propertyWrapper
struct OptionGroup<Value: ParsableArguments>: ArgumentSlot {
    var wrappedValue: Value

    init() { wrappedValue = Value() }

    func declarations(property: String) -> [ArgumentDeclaration] {
        nestedSlots().flatMap { $0.slot.declarations(property: $0.property) }
    }

    func assign(_ strings: [String], declaration: ArgumentDeclaration) throws {}

    func nestedSlots() -> [(property: String, slot: any ArgumentSlot)] { argumentSlots(of: wrappedValue) }
}

/// The argument slots of a parsed type, found by reflection, with their property names (`_page` → `page`).
func argumentSlots(of value: Any) -> [(property: String, slot: any ArgumentSlot)] {
    Mirror(reflecting: value).children.compactMap { child in
        guard let slot = child.value as? any ArgumentSlot, let label = child.label else { return nil }
        let property = label.hasPrefix("_") ? String(label.dropFirst()) : label
        return (property, slot)
    }
}
