/// How long people lived in a care home with the service, in resident-months: each day a resident
/// had the service counts as 1 / (days in that month) of a resident-month, so a home of 20 residents
/// all month has 20 whatever the month's length, and someone who started on the 16th of a 30-day
/// month adds 0.5. Ambulance call-outs per resident-month compare homes of different sizes, and a
/// home before and after a change, where call-outs per alarm would hide a change in how often the
/// residents raise alarms.
public struct ResidentMonths: Sendable, Equatable {
    /// Keyed by `Day.monthLabel` ("2019-07").
    public private(set) var byMonth: [String: Double] = [:]
    /// Before and on or after `changeDay` (all before when there is none).
    public private(set) var before = 0.0
    public private(set) var after = 0.0

    public init() {}

    /// Adds one resident's spell of service (`first`…`last` inclusive, nil while it continues),
    /// counting only the days inside `range`.
    public mutating func add(first: Day, last: Day?, range: DayRange, changeDay: Day?) {
        let from = max(first, range.first), to = min(last ?? range.last, range.last)
        guard from <= to else { return }
        for month in Self.months(of: DayRange(first: from, last: to)) {
            let monthEnd = month.lastOfMonth
            let length = Double(monthEnd.daysSinceEpoch - month.daysSinceEpoch + 1)
            let a = max(from, month), b = min(to, monthEnd)
            let days = b.daysSinceEpoch - a.daysSinceEpoch + 1
            let daysBefore = changeDay.map { min(days, max(0, $0.daysSinceEpoch - a.daysSinceEpoch)) } ?? days
            byMonth[month.monthLabel, default: 0] += Double(days) / length
            before += Double(daysBefore) / length
            after += Double(days - daysBefore) / length
        }
    }

    /// The first day of every month `range` touches, in order.
    public static func months(of range: DayRange) -> [Day] {
        var months: [Day] = []
        var m = range.first.firstOfMonth
        while m <= range.last {
            months.append(m)
            m = m.lastOfMonth.adding(days: 1)
        }
        return months
    }
}
