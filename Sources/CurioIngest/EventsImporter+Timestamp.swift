import Foundation

extension EventsImporter {
    /// Reads event timestamps: ISO 8601 date-times and Unix times.
    ///
    /// Accepted forms:
    /// - `2024-05-01T10:15:30Z`, `2024-05-01T10:15:30.250+02:00`, `2024-05-01T10:15:30+0200`,
    ///   `2024-05-01T10:15` (seconds optional), `2024-05-01 10:15:30` (space instead of `T`),
    ///   `2024-05-01` (midnight). Without a zone the time is taken as UTC.
    /// - Unix time in seconds, integer or decimal (`1714558530`, `1714558530.25`). Numbers above 10¹¹ are taken as
    ///   milliseconds (10¹¹ seconds would be in the year 5138).
    public enum Timestamp {
        /// Parses `text`; nil when it is not one of the accepted forms or names an impossible date.
        public static func parse(_ text: String) -> Date? {
            let s = text.importTrimmed
            guard let first = s.utf8.first else { return nil }
            if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || isDigit(first), isNumeric(s) {
                return Double(s).flatMap(fromUnix)
            }
            return iso8601(Array(s.utf8))
        }

        /// A Unix time in seconds (or milliseconds above 10¹¹).
        public static func fromUnix(_ value: Double) -> Date? {
            guard value.isFinite else { return nil }
            return Date(timeIntervalSince1970: abs(value) > 1e11 ? value / 1000 : value)
        }

        private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        private static func isNumeric(_ s: String) -> Bool {
            var digits = 0
            var dots = 0
            for (k, b) in s.utf8.enumerated() {
                if isDigit(b) { digits += 1 } else if b == UInt8(ascii: ".") { dots += 1 } else if k == 0,
                    b == UInt8(ascii: "-") || b == UInt8(ascii: "+") { continue } else { return false }
            }
            return digits > 0 && dots <= 1
        }

        private static func iso8601(_ b: [UInt8]) -> Date? {
            var i = 0
            func number(_ count: Int) -> Int? {
                guard i + count <= b.count else { return nil }
                var v = 0
                for k in i..<(i + count) {
                    guard isDigit(b[k]) else { return nil }
                    v = v * 10 + Int(b[k] - 0x30)
                }
                i += count
                return v
            }
            func expect(_ c: Character) -> Bool {
                guard i < b.count, b[i] == c.asciiValue else { return false }
                i += 1
                return true
            }
            guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
                  (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
            var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
            guard i < b.count else { return Date(timeIntervalSince1970: seconds) }
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let hour = number(2), expect(":"), let minute = number(2), hour < 24, minute < 60 else { return nil }
            var second = 0.0
            if expect(":") {
                guard let whole = number(2), whole <= 60 else { return nil }
                second = Double(min(whole, 59))
                if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                    i += 1
                    var scale = 0.1
                    var any = false
                    while i < b.count, isDigit(b[i]) {
                        second += Double(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            seconds += Double(hour * 3600 + minute * 60) + second
            guard i < b.count else { return Date(timeIntervalSince1970: seconds) }
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i] == UInt8(ascii: "+") ? 1.0 : -1.0
                i += 1
                guard let zh = number(2), zh <= 18 else { return nil }
                var zm = 0
                if i < b.count {
                    _ = expect(":")
                    guard let m = number(2), m < 60 else { return nil }
                    zm = m
                }
                seconds -= sign * Double(zh * 3600 + zm * 60)
            } else {
                return nil
            }
            guard i == b.count else { return nil }
            return Date(timeIntervalSince1970: seconds)
        }

        private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

        private static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2: isLeap(year) ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }

        /// Days since 1970-01-01 of a proleptic Gregorian date (the standard era-based civil-to-days algorithm).
        private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let monthIndex = month > 2 ? month - 3 : month + 9
            let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            return era * 146_097 + dayOfEra - 719_468
        }
    }
}
