import CurioCore
import Foundation

/// Reads a free-text catalogue date for importers, telling "no date given" apart from "a date that cannot be used".
///
/// It first asks ``DateParser`` and then handles forms common in exported catalogues that the parser does not take:
/// ISO dates (`1850-05-12`, `1850-05`), day/month/year (`12/05/1850`, `12.05.1850`), whole centuries written as
/// `1800s`, and a leading qualifier (`probably 19th century`, `mid-19th century`, `early 1300s`), where
/// `probably`, `possibly`, `perhaps`, `likely`, `about` and `around` mark the date as approximate.
public enum CatalogueDateReader {
    /// The outcome of reading one date.
    public enum Outcome: Sendable, Equatable {
        /// Nothing to read (empty, or words only such as `date not known`).
        case absent
        /// A usable range.
        case range(DateRange)
        /// Text that holds a year but cannot be used; the message says why, for a ``RecordProblem``.
        case unusable(String)
    }

    private static let qualifiers: [(word: String, circa: Bool)] = [
        ("probably", true), ("possibly", true), ("perhaps", true), ("likely", true), ("about", true),
        ("around", true), ("approximately", true), ("approx.", true), ("early", false), ("middle", false),
        ("mid", false), ("late", false), ("dated", false), ("the", false), ("of", false),
    ]

    /// Reads `text`.
    public static func read(_ text: String) -> Outcome {
        let trimmed = text.importTrimmed
        if trimmed.isEmpty { return .absent }
        // The commonest case, a plain year, without the general parser.
        if trimmed.utf8.count <= 4, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let year = Int(trimmed) {
            return check(DateRange(text: trimmed, startYear: year, endYear: year))
        }
        if let r = numericDate(trimmed, original: trimmed) { return check(r) }
        if let r = wholeCentury(trimmed, original: trimmed, circa: false) { return check(r) }
        if let r = DateParser.parse(trimmed) { return .range(r) }
        guard trimmed.contains(where: { $0.isASCII && $0.isNumber }) else { return .absent }
        if let year = implausibleYear(in: trimmed) {
            return .unusable("year \(year) is outside the plausible range \(DateRange.plausibleYears.lowerBound) to "
                + "\(DateRange.plausibleYears.upperBound); imported without a date")
        }
        if let r = qualified(trimmed) { return check(r) }
        return .unusable("'\(trimmed)' could not be read as a year or a range of years; imported without a date")
    }

    private static func check(_ r: DateRange) -> Outcome {
        for year in [r.startYear, r.endYear] where !DateRange.plausibleYears.contains(year) {
            return .unusable("year \(year) is outside the plausible range \(DateRange.plausibleYears.lowerBound) to "
                + "\(DateRange.plausibleYears.upperBound); imported without a date")
        }
        return .range(r)
    }

    /// `1850-05-12`, `-0050-03-01`, `1850/05/12`, `12/05/1850`, `12.05.1850` → that one year; `1850-05` → 1850
    /// when the second number is a month smaller than the year's last two digits (as a range it would run into the
    /// next century, which catalogues write in full).
    private static func numericDate(_ s: String, original: String) -> DateRange? {
        var body = Substring(s)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        let separators = Set(body.filter { $0 == "-" || $0 == "/" || $0 == "." })
        guard separators.count == 1 else { return nil }
        let fields = body.split(omittingEmptySubsequences: false) { separators.contains($0) }
        guard fields.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let numbers = fields.compactMap { Int($0) }
        guard numbers.count == fields.count else { return nil }
        let lengths = fields.map(\.count)
        var year: Int
        switch (fields.count, lengths[0]) {
        case (3, 3...):
            guard lengths[1] <= 2, lengths[2] <= 2, (1...12).contains(numbers[1]), (1...31).contains(numbers[2])
            else { return nil }
            year = numbers[0]
        case (2, 4...):
            guard separators == ["-"], lengths[1] == 2, (1...12).contains(numbers[1]), numbers[1] < numbers[0] % 100
            else { return nil }
            year = numbers[0]
        case (3, 1...2):
            guard !negative, lengths[1] <= 2, lengths[2] >= 3, (1...31).contains(numbers[0]),
                  (1...31).contains(numbers[1]), numbers[0] <= 12 || numbers[1] <= 12 else { return nil }
            year = numbers[2]
        default:
            return nil
        }
        if negative { year = -year }
        return DateRange(text: original, startYear: year, endYear: year)
    }

    /// `1800s` → 1800…1899 (a whole century; `1850s` stays a decade for ``DateParser``).
    private static func wholeCentury(_ s: String, original: String, circa: Bool) -> DateRange? {
        let lower = s.lowercased()
        guard lower.count == 5, lower.hasSuffix("00s"), let start = Int(lower.prefix(4)) else { return nil }
        if circa {
            return DateRange(text: original, startYear: start - DateRange.circaMargin,
                             endYear: start + 99 + DateRange.circaMargin, isCirca: true)
        }
        return DateRange(text: original, startYear: start, endYear: start + 99)
    }

    /// Drops leading qualifier words and reads the rest.
    private static func qualified(_ s: String) -> DateRange? {
        var rest = Substring(s.lowercased())
        var circa = false
        var changed = true
        while changed {
            changed = false
            rest = rest.drop { $0 == " " || $0 == "-" || $0 == "," }
            for q in qualifiers where rest.hasPrefix(q.word) {
                let after = rest.dropFirst(q.word.count)
                guard after.first.map({ $0 == " " || $0 == "-" || $0.isNumber }) ?? false else { continue }
                circa = circa || q.circa
                rest = after
                changed = true
                break
            }
        }
        let remainder = String(rest).importTrimmed
        guard remainder != s.lowercased(), let first = remainder.first, first.isNumber || first == "?" else {
            return nil
        }
        if let r = wholeCentury(remainder, original: s, circa: circa) { return r }
        guard let r = DateParser.parse(remainder) else { return nil }
        if circa, !r.isCirca {
            return DateRange(text: s, startYear: r.startYear - DateRange.circaMargin,
                             endYear: r.endYear + DateRange.circaMargin, isCirca: true)
        }
        return DateRange(text: s, startYear: r.startYear, endYear: r.endYear, isCirca: r.isCirca)
    }

    /// The first number in the text that, read as a year (negative when the text says BC/BCE), is implausible.
    private static func implausibleYear(in s: String) -> Int? {
        let lower = s.lowercased()
        let bce = lower.contains("bc") || lower.contains("b.c.")
        var digits = ""
        func flush() -> Int? {
            defer { digits = "" }
            guard !digits.isEmpty else { return nil }
            guard digits.count <= 12, let v = Int(digits) else { return bce ? -Int(Int32.max) : Int(Int32.max) }
            let year = bce ? -v : v
            return DateRange.plausibleYears.contains(year) ? nil : year
        }
        for ch in lower {
            if ch.isASCII, ch.isNumber {
                digits.append(ch)
            } else if let y = flush() {
                return y
            }
        }
        return flush()
    }
}
