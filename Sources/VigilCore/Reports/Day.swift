/// A calendar day with no time zone: what a service start, a birthday or a survey date is.
/// Stored as days since 1970-01-01 so that ranges and differences are plain integer maths.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Nil when the date does not exist (month 13, 30 February, …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        daysSinceEpoch = Day.days(year: year, month: month, day: day)
    }

    /// Parses exactly `YYYY-MM-DD` (ISO 8601 calendar date), the format of every date Vigil stores.
    public init?(iso: String) {
        let u = Array(iso.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                n = n * 10 + Int(u[i] - 48)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) { Day.civil(daysSinceEpoch) }
    public var year: Int { components.year }
    public var month: Int { components.month }

    public var iso: String {
        let c = components
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    public var description: String { iso }

    // In JSON a day is its ISO date, as a person (and a spreadsheet) reads it.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(text) is not a date (YYYY-MM-DD)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }

    public func adding(days n: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + n) }

    /// The calendar month as the reports label it: "2019-07".
    public var monthLabel: String { String(iso.prefix(7)) }
    public var firstOfMonth: Day { adding(days: 1 - components.day) }
    public var lastOfMonth: Day {
        let c = components
        return adding(days: Day.daysIn(month: c.month, year: c.year) - c.day)
    }

    /// The same day of the month `n` months later, clamped to the month's last day.
    public func adding(months n: Int) -> Day {
        let c = components
        let total = c.year * 12 + (c.month - 1) + n
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(c.day, Day.daysIn(month: m, year: y)))!
    }

    /// Midnight UTC at the start of this day, in epoch milliseconds (how alarms are timed).
    public var startMillis: EpochMillis { EpochMillis(daysSinceEpoch) * 86_400_000 }

    /// The day containing an epoch-millisecond instant (UTC).
    public init(millis: EpochMillis) {
        daysSinceEpoch = Int((millis >= 0 ? millis : millis - 86_399_999) / 86_400_000)
    }

    /// Whole years of age on `day` for someone born on `self`.
    public func age(on day: Day) -> Int {
        let b = components, d = day.components
        var years = d.year - b.year
        if (d.month, d.day) < (b.month, b.day) { years -= 1 }
        return years
    }

    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian), exact for any year.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// An inclusive range of days: a financial year, a quarter, or `--from D --to D`.
public struct DayRange: Hashable, Sendable, Codable {
    public var first: Day
    public var last: Day

    public init(first: Day, last: Day) {
        self.first = first
        self.last = last
    }

    public func contains(_ d: Day) -> Bool { first <= d && d <= last }
    public var dayCount: Int { last.daysSinceEpoch - first.daysSinceEpoch + 1 }
}
