/// A period of time as catalogued: the original text plus a parsed inclusive range of years.
///
/// Museums write dates as free text (`c.1850–60`, `1893–4`, `exhibited 1812`, `1920s`, `date not known`).
/// Curio keeps the text for display and parses a year range for filtering, ordering and period grouping.
/// Circa dates are widened by ``DateRange/circaMargin`` years on each side and flagged.
public struct DateRange: Hashable, Codable, Sendable {
    /// The date as the source wrote it.
    public var text: String
    /// First year of the range (negative for BCE), inclusive.
    public var startYear: Int
    /// Last year of the range, inclusive. Always `>= startYear`.
    public var endYear: Int
    /// Whether the source marked the date as approximate (`c.`, `circa`, `about`, `?`).
    public var isCirca: Bool

    /// Years added on each side of an approximate date.
    public static let circaMargin = 5
    /// Years outside this range are rejected as absurd for a heritage catalogue.
    public static let plausibleYears = -50_000...2_200

    public init(text: String, startYear: Int, endYear: Int, isCirca: Bool = false) {
        self.text = text
        self.startYear = min(startYear, endYear)
        self.endYear = max(startYear, endYear)
        self.isCirca = isCirca
    }

    /// The midpoint year, used for ordering and "older/newer" comparisons.
    public var midYear: Int { (startYear + endYear) / 2 }

    /// The century of the midpoint, 1-based (the 1850s are in the 19th century; 50 BCE is in century -1).
    public var century: Int { midYear > 0 ? (midYear - 1) / 100 + 1 : midYear / 100 - 1 }

    /// The decade of the midpoint (1850 for 1850…1859).
    public var decade: Int { Int((Double(midYear) / 10).rounded(.down)) * 10 }

    /// Whether two ranges share at least one year.
    public func overlaps(_ other: DateRange) -> Bool { startYear <= other.endYear && other.startYear <= endYear }
}
