import Foundation
import Testing
import VigilCore
import VigilReports
@testable import VigilStore

@Suite("Targets are data")
struct TargetsTests {
    @Test func aNewDatabaseStartsWithTheServicesFiguresAndChangesAreAudited() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let store = Targets(f.db)
        #expect(try store.load() == .atService)
        try store.apply([.caseload(FinancialYear(startYear: 2020), people: 14_615), .satisfaction(FinancialYear(startYear: 2020), share: 0.91),
                         .commitment(.init(baseline: Day(iso: "2016-04-01")!, extraUsers: 7_500)), .removeSatisfaction(FinancialYear(startYear: 2016))],
                        now: Fixture.t0)
        let t = try store.load()
        #expect(t.caseload[FinancialYear(startYear: 2020)] == 14_615)
        #expect(t.satisfaction[FinancialYear(startYear: 2020)] == 0.91)
        #expect(t.satisfaction[FinancialYear(startYear: 2016)] == nil)
        #expect(t.commitment == .init(baseline: Day(iso: "2016-04-01")!, extraUsers: 7_500))
        #expect(try f.db.prepare("SELECT detail FROM audit WHERE action = 'target-set' ORDER BY id").all { $0.text(0) } == [
            "caseload 2020/21 = 14615", "satisfaction 2020/21 = 0.91", "commitment +7500 since 2016-04-01", "satisfaction 2016/17 removed",
        ])
        // All or nothing: a bad change sets nothing.
        #expect(throws: RegistryError.self) {
            try store.apply([.caseload(FinancialYear(startYear: 2021), people: 16_000), .satisfaction(FinancialYear(startYear: 2021), share: 1.2)], now: Fixture.t0)
        }
        #expect(try store.load().caseload[FinancialYear(startYear: 2021)] == nil)
    }

    /// A later year's trajectory set as data judges that year's caseload; SQL counts the people.
    @Test func aLaterYearsTargetJudgesItsCaseload() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        for i in 0..<10 { try f.person("P\(i)", periods: [("2019-0\(i % 9 + 1)-01", i < 3 ? "2020-06-30" : nil, i < 3 ? .died : nil)]) }
        try Targets(f.db).apply([.caseload(FinancialYear(startYear: 2020), people: 8)], now: Fixture.t0)
        let range = FinancialYear(startYear: 2020).range
        let year = try #require(try CaseloadQueries(f.db).report(range: range, baseline: range.first, by: nil, targets: try Targets(f.db).load()).rows.first)
        #expect(year.currentAtEnd == Int(try f.db.scalar("SELECT count(*) FROM service_periods WHERE start_date <= '2021-03-31' AND (end_date IS NULL OR end_date > '2021-03-31')")))
        #expect((year.currentAtEnd, year.target, year.rag) == (7, 8, .red))
    }
}

/// Alarms on the service's local days. Each instant is written out in UTC beside its London reading,
/// not derived with the code under test.
@Suite("Time zone of the reports")
struct ReportTimeZoneTests {
    static let london = TimeZone(identifier: "Europe/London")!

    @Test func londonDaysAcrossBothClockChangesOf2019() {
        let days = LocalDays(timeZone: Self.london, covering: DayRange(first: Day(iso: "2019-01-01")!, last: Day(iso: "2019-12-31")!))
        // 2019-03-31 01:00 UTC clocks go forward; 2019-10-27 01:00 UTC they go back.
        #expect(days.day(of: 1_561_937_400_000) == Day(iso: "2019-07-01"))   // 2019-06-30T23:30:00Z = 00:30 BST on 1 July
        #expect(days.day(of: 1_561_933_800_000) == Day(iso: "2019-06-30"))   // 2019-06-30T22:30:00Z = 23:30 BST on 30 June
        #expect(days.day(of: 1_577_835_000_000) == Day(iso: "2019-12-31"))   // 2019-12-31T23:30:00Z = 23:30 GMT
        #expect(days.startMillis(of: Day(iso: "2019-07-01")!) == 1_561_935_600_000)  // 2019-06-30T23:00:00Z
        #expect(days.startMillis(of: Day(iso: "2019-01-01")!) == 1_546_300_800_000)  // 2019-01-01T00:00:00Z
        #expect(days.startMillis(of: Day(iso: "2019-10-28")!) == 1_572_220_800_000)  // 2019-10-28T00:00:00Z, the day after the change back
        #expect(days.startMillis(of: Day(iso: "2019-10-27")!) == 1_572_130_800_000)  // 2019-10-26T23:00:00Z, still BST at midnight
    }

    @Test func anAlarmAtHalfPastMidnightBSTOnTheFirstOfJulyIsAQ2AlarmInLondon() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.person("A", careHome: "Beech House", periods: [("2019-01-01", nil, nil)])
        try f.db.prepare("""
            INSERT INTO alarm_history(user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home)
            VALUES ('A', 'button', 1, ?1, ?1 + 20000, ?1 + 600000, 'resolved-on-call', 'op-01', 0, 'Beech House')
            """).run([.int(1_561_937_400_000)])  // 2019-06-30T23:30:00Z
        let q1 = DayRange(first: Day(iso: "2019-04-01")!, last: Day(iso: "2019-06-30")!)
        let q2 = DayRange(first: Day(iso: "2019-07-01")!, last: Day(iso: "2019-09-30")!)
        func report(_ r: DayRange, _ zone: TimeZone) throws -> ResponseReport {
            try ResponseQueries(f.db).report(range: r, calendar: LocalDays(timeZone: zone, covering: r))
        }
        #expect(try report(q1, Self.london).total.alarms == 0)
        #expect(try report(q2, Self.london).total.alarms == 1)
        // Its home's months: July holds the alarm; every month of the quarter holds its resident.
        #expect(try report(q2, Self.london).careHomeMonths.filter { $0.alarms > 0 }.map(\.month) == ["2019-07"])
        #expect(try report(q2, Self.london).careHomeMonths.map(\.month) == ["2019-07", "2019-08", "2019-09"])
        #expect(try report(q2, Self.london).timeZone == "Europe/London")
        // A UTC calendar would put it in June, which is what Vigil did before.
        #expect(try report(q1, TimeZone(identifier: "UTC")!).total.alarms == 1)
        let table = ReportTables.response(try report(q2, Self.london))[0]
        #expect(table.notes == ["Alarms are counted on the local day they were raised, in Europe/London."])
    }
}
