import Foundation

/// A day of the week, named as in venue files (`monday` … `sunday`).
public enum Weekday: String, Sendable, Codable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// From Foundation's `Calendar` weekday component (1 = Sunday … 7 = Saturday).
    public init?(calendarWeekday: Int) {
        switch calendarWeekday {
        case 1: self = .sunday
        case 2: self = .monday
        case 3: self = .tuesday
        case 4: self = .wednesday
        case 5: self = .thursday
        case 6: self = .friday
        case 7: self = .saturday
        default: return nil
        }
    }

    private var order: Int { Weekday.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Weekday, b: Weekday) -> Bool { a.order < b.order }

    /// Capitalised English name for messages (`Monday`).
    public var displayName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// A local wall-clock time, minute precision, written `HH:MM` (`24:00` is allowed as the end of the day).
public struct TimeOfDay: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes since midnight, 0…1440.
    public var minutes: Int

    public init(minutes: Int) { self.minutes = min(max(minutes, 0), 1440) }
    public init(hour: Int, minute: Int = 0) { self.init(minutes: hour * 60 + minute) }

    /// Parses `HH:MM` (`9:30`, `09:30`, `24:00`); nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]), m < 60, h < 24 || (h == 24 && m == 0) else { return nil }
        minutes = h * 60 + m
    }

    /// Seconds since midnight.
    public var seconds: Double { Double(minutes) * 60 }

    public var description: String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = TimeOfDay(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a time HH:MM"))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Opening and closing time of one day.
public struct DailyHours: Sendable, Codable, Equatable {
    public var open: TimeOfDay
    public var close: TimeOfDay
    public init(open: TimeOfDay, close: TimeOfDay) {
        self.open = open
        self.close = close
    }
}

/// When the building is open: weekly hours plus dates it is closed.
public struct OpeningHours: Sendable, Codable, Equatable {
    /// Hours for each weekday; a missing weekday means closed all day.
    public var weekly: [Weekday: DailyHours]
    /// Dates (`YYYY-MM-DD`, venue local) when the whole building is closed.
    public var closedDates: [String]

    public init(weekly: [Weekday: DailyHours], closedDates: [String] = []) {
        self.weekly = weekly
        self.closedDates = closedDates
    }

    /// Open every day, all day (the default when a venue file gives no hours).
    public static let alwaysOpen = OpeningHours(
        weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map {
            ($0, DailyHours(open: TimeOfDay(minutes: 0), close: TimeOfDay(minutes: 1440)))
        }))

    /// The same hours every day.
    public static func daily(_ open: TimeOfDay, _ close: TimeOfDay) -> OpeningHours {
        OpeningHours(weekly: Dictionary(uniqueKeysWithValues: Weekday.allCases.map {
            ($0, DailyHours(open: open, close: close))
        }))
    }
}

/// A scheduled closure of one room: on a date, on some weekdays, or every day; all day or between two times.
public struct RoomClosure: Sendable, Codable, Equatable {
    public var room: String
    /// Only on this date (`YYYY-MM-DD`, venue local).
    public var date: String?
    /// Only on these weekdays (empty: every day, or the ``date``).
    public var weekdays: [Weekday]
    /// Start of the closure (nil: from opening).
    public var from: TimeOfDay?
    /// End of the closure (nil: until closing).
    public var to: TimeOfDay?
    /// Shown to visitors (`rehang`, `private event`).
    public var reason: String?

    public init(room: String, date: String? = nil, weekdays: [Weekday] = [], from: TimeOfDay? = nil,
                to: TimeOfDay? = nil, reason: String? = nil) {
        self.room = room
        self.date = date
        self.weekdays = weekdays
        self.from = from
        self.to = to
        self.reason = reason
    }

    /// Whether the closure applies on a day.
    public func applies(date day: String, weekday: Weekday) -> Bool {
        if let date, date != day { return false }
        if !weekdays.isEmpty, !weekdays.contains(weekday) { return false }
        return true
    }
}

/// One local day of a venue: which rooms are open when, in seconds since local midnight.
///
/// Built from ``Venue/openingHours``, ``Venue/closures`` and rooms closed with ``Venue/close(room:reason:)``.
public struct VenueDay: Sendable, Equatable {
    /// `YYYY-MM-DD`, local.
    public var date: String
    public var weekday: Weekday
    /// Local midnight of the day.
    public var midnight: Date
    /// Building hours, or nil when the building is closed all day.
    public var hours: DailyHours?
    /// For each room (indexed like ``Venue/rooms``), the disjoint, sorted intervals it is open, in seconds since midnight.
    public var roomOpen: [[ClosedRange<Double>]]
    /// Why the building is closed, when it is.
    public var closedReason: String?

    /// Computes the day containing `instant` in the venue's time zone.
    /// - Throws: ``VisitError/badParameter(name:reason:)`` when the venue's time zone is unknown.
    public init(venue: Venue, containing instant: Date) throws {
        guard let zone = TimeZone(identifier: venue.timeZone) else {
            throw VisitError.badParameter(name: "timezone", reason: "'\(venue.timeZone)' is not a known time zone")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: instant)
        midnight = calendar.startOfDay(for: instant)
        date = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        weekday = Weekday(calendarWeekday: parts.weekday ?? 2) ?? .monday
        if venue.openingHours.closedDates.contains(date) {
            hours = nil
            closedReason = "the building is closed on \(date)"
        } else if let h = venue.openingHours.weekly[weekday], h.open < h.close {
            hours = h
            closedReason = nil
        } else {
            hours = nil
            closedReason = "the building is closed on \(weekday.displayName)s"
        }
        var open: [[ClosedRange<Double>]] = []
        open.reserveCapacity(venue.rooms.count)
        for room in venue.rooms {
            guard let h = hours, !room.isClosed else {
                open.append([])
                continue
            }
            var intervals = [h.open.seconds...h.close.seconds]
            for c in venue.closures where c.room == room.id && c.applies(date: date, weekday: weekday) {
                let cut = (c.from ?? h.open).seconds...(c.to ?? h.close).seconds
                intervals = intervals.flatMap { VenueDay.subtract(cut, from: $0) }
            }
            open.append(intervals)
        }
        roomOpen = open
    }

    /// Seconds since local midnight of `instant`.
    public func secondsOfDay(_ instant: Date) -> Double { instant.timeIntervalSince(midnight) }

    /// The instant `seconds` after local midnight.
    public func instant(secondsOfDay seconds: Double) -> Date { midnight.addingTimeInterval(seconds) }

    /// Whether room `index` is open for the whole span `from...to` (seconds of day).
    public func isOpen(room index: Int, from: Double, to: Double) -> Bool {
        roomOpen[index].contains { $0.lowerBound <= from && to <= $0.upperBound }
    }

    /// Removes `cut` from `interval`; what remains (0, 1 or 2 intervals). Touching endpoints count as closed.
    static func subtract(_ cut: ClosedRange<Double>, from interval: ClosedRange<Double>) -> [ClosedRange<Double>] {
        if cut.upperBound <= interval.lowerBound || cut.lowerBound >= interval.upperBound { return [interval] }
        var out: [ClosedRange<Double>] = []
        if cut.lowerBound > interval.lowerBound { out.append(interval.lowerBound...cut.lowerBound) }
        if cut.upperBound < interval.upperBound { out.append(cut.upperBound...interval.upperBound) }
        return out
    }
}
