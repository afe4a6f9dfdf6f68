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
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let folded = ascii ? text
            : text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
                .lowercased()
        var out = String.UnicodeScalarView()
        var count = 0
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            var kept: Unicode.Scalar?
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39: kept = scalar
            case 0x41...0x5A: kept = Unicode.Scalar(scalar.value + 0x20)
            case 0..<0x80: kept = nil
            default:
                let p = scalar.properties
                // Combining marks left by folding belong to the letter before them.
                if p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                    if count > 0, !pendingDash { out.append(scalar) }
                    continue
                }
                kept = p.isAlphabetic || p.numericType != nil ? scalar : nil
            }
            guard let kept else {
                pendingDash = true
                continue
            }
            if pendingDash, count > 0 {
                out.append("-")
                count += 1
            }
            pendingDash = false
            out.append(kept)
            count += 1
            if count >= maximumSlugLength { break }
        }
        return String(out)
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
