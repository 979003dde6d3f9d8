import Foundation
import Testing
import VigilCore
import VigilReports
import VigilTesting
@testable import VigilStore

@Suite("Referrals and time to installation")
struct ReferralTests {
    static func day(_ s: String) -> Day { Day(iso: s)! }

    /// Worked by hand on a calendar: weekends and England's bank holidays are not working days.
    @Test(arguments: [
        ("2019-12-20", "2019-12-20", 0),  // installed the day it came in
        ("2019-12-20", "2019-12-23", 1),  // Friday to Monday
        ("2019-12-20", "2019-12-24", 2),
        ("2019-12-20", "2019-12-27", 3),  // Christmas Day and Boxing Day skipped
        ("2019-04-18", "2019-04-23", 1),  // Good Friday and Easter Monday skipped
        ("2020-05-07", "2020-05-11", 1),  // the VE Day holiday of 2020 (Friday 8 May) skipped
        ("2022-09-16", "2022-09-20", 1),  // the state funeral (Monday 19 September 2022) skipped
    ])
    func workingDaysSkipWeekendsAndBankHolidays(from: String, to: String, expected: Int) {
        #expect(WorkingDays.between(Self.day(from), Self.day(to)) == expected)
    }

    @Test func importIsAnUpsertAndTheReportCountsWhatSQLCounts() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try f.person("u1", periods: [("2019-04-01", nil, nil)])
        let first = try f.csv("referrals.csv", """
            ID,Received Date,Source,Groups,Urgent,Outcome,Installed Date,User Id
            r1,20/12/2019,Hospital,hospital;LTC,yes,,23/12/2019,u1
            r2,2019-12-20,gp,dementia,yes,,2019-12-27,
            r3,2019-12-02,self,ltc,no,declined,,
            r4,2020-01-06,social-care,dementia,no,,,
            r5,2020-01-10,family,residential,no,,2020-01-24,

            """)
        func run(_ path: String, dryRun: Bool = false) throws -> ImportResult {
            let (header, rows) = try CSVImportFile.read(path)
            return try Importer(f.db).run(.referrals, header: header, rows: rows, skipBad: false, dryRun: dryRun, now: Fixture.t0)
        }
        #expect(try run(first).changes.count == 5)
        #expect(try run(first).changes.isEmpty, "the same file twice changes nothing")
        // The next export: r4 is now installed; r3's outcome cannot be changed by import.
        let next = try f.csv("next.csv", "id,received_date,source,installed_date\nr4,2020-01-06,social-care,2020-01-08\n")
        #expect(try run(next, dryRun: true).changes.map(\.description) == ["line 2: r4 updated (outcome, installed_date)"])
        _ = try run(next)
        let changed = try f.csv("changed.csv", "id,received_date,source,outcome\nr3,2019-12-02,self,installed\n")
        let refused = #expect(throws: ImportRejected.self) { try run(changed) }
        #expect(refused?.problems.first?.message.contains("installed_date is empty") == true)
        let bad = try f.csv("bad.csv", "id,received_date,source,installed_date\nr9,2020-01-06,post,2020-01-01\n")
        let why = #expect(throws: ImportRejected.self) { try run(bad) }
        #expect(why?.problems.map(\.message).joined(separator: "; ").contains("source 'post'") == true)
        #expect(why?.problems.map(\.message).joined(separator: "; ").contains("before received_date") == true)
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action LIKE 'referral-%'") == 6)

        let range = DayRange(first: Self.day("2019-04-01"), last: Self.day("2020-03-31"))
        let report = ReferralReport(referrals: try ReferralQueries(f.db).load(range: range), range: range, targets: .atService)
        // Each month's and group's counts are the SQL's.
        for row in report.months {
            let filter = row.group == "all" ? "" : "AND id IN (SELECT referral_id FROM referral_groups WHERE referral_group = '\(row.group)')"
            let sql = "SELECT count(*), sum(urgent), sum(outcome = 'installed'), sum(outcome = 'declined'), sum(outcome IS NULL) FROM referrals "
                + "WHERE substr(received_on, 1, 7) = ?1 \(filter)"
            let expected = try f.db.prepare(sql).all([.text(row.month)]) { [$0.int(0), $0.int(1), $0.int(2), $0.int(3), $0.int(4)] }.first
            #expect([row.received, row.urgent, row.installed, row.declined, row.open] == expected, "\(row.month) \(row.group)")
        }
        #expect(report.months.first { $0.month == "2019-12" && $0.group == "all" }?.received == 3)
        #expect(report.months.first { $0.month == "2019-12" && $0.group == "ltc" }?.received == 2, "r1 counts under both its groups")
        // Urgent: r1 took 1 working day, r2 took 3 (Christmas). Within 2: 1 of 2; within 5: both.
        let urgent2 = try #require(report.installation.first { $0.urgency == "urgent" && $0.target == 0.9 })
        #expect(urgent2.installed == 2 && urgent2.within == 1 && urgent2.share == 0.5)
        #expect(urgent2.tooFew && urgent2.rag == nil, "two installations are too few to rate")
        #expect(urgent2.medianWorkingDays == 1 && urgent2.p90WorkingDays == 3)
        let urgent5 = try #require(report.installation.first { $0.urgency == "urgent" && $0.target == 1.0 })
        #expect(urgent5.within == 2)
        // Non-urgent: r4 took 2 working days, r5 10 (10 January to 24 January).
        let routine = try #require(report.installation.first { $0.urgency == "non-urgent" })
        #expect(routine.installed == 2 && routine.within == 2 && routine.p90WorkingDays == 10)

        // The command line writes the two tables, one CSV each.
        let vigil = builtExecutable("vigil")
        let csv = try runProgram(vigil, ["report", "referrals", "--db", f.db.path, "--fy", "2019/20", "--table", "installation", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.error)")
        #expect(csv.output.hasPrefix("Period,Urgency,Standard,Installed,Within standard,Share within,Target,RAG"))
        #expect(csv.output.contains("2019/20,urgent,TSA: 9 in 10 urgent within 2 working days,2,1,0.5000,0.9000,too few,1,3"))
    }
}
