import VigilCore

/// Gathers the board paper's figures from the single reports' queries.
public struct BoardQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    public func figures(range: DayRange, targets: ServiceTargets, calendar: LocalDays, amberBand: Double) throws -> BoardFigures {
        let caseload = CaseloadQueries(db)
        // The latest financial year up to the board's last day, and the same days a year earlier.
        let latest = DayRange(first: max(FinancialYear(containing: range.last).range.first, range.first), last: range.last)
        let yearBefore = DayRange(first: latest.first.adding(months: -12), last: latest.last.adding(months: -12))
        func compare(_ by: ReportDimension) throws -> BoardFigures.Comparison {
            .init(now: try caseload.report(range: latest, baseline: latest.first, by: by, targets: targets),
                  yearBefore: try caseload.report(range: yearBefore, baseline: yearBefore.first, by: by, targets: targets))
        }
        // Whole months from a year before the range, so its first months have a year earlier too.
        let firstMonth = range.first.adding(months: -12)
        let monthly = DayRange(first: Day(year: firstMonth.year, month: firstMonth.month, day: 1)!, last: range.last)
        let months = try caseload.counter(range: monthly, baseline: monthly.first, groups: false).months(monthly, targets: targets)
        return BoardFigures(
            caseload: try caseload.report(range: range, baseline: range.first, by: nil, targets: targets),
            months: months, groups: try compare(.group), areas: try compare(.area),
            satisfaction: try SatisfactionQueries(db).report(range: range, by: nil, targets: targets),
            response: try ResponseQueries(db).report(range: range, calendar: calendar, amberBand: amberBand))
    }
}
