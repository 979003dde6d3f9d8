import Testing
import VigilCore
import VigilReports
@testable import VigilStore

/// Six people around the edges of 2017/18 (1 April 2017 – 31 March 2018), counted by hand:
///   A starts on 1 April 2017 (first day of the year), still supported        area 1
///   B 2016-05-10 → ends on 31 March 2018 (last day of the year)              area 1
///   C 2017-07-05 → 2017-09-20: starts and ends in the same quarter (Q2)       area 2
///   D 2016-01-01 → 2017-06-30, then returns 2017-11-15, still supported       area 2
///   E 2015-06-01 → ends on 31 March 2017, the day before the year starts      area 3
///   F starts on 1 April 2018, the day after the year ends                     area 3
@Suite("Caseload report")
struct CaseloadReportTests {
    let f: Fixture

    init() throws {
        f = try Fixture()
        try f.person("A", area: 1, periods: [("2017-04-01", nil, nil)])
        try f.person("B", area: 1, periods: [("2016-05-10", "2018-03-31", .died)])
        try f.person("C", area: 2, periods: [("2017-07-05", "2017-09-20", .noLongerNeeded)])
        try f.person("D", area: 2, periods: [("2016-01-01", "2017-06-30", .movedAway), ("2017-11-15", nil, nil)])
        try f.person("E", area: 3, periods: [("2015-06-01", "2017-03-31", .died)])
        try f.person("F", area: 3, periods: [("2018-04-01", nil, nil)])
    }

    func report(_ by: ReportDimension? = nil, baseline: String = "2017-04-01") throws -> CaseloadReport {
        try CaseloadQueries(f.db).report(range: FinancialYear(startYear: 2017).range, baseline: Day(iso: baseline)!, by: by, targets: .atService)
    }

    struct Expected: Sendable, CustomStringConvertible {
        var period: String
        var atStart, atEnd, starts, ends, supported, sinceBaseline: Int
        var description: String { period }
    }

    // The day convention (CaseloadCounter.dayConvention): current at start = in service at the
    // start of the first day, so someone starting that day is a start and not yet current; current
    // at end = in service at the end of the last day, so someone whose last day it is has ended.
    @Test(arguments: [
        // Year: at start B D(1st spell); starts A C D(return); ends B(31 March) C D(1st spell);
        // at end A D(2nd spell): 2 + 3 − 3 = 2. Supported A B C D (D once).
        Expected(period: "2017/18", atStart: 2, atEnd: 2, starts: 3, ends: 3, supported: 4, sinceBaseline: 4),
        // Q1: A starts on its first day; D's first spell's last day is 30 June, so D has ended by its end.
        Expected(period: "2017/18 Q1", atStart: 2, atEnd: 2, starts: 1, ends: 1, supported: 3, sinceBaseline: 3),
        // Q2: C starts and ends inside it; since the baseline A B C D.
        Expected(period: "2017/18 Q2", atStart: 2, atEnd: 2, starts: 1, ends: 1, supported: 3, sinceBaseline: 4),
        // Q3: D returns 15 November.
        Expected(period: "2017/18 Q3", atStart: 2, atEnd: 3, starts: 1, ends: 0, supported: 3, sinceBaseline: 4),
        // Q4: B's last day is 31 March: an end of the quarter and not current at its end.
        Expected(period: "2017/18 Q4", atStart: 3, atEnd: 2, starts: 0, ends: 1, supported: 3, sinceBaseline: 4),
    ])
    func countsMatchTheHandWorkedFigures(_ e: Expected) throws {
        let row = try #require(try report().rows.first { $0.period == e.period })
        #expect(row.currentAtStart == e.atStart)
        #expect(row.currentAtEnd == e.atEnd)
        #expect(row.starts == e.starts)
        #expect(row.ends == e.ends)
        #expect(row.supported == e.supported)
        #expect(row.supportedSinceBaseline == e.sinceBaseline)
        #expect(row.currentAtStart + row.starts - row.ends == row.currentAtEnd)
        #expect(row.formerUsers == e.sinceBaseline - e.atEnd)
        f.dir.remove()
    }

    @Test func theDayConventionIsWrittenUnderTheTableAndTheGroupsCarryANote() throws {
        let table = ReportTables.caseload(try report())[0]
        #expect(table.notes.contains(CaseloadCounter.dayConvention))
        #expect(!table.notes.contains { $0.contains("several referral groups") })
        #expect(TextRenderer.render([table]).contains("current at start + starts − ends = current at end"))
        let byGroup = ReportTables.caseload(try report(.group))[0]
        #expect(byGroup.notes.contains { $0.contains("One person can be in several referral groups") })
        f.dir.remove()
    }

    @Test func yearIsJudgedAgainstTheTrajectory() throws {
        let r = try report()
        #expect(r.rows.map(\.period) == ["2017/18", "2017/18 Q1", "2017/18 Q2", "2017/18 Q3", "2017/18 Q4"])
        let year = r.rows[0]
        #expect(year.target == 10_115)
        #expect(year.rag == .red)
        // Q1 ends 30 June: 8,615 + 1,500 × 91/365 = 8,989.
        #expect(r.rows[1].target == 8_989)
        f.dir.remove()
    }

    @Test func anEarlierBaselineCountsFormerUsers() throws {
        // From 1 April 2016 the year's "since baseline" adds E (supported until 31 March 2017).
        let r = try report(baseline: "2016-04-01")
        #expect(r.rows[0].supportedSinceBaseline == 5)
        #expect(r.rows[0].supported == 4)
        f.dir.remove()
    }

    @Test func byAreaSplitsTheYear() throws {
        let year = try report(.area).rows.filter { $0.period == "2017/18" }
        // Area 3 has nobody in the year (E left before it, F came after), so it has no row.
        #expect(year.map(\.breakdown) == ["1", "2"])
        // Area 1: B's last day is 31 March, so only A is current at the end; area 2: D.
        #expect(year.map(\.currentAtEnd) == [1, 1])
        #expect(year.map(\.starts) == [1, 2])
        #expect(year.map(\.ends) == [1, 2])
        #expect(year.map(\.supported) == [2, 2])
        #expect(year.allSatisfy { $0.target == nil && $0.rag == nil })
        f.dir.remove()
    }

    @Test func byAgeUsesTheAgeOnThePeriodsLastDay() throws {
        let g = try Fixture()
        // 65 on 1 April 2017 (the first day of 2017/18) and 64 the day before; unknown birth date.
        try g.person("X", born: "1952-04-01", periods: [("2010-01-01", nil, nil)])
        try g.person("Y", born: "1953-04-01", periods: [("2010-01-01", nil, nil)])
        try g.person("Z", periods: [("2010-01-01", nil, nil)])
        let rows = try CaseloadQueries(g.db).report(range: FinancialYear(startYear: 2017).range, baseline: Day(iso: "2017-04-01")!,
                                                    by: .age, targets: .atService).rows.filter { $0.period == "2017/18 Q1" }
        // On 30 June 2017 X is 65, Y 64.
        #expect(rows.map(\.breakdown) == ["65-74", "under 65", "unknown"])
        g.dir.remove()
        f.dir.remove()
    }
}
