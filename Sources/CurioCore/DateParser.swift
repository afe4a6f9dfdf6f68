import Foundation

/// Parses the free-text dates museums write into ``DateRange`` values.
///
/// Understood forms (case-insensitive, en dash or hyphen, optional leading `?`):
/// `1850`, `c.1850`, `circa 1850`, `c. 1850–60`, `1893–4`, `1850–1860`, `1920s`, `c.1920s`,
/// `1850 or 1851`, `1850 and 1852`, `after c.1850`, `published 1850`, `exhibited 1812`,
/// `50 BCE`, `ca. 50–40 BCE`, `1st century`, `19th century`, and a primary date followed by
/// secondary events (`1935, printed 1978` keeps 1935).
/// `date not known`, `no date` and empty text give `nil`.
public enum DateParser {
    /// Parses `text`; returns `nil` when no year can be read or the year is outside ``DateRange/plausibleYears``.
    public static func parse(_ text: String) -> DateRange? {
        let original = text
        var s = text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty { return nil }
        // Keep only the primary date: secondary events follow a comma or semicolon.
        if let cut = s.firstIndex(where: { $0 == "," || $0 == ";" }) {
            let head = String(s[..<cut])
            if head.contains(where: \.isNumber) { s = head }
        }
        var circa = false
        if s.hasPrefix("?") { circa = true; s.removeFirst() }
        let prefixes = ["first published", "published", "exhibited", "engraved", "printed", "cast", "made", "dated",
                        "before", "after", "from", "about", "ca.", "ca ", "circa", "c.", "c "]
        var changed = true
        while changed {
            changed = false
            s = s.trimmingCharacters(in: .whitespaces)
            if s.hasPrefix("?") { circa = true; s.removeFirst(); changed = true; continue }
            for p in prefixes where s.hasPrefix(p) {
                if ["about", "ca.", "ca ", "circa", "c.", "c "].contains(p) { circa = true }
                s.removeFirst(p.count)
                changed = true
                break
            }
        }
        var bce = false
        for marker in [" bce", " bc", " b.c.", " b.c.e."] where s.hasSuffix(marker) {
            bce = true
            s.removeLast(marker.count)
        }
        for marker in [" ce", " ad", " a.d."] where s.hasSuffix(marker) { s.removeLast(marker.count) }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.hasSuffix("?") { circa = true; s.removeLast() }

        // Centuries: "19th century", "1st century".
        if s.hasSuffix("century") {
            let digits = s.prefix(while: \.isNumber)
            guard let n = Int(digits), n > 0, n < 30 else { return nil }
            let range = bce ? (-(n * 100), -((n - 1) * 100 + 1)) : ((n - 1) * 100 + 1, n * 100)
            return make(original, range.0, range.1, circa: circa)
        }

        // ISO calendar dates (1850-05-12, 1850-05) name one year.
        if let year = isoYear(s) { return make(original, year - (circa ? DateRange.circaMargin : 0), year + (circa ? DateRange.circaMargin : 0), circa: circa) }

        let numbers = leadingNumbers(s)
        guard let first = numbers.first else { return nil }
        var start = first.value
        var end = first.value
        // "1850s" is a decade; "1800s" is the century, as people mean it.
        if first.decade { end = start + (start % 100 == 0 ? 99 : 9) }
        if numbers.count >= 2, numbers[1].joinedByRange || numbers[1].joinedByAlternative {
            let second = numbers[1]
            if second.joinedByRange, !bce, second.digits < first.digits {
                // Abbreviated end year: 1893–4 → 1894, 1850–60 → 1860.
                let modulus = Int(pow10(second.digits))
                end = start - start % modulus + second.value
                if end < start { end += modulus }
            } else {
                end = second.value
                if second.decade { end += 9 }
            }
        }
        if bce {
            start = -start
            end = -end
        }
        if circa {
            start -= DateRange.circaMargin
            end += DateRange.circaMargin
        }
        return make(original, start, end, circa: circa)
    }

    /// The year of an ISO 8601 calendar date (`YYYY-MM-DD` or `YYYY-MM`), or nil.
    private static func isoYear(_ s: String) -> Int? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
              parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        if parts.count == 3 {
            guard parts[2].count == 2, let day = Int(parts[2]), (1...31).contains(day) else { return nil }
        }
        return year
    }

    private static func make(_ text: String, _ a: Int, _ b: Int, circa: Bool) -> DateRange? {
        guard DateRange.plausibleYears.contains(a), DateRange.plausibleYears.contains(b) else { return nil }
        return DateRange(text: text, startYear: a, endYear: b, isCirca: circa)
    }

    private struct Number {
        var value: Int
        var digits: Int
        var decade: Bool
        var joinedByRange: Bool
        var joinedByAlternative: Bool
    }

    /// Reads up to two numbers from the start of the text and how they are joined.
    private static func leadingNumbers(_ s: String) -> [Number] {
        var result: [Number] = []
        var index = s.startIndex
        var joiner = ""
        while index < s.endIndex, result.count < 2 {
            let ch = s[index]
            if ch.isASCII, ch.isNumber {
                var end = index
                while end < s.endIndex, s[end].isASCII, s[end].isNumber { end = s.index(after: end) }
                let digits = s[index..<end]
                guard digits.count <= 6, let value = Int(digits) else { return result }
                var decade = false
                if end < s.endIndex, s[end] == "s", value % 10 == 0 {
                    decade = true
                    end = s.index(after: end)
                }
                let j = joiner.trimmingCharacters(in: .whitespaces)
                let isRange = ["–", "-", "—", "to", "/"].contains(j)
                let isAlternative = ["or", "and", "&"].contains(j)
                if !result.isEmpty, !isRange, !isAlternative { return result }
                result.append(Number(value: value, digits: digits.count, decade: decade,
                                     joinedByRange: isRange, joinedByAlternative: isAlternative))
                joiner = ""
                index = end
                // Ordinals ("19th") end the number run.
                if end < s.endIndex, s[end].isLetter, !decade { return result }
                continue
            }
            if result.isEmpty, !(ch == " ") { return result }
            joiner.append(ch)
            if joiner.count > 8 { return result }
            index = s.index(after: index)
        }
        return result
    }

    private static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= 10 }
        return r
    }
}
