/// Why people's service ended, period by period: the residential-care admissions, deaths and moves
/// behind the caseload's "ends" column.
public struct LeaversRow: Sendable, Codable, Equatable {
    public var period: String
    public var from: Day
    public var to: Day
    /// Spells whose last day is in the period, as the caseload's ends.
    public var ends: Int
    /// Ends by reason, every reason listed (zero included), in `EndReason` order.
    public var byReason: [String: Int]
    /// Of the ends, people who had been in service less than 120 days (reablement, short stays).
    public var shortStays: Int

    public init(period: ReportPeriod, ends: Int, byReason: [String: Int], shortStays: Int) {
        self.period = period.label
        from = period.range.first
        to = period.range.last
        self.ends = ends
        self.byReason = byReason
        self.shortStays = shortStays
    }
}

public struct LeaversReport: Sendable, Codable, Equatable {
    public var title: String
    public var from: Day
    public var to: Day
    public var rows: [LeaversRow]
    public var notes: [String]

    /// `ends`: every spell ending in the range, its first and last day and why.
    public init(ends: [(start: Day, end: Day, reason: EndReason)], range: DayRange) {
        title = "Why service ended"
        from = range.first
        to = range.last
        rows = ReportPeriod.yearsAndQuarters(in: range).map { period in
            let mine = ends.filter { period.range.first <= $0.end && $0.end <= period.range.last }
            var by = Dictionary(uniqueKeysWithValues: EndReason.allCases.map { ($0.rawValue, 0) })
            for e in mine { by[e.reason.rawValue, default: 0] += 1 }
            return LeaversRow(period: period, ends: mine.count, byReason: by,
                              shortStays: mine.filter { $0.end.daysSinceEpoch - $0.start.daysSinceEpoch + 1 < 120 }.count)
        }
        notes = ["Ends are spells of service whose last day is in the period, as in the caseload report, so the reasons add up to its ends. "
                 + "Short stays: in service fewer than 120 days."]
    }
}
