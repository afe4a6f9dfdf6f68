import Foundation

/// Turns a catalogue's free-text medium into material terms for the knowledge graph.
///
/// Rules, applied in order:
/// 1. Lower-case; split into statements at `.` followed by a space, at `;` and at line breaks
///    (`Watercolour on paper. Verso: graphite on paper` gives two statements).
/// 2. Drop a leading label ending in `:` (`verso:`, `recto:`, `frame:`, `support:`).
/// 3. Split a statement at its first ` on `: the left part lists media, the right part the support.
///    A statement without ` on ` lists media only (`Bronze`).
/// 4. Split each part at `,`, ` and `, ` with `, `&`, `/` and ` or `; trim spaces, brackets and punctuation;
///    drop leading articles (`a`, `an`, `the`) and tokens that are empty, longer than 40 characters, or
///    contain no letter.
/// 5. Map spelling variants with ``synonyms`` (`gelatine silver print` → `gelatin silver print`,
///    `oil` → `oil paint`, `water colour` → `watercolour`, `pencil` → `graphite`).
///
/// `Oil paint on canvas` → media `oil paint`, support `canvas`;
/// `Photograph, gelatin silver print on paper` → media `photograph`, `gelatin silver print`, support `paper`.
public enum MediumNormalizer {
    /// Spelling variants mapped to one term.
    public static let synonyms: [String: String] = [
        "oil": "oil paint",
        "oils": "oil paint",
        "oil paints": "oil paint",
        "gelatine silver print": "gelatin silver print",
        "water colour": "watercolour",
        "watercolor": "watercolour",
        "pencil": "graphite",
        "acrylic": "acrylic paint",
        "acrylics": "acrylic paint",
        "gouache paint": "gouache",
    ]

    /// Media and support terms of a medium text, each list unique and in order of appearance.
    public static func terms(_ medium: String) -> (media: [String], supports: [String]) {
        var media: [String] = []
        var supports: [String] = []
        var seenMedia = Set<String>(), seenSupports = Set<String>()
        let lowered = medium.lowercased()
        for statement in statements(lowered) {
            var s = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            if let colon = s.firstIndex(of: ":"), s[..<colon].count <= 20, !s[..<colon].contains(" on ") {
                s = String(s[s.index(after: colon)...])
            }
            let parts: (String, String?)
            if let range = s.range(of: " on ") {
                parts = (String(s[..<range.lowerBound]), String(s[range.upperBound...]))
            } else if s.hasPrefix("on ") {
                parts = ("", String(s.dropFirst(3)))
            } else {
                parts = (s, nil)
            }
            for t in tokens(parts.0) where seenMedia.insert(t).inserted { media.append(t) }
            if let support = parts.1 {
                for t in tokens(support) where seenSupports.insert(t).inserted { supports.append(t) }
            }
        }
        return (media, supports)
    }

    private static func statements(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == ";" || c.isNewline || (c == "." && (i + 1 == chars.count || chars[i + 1] == " ")) {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        out.append(current)
        return out.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    private static let trimmed = CharacterSet(charactersIn: "()[]{}.'\"?*").union(.whitespacesAndNewlines)

    private static func tokens(_ part: String) -> [String] {
        var pieces = [part]
        for separator in [",", " and ", " with ", "&", "/", " or "] {
            pieces = pieces.flatMap { $0.components(separatedBy: separator) }
        }
        var out: [String] = []
        for piece in pieces {
            var t = piece.trimmingCharacters(in: trimmed)
            for article in ["a ", "an ", "the "] where t.hasPrefix(article) {
                t = String(t.dropFirst(article.count))
            }
            t = t.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty, t.count <= 40, t.contains(where: \.isLetter) else { continue }
            out.append(synonyms[t] ?? t)
        }
        return out
    }
}

