import CurioCore
import Foundation

/// Identifiers minted by importers for records whose source gives no identifier of its own:
/// a maker known only by name, a subject known only by its label.
///
/// Minted ids are `<source>:<kind>:<slug>` (`paintings:agent:peter-paul-rubens`, `nmw:subject:landscape`),
/// so the same name in the same source always yields the same id, and re-importing a file changes nothing.
public enum MintedID {
    /// Longest slug kept; longer names are cut at this many characters.
    public static let maximumSlugLength = 120

    /// A lowercase, diacritic-free slug of `text`: letters and digits of any script are kept, every other run of
    /// characters becomes one `-` (`Pierre-Auguste Renoir` → `pierre-auguste-renoir`, `Müller, Jörg` → `muller-jorg`).
    /// Empty when `text` holds no letter or digit.
    public static func slug(_ text: String) -> String {
        let folded = text.utf8.allSatisfy({ $0 < 0x80 }) ? text.lowercased()
            : text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
                .lowercased()
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingDash = false
        for ch in folded {
            if ch.isLetter || ch.isNumber {
                if pendingDash, !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(ch)
                if out.count >= maximumSlugLength { break }
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// `<source>:agent:<slug of name>`, or nil when the name has no letter or digit.
    public static func agent(source: String, name: String) -> AgentID? {
        let s = slug(name)
        return s.isEmpty ? nil : AgentID("\(source):agent:\(s)")
    }

    /// `<source>:<scheme>:<slug>` for a concept known by its label, or nil when the label has no letter or digit.
    /// A hierarchical label path (`["people", "adults"]`) gives `<source>:subject:people/adults`.
    public static func concept(source: String, scheme: Concept.Scheme, path: [String]) -> ConceptID? {
        let parts = path.map(slug)
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else { return nil }
        return ConceptID("\(source):\(scheme.rawValue):\(parts.joined(separator: "/"))")
    }
}
