import Foundation

/// Folds text for matching: lower case, accents removed (`Magritte` = `magritte`, `Ingres` = `ingres`,
/// `Kokoschka` = `kokoschka`), punctuation to spaces, whitespace collapsed.
public enum TextNormalizer {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        out.reserveCapacity(folded.count)
        var lastSpace = true
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || scalar == "'" {
                if scalar != "'" { out.unicodeScalars.append(scalar) }
                lastSpace = false
            } else if !lastSpace {
                out.append(" ")
                lastSpace = true
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// Folded tokens of `text`.
    public static func tokens(_ text: String) -> [String] {
        fold(text).split(separator: " ").map(String.init)
    }

    /// Words that carry no content in a visitor's request.
    public static let stopwords: Set<String> = [
        "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "me", "i", "my", "you",
        "show", "find", "see", "look", "looking", "something", "anything", "some", "any", "like", "this", "that", "these",
        "those", "one", "ones", "please", "can", "could", "would", "want", "wish", "is", "are", "be", "it", "its", "what",
        "which", "who", "works", "work", "art", "artworks", "artwork", "pieces", "piece", "picture", "pictures", "have",
        "do", "does", "more", "less", "but", "about", "there", "here", "get", "give", "let", "us", "we", "than", "also",
        "just", "really", "very", "much", "many", "some", "kind", "sort", "type", "thing", "things", "made", "make",
    ]

    /// Levenshtein distance, bounded: returns `limit + 1` as soon as the distance exceeds `limit`.
    public static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
