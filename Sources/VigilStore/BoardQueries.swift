import VigilCore

/// Gathers the board paper's figures from the single reports' queries.
public struct BoardQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    public func figures(range: DayRange, targets: ServiceTargets, calendar: LocalDays, amberBand: Double) throws -> BoardFigures {
        // The latest financial year up to the board's last day, and the same days a year earlier.
        let latest = DayRange(first: max(FinancialYear(containing: range.last).range.first, range.first), last: range.last)
        let yearBefore = DayRange(first: latest.first.adding(months: -12), last: latest.last.adding(months: -12))
        // Whole months from a year before the range, so its first months have a year earlier too.
        let firstMonth = range.first.adding(months: -12)
        let monthly = DayRange(first: Day(year: firstMonth.year, month: firstMonth.month, day: 1)!, last: range.last)
        // Everyone any of the board's figures can count, read once; each figure is counted from it.
        let earliest = [monthly.first, yearBefore.first, targets.commitment?.baseline].compactMap { $0 }.min()!
        let people = try CaseloadQueries(db).counter(range: DayRange(first: earliest, last: range.last), baseline: earliest)
        func report(_ r: DayRange, by: ReportDimension?) -> CaseloadReport {
            people.report(range: r, baseline: r.first, by: by, targets: targets, title: "Caseload")
        }
        func compare(_ by: ReportDimension) -> BoardFigures.Comparison {
            .init(now: report(latest, by: by), yearBefore: report(yearBefore, by: by))
        }
        var figures = BoardFigures(
            caseload: report(range, by: nil), months: people.months(monthly, targets: targets),
            groups: compare(.group), areas: compare(.area),
            satisfaction: try SatisfactionQueries(db).report(range: range, by: nil, targets: targets),
            // The latest year's alarms, as the page's other "now" figures: over a ten-times history
            // the whole range took 11 s of the board's time (BENCHMARKS.md).
            response: try ResponseQueries(db).report(range: latest, calendar: calendar, amberBand: amberBand))
        figures.referrals = .init(try ReferralQueries(db).load(range: DayRange(first: yearBefore.first, last: latest.last)),
                                  latest: latest, yearBefore: yearBefore, targets: targets)
        return figures
    }
}
