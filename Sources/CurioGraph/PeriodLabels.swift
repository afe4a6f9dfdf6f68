import CurioCore

/// Keys and labels of decade and century nodes.
///
/// Decade nodes are keyed by their first year (`1840`, `-50`) and labelled `1840s` / `50s BCE`;
/// century nodes are keyed by their 1-based number (`19`, `-1`) and labelled `19th century` / `1st century BCE`,
/// following ``CurioCore/DateRange/decade`` and ``CurioCore/DateRange/century``.
public enum PeriodLabels {
    /// Label of the decade starting at `year`.
    public static func decade(_ year: Int) -> String {
        year >= 0 ? "\(year)s" : "\(-year)s BCE"
    }

    /// Label of century `n` (1-based; negative for BCE).
    public static func century(_ n: Int) -> String {
        n > 0 ? "\(ordinal(n)) century" : "\(ordinal(-n)) century BCE"
    }

    /// The century containing the decade starting at `year`, judged by the decade's midpoint.
    public static func century(ofDecade year: Int) -> Int {
        DateRange(text: "", startYear: year, endYear: year + 9).century
    }

    /// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`…
    public static func ordinal(_ n: Int) -> String {
        let tens = n % 100
        if (11...13).contains(tens) { return "\(n)th" }
        switch n % 10 {
        case 1: return "\(n)st"
        case 2: return "\(n)nd"
        case 3: return "\(n)rd"
        default: return "\(n)th"
        }
    }
}

