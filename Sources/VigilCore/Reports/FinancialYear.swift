/// A UK public-sector financial year, 1 April to 31 March, named like "2017/18".
public struct FinancialYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The calendar year in which it starts (2017 for 2017/18).
    public let startYear: Int

    public init(startYear: Int) {
        self.startYear = startYear
    }

    /// Accepts "2017/18" (the way board papers write it) or "2017-18".
    public init?(label: String) {
        let parts = label.split(whereSeparator: { $0 == "/" || $0 == "-" })
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let start = Int(parts[0]), let end = Int(parts[1]), (start + 1) % 100 == end else { return nil }
        startYear = start
    }

    /// The financial year a day falls in.
    public init(containing day: Day) {
        let c = day.components
        startYear = c.month >= 4 ? c.year : c.year - 1
    }

    public var label: String {
        let next = (startYear + 1) % 100
        return "\(startYear)/\(next < 10 ? "0" : "")\(next)"
    }

    public var description: String { label }
    public var range: DayRange { DayRange(first: Day(year: startYear, month: 4, day: 1)!, last: Day(year: startYear + 1, month: 3, day: 31)!) }
    public var next: FinancialYear { FinancialYear(startYear: startYear + 1) }
    public var previous: FinancialYear { FinancialYear(startYear: startYear - 1) }

    /// Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March.
    public func quarter(_ q: Int) -> DayRange {
        precondition((1...4).contains(q), "a financial year has quarters 1 to 4")
        let first = range.first.adding(months: 3 * (q - 1))
        return DayRange(first: first, last: first.adding(months: 3).adding(days: -1))
    }

    public var quarters: [DayRange] { (1...4).map(quarter) }

    public static func < (a: FinancialYear, b: FinancialYear) -> Bool { a.startYear < b.startYear }

    /// Every financial year that overlaps `range`, in order.
    public static func covering(_ range: DayRange) -> [FinancialYear] {
        let a = FinancialYear(containing: range.first), b = FinancialYear(containing: range.last)
        return (a.startYear...max(a.startYear, b.startYear)).map(FinancialYear.init(startYear:))
    }
}
