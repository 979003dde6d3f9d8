import Foundation
import Testing
import VigilCore
@testable import VigilStore

/// Care homes with their go-live days and a previous system's alarms, imported from CSV, then read
/// back by the response report: ambulance call-outs per resident-month before and after video
/// support, and how many homes were live each month.
@Suite("Care homes and imported alarm history")
struct CareHomeHistoryTests {
    static let london = TimeZone(identifier: "Europe/London")!

    func run(_ f: Fixture, _ kind: ImportKind, _ text: String, dryRun: Bool = false) throws -> ImportResult {
        let (header, rows) = try CSVImportFile.read(try f.csv("\(kind.rawValue).csv", text))
        return try Importer(f.db).run(kind, header: header, rows: rows, skipBad: false, dryRun: dryRun, now: Fixture.t0, timeZone: Self.london)
    }

    /// Oakwood: u1 all summer, u2 for the second half of July; Beech House: u3 from 15 June; u4 at home.
    func history(_ f: Fixture) throws {
        _ = try run(f, .users, """
            id,name,care_home,start_date,end_date,end_reason
            u1,Edith Clarke,Oakwood,2019-06-01,,
            u2,Arthur Hughes,Oakwood,2019-07-16,2019-07-31,residential-care
            u3,Doris Khan,Beech House,2019-06-15,,
            u4,Joan Walsh,,2019-05-01,,

            """)
        #expect(try run(f, .carehomes, "Name,Video Support From,Telehealth From\nOakwood,16/07/2019,2019-08-01\nLarch Grange,,\n").changes.map(\.description)
                == ["line 2: Oakwood updated (video_support_from, telehealth_from)", "line 3: Larch Grange new"])
        _ = try run(f, .alarms, Self.alarms)
    }

    static let alarms = """
        id,user_id,type,raised_at,claimed_at,resolved_at,outcome,priority,operator
        PX-1,u1,Fall,01/07/2019 00:30,01/07/2019 00:30:40,01/07/2019 01:30,ambulance-conveyed,,op-1
        PX-2,u1,button,2019-07-20 14:00:00,2019-07-20 14:00:20,2019-07-20 14:10,resolved-on-call,,op-2
        PX-3,u2,fall,2019-07-25T10:00:00+01:00,,2019-07-25T11:00:00+01:00,ambulance-not-conveyed,,
        PX-4,u3,button,15/06/2019 09:00,15/06/2019 09:00:30,15/06/2019 09:05,ambulance,2,op-1
        PX-5,u4,door,2019-08-02 03:00,2019-08-02 03:00:10,2019-08-02 03:20,responder-sent,,

        """

    @Test(arguments: [
        ("2019-07-01 00:30", 1_561_937_400_000),       // BST: 23:30 UTC the day before
        ("01/07/2019 00:30:40", 1_561_937_440_000),
        ("2019-07-01T00:30:15.5+01:00", 1_561_937_415_500),
        ("2019-06-30T23:30:00Z", 1_561_937_400_000),
        ("2019-10-27 01:30", 1_572_139_800_000),       // the hour the clocks go back: the second one (GMT)
        ("2019-03-31 01:30", 1_553_995_800_000),       // skipped by the clocks: an hour later, 02:30 BST
    ] as [(String, Int64)])
    func readsTheTimesExportsWrite(text: String, millis: Int64) {
        #expect(RowReader.parseInstant(text, zone: Self.london) == millis)
    }

    @Test(arguments: ["2019-07-01", "2019-07-01 25:00", "2019-07-01 10:61", "2019-07-01 10:00+1", "13/13/2019 10:00", "2019-07-01 10:00 pm"])
    func refusesWhatIsNotATime(text: String) {
        #expect(RowReader.parseInstant(text, zone: Self.london) == nil)
    }

    @Test func importedAlarmsAreStoredOnceInUTCWithDefaultsFilledIn() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try history(f)
        let px1 = try f.db.prepare("SELECT raised_at, claimed_at, priority, care_home, outcome FROM alarm_history WHERE import_ref = 'PX-1'")
            .all { "\($0.int64(0)) \($0.int64(1)) P\($0.int(2)) \($0.text(3)) \($0.text(4))" }
        #expect(px1 == ["1561937400000 1561937440000 P1 Oakwood ambulance-conveyed"], "local BST time, triage's priority for a fall, the person's home")
        #expect(try f.db.scalar("SELECT priority FROM alarm_history WHERE import_ref = 'PX-4'") == 2, "a priority the export gives is kept")
        #expect(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE import_ref = 'PX-5' AND care_home IS NULL") == 1)
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action = 'alarm-imported'") == 5)
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action = 'care-home-imported'") == 1)

        // The same export again stores nothing and audits nothing.
        let audits = try f.db.scalar("SELECT count(*) FROM audit")
        #expect(try run(f, .alarms, Self.alarms).changes.isEmpty)
        #expect(try run(f, .carehomes, "name,video_support_from,telehealth_from\nOakwood,16/07/2019,2019-08-01\nLarch Grange,,\n").changes.isEmpty)
        #expect(try run(f, .carehomes, "name,video_support_from\nOakwood,\n").changes.isEmpty, "an empty cell keeps the stored day")
        #expect(try f.db.scalar("SELECT count(*) FROM alarm_history") == 5)
        #expect(try f.db.scalar("SELECT count(*) FROM audit") == audits)

        // History is not rewritten, and each bad row says what is wrong.
        let bad = """
            id,user_id,type,raised_at,claimed_at,resolved_at,outcome
            PX-1,u1,fall,01/07/2019 00:30,,01/07/2019 02:00,ambulance-conveyed
            PX-9,u1,fall,2019-07-01 25:00,,2019-07-01 10:00,ambulance-conveyed
            PX-10,u1,fall,2019-07-01 10:00,2019-07-01 10:05,2019-07-01 09:00,ambulance-conveyed
            PX-11,nobody,fall,2019-07-01 10:00,,2019-07-01 11:00,ambulance
            PX-12,u1,falling,2019-07-01 10:00,,2019-07-01 11:00,ambulance
            PX-13,u1,fall,2031-07-01 10:00,,2031-07-01 11:00,ambulance
            PX-13,u1,fall,2019-07-01 10:00,,2019-07-01 11:00,ambulance

            """
        let refused = try #require(throws: ImportRejected.self) { try run(f, .alarms, bad) }
        let said = Dictionary(refused.problems.map { ($0.line, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(said[2]?.contains("alarm PX-1 is already imported with a different claimed_at, resolved_at") == true, "\(said[2] ?? "")")
        #expect(said[3]?.contains("raised_at '2019-07-01 25:00' is not a date and time") == true)
        #expect(said[4]?.contains("resolved_at 2019-07-01 09:00 is before raised_at 2019-07-01 10:00") == true)
        #expect(said[4]?.contains("claimed_at 2019-07-01 10:05 is after resolved_at") == true)
        #expect(said[5]?.contains("user_id 'nobody' is not a registered person") == true)
        #expect(said[6]?.contains("type 'falling' is not one of") == true)
        #expect(said[7]?.contains("is in the future") == true)
        #expect(said[8]?.contains("this row appears twice in the file") == true)
        #expect(try f.db.scalar("SELECT count(*) FROM alarm_history") == 5, "a refused file stores nothing")
    }

    @Test func theResponseReportCountsResidentMonthsAndHomesLive() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try history(f)
        let range = DayRange(first: Day(iso: "2019-06-01")!, last: Day(iso: "2019-08-31")!)
        let report = try ResponseQueries(f.db).report(range: range, calendar: LocalDays(timeZone: Self.london, covering: range))
        #expect(report.total.alarms == 5)

        // Oakwood: u1 all three months; u2 16 of July's 31 days. Video support from 16 July splits July.
        let oak = try #require(report.careHomeChanges.first { $0.careHome == "Oakwood" })
        #expect(oak.videoSupportFrom == Day(iso: "2019-07-16") && oak.telehealthFrom == Day(iso: "2019-08-01"))
        #expect((oak.alarmsBefore, oak.ambulancesBefore, oak.alarmsAfter, oak.ambulancesAfter) == (1, 1, 2, 1),
                "PX-1 at 00:30 BST on 1 July is before; PX-2 and PX-3 after")
        #expect(abs(oak.residentMonthsBefore - (1 + 15.0 / 31)) < 1e-9)
        #expect(abs(oak.residentMonthsAfter - (16.0 / 31 + 16.0 / 31 + 1)) < 1e-9)
        #expect(abs(oak.per100ResidentMonthsBefore! - 100 / (1 + 15.0 / 31)) < 1e-9)
        #expect(abs(oak.per100ResidentMonthsAfter! - 100 / (1 + 32.0 / 31)) < 1e-9)
        let beech = try #require(report.careHomeChanges.first { $0.careHome == "Beech House" })
        #expect(beech.videoSupportFrom == nil && beech.residentMonthsAfter == 0 && beech.ambulancesBefore == 1)
        #expect(abs(beech.residentMonthsBefore - (16.0 / 30 + 2)) < 1e-9)
        #expect(report.careHomeChanges.first { $0.careHome == "Larch Grange" }?.residentMonthsBefore == 0, "a home with no residents is listed at zero")

        let months = report.careHomeMonths.map { "\($0.careHome) \($0.month) \($0.alarms)/\($0.ambulances) v\($0.videoSupport ? 1 : 0) t\($0.telehealth ? 1 : 0)" }
        #expect(months == ["Beech House 2019-06 1/1 v0 t0", "Beech House 2019-07 0/0 v0 t0", "Beech House 2019-08 0/0 v0 t0",
                           "Oakwood 2019-06 0/0 v0 t0", "Oakwood 2019-07 3/2 v0 t0", "Oakwood 2019-08 0/0 v1 t1"],
                "months bucket in London time: PX-1 is a July alarm")
        #expect(abs(report.careHomeMonths.first { $0.careHome == "Oakwood" && $0.month == "2019-07" }!.residentMonths - (1 + 16.0 / 31)) < 1e-9)
        #expect(report.careHomesLive == [
            CareHomesLiveRow(month: "2019-06", homes: 3, videoSupport: 0, telehealth: 0),
            CareHomesLiveRow(month: "2019-07", homes: 3, videoSupport: 1, telehealth: 0),
            CareHomesLiveRow(month: "2019-08", homes: 3, videoSupport: 1, telehealth: 1),
        ])
        // The same figures from SQL over what the import stored.
        #expect(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE care_home = 'Oakwood' AND outcome LIKE 'ambulance%' AND raised_at >= 1563231600000")
                == Int64(oak.ambulancesAfter), "after 16 July 00:00 BST")
    }
}
