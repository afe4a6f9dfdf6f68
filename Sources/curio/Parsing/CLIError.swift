/// Problems with the command line itself (exit code 64) and early exits such as `--help`.
enum CLIError: Error, CustomStringConvertible {
    /// The command line is wrong; the message says how.
    case usage(String)
    /// A command group was named without one of its subcommands.
    case missingSubcommand(String)
    /// An unknown command name, with the closest known one when there is one.
    case unknownCommand(String, suggestion: String?)

    var description: String {
        switch self {
        case let .usage(message): message
        case let .missingSubcommand(group): "'\(group)' needs a subcommand"
        case let .unknownCommand(name, suggestion):
            "unknown command '\(name)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        }
    }
}

/// Finds the closest spelling to a mistyped word, for "did you mean" hints.
enum Suggestion {
    /// The candidate within edit distance 2 (or a prefix match) closest to `word`, if any.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(lowered, candidate.lowercased())
            if distance <= max(1, min(2, candidate.count / 3)), distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        if let best { return best.0 }
        if lowered.count >= 3 { return candidates.first { $0.hasPrefix(lowered) } }
        return nil
    }

    /// Levenshtein distance, O(n·m).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
