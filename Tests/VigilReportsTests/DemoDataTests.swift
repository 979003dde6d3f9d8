import Foundation
import Testing
import VigilCore
import VigilReports
import VigilTesting
@testable import VigilStore

@Suite("Demo history")
struct DemoDataTests {
    @Test func populationFollowsTheTrajectoryAndIsDeterministic() {
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        let one = DemoPopulation(rng: &a), two = DemoPopulation(rng: &b)
        #expect(one.people.count == two.people.count)
        #expect(one.people.map(\.birth) == two.people.map(\.birth))
        for (year, target) in [(2017, 8_615), (2018, 10_115), (2019, 11_615), (2020, 13_115)] {
            let n = one.current(on: Day(year: year, month: 3, day: 31)!)
            #expect(abs(Double(n - target)) <= 0.01 * Double(target), "31 March \(year): \(n) current users against \(target)")
        }
        // The stall of 2017/18: about 8,500 current at the end of November 2017, about 1,200 having
        // left since April, against a trajectory near 9,600 that day.
        let november = one.current(on: Day(year: 2017, month: 11, day: 30)!)
        #expect(abs(november - 8_500) <= 85, "30 November 2017: \(november) current users")
        let april = Day(year: 2017, month: 4, day: 1)!, end = Day(year: 2017, month: 11, day: 30)!
        let former = one.people.filter { p in
            p.periods.contains { $0.start <= end && ($0.end.map { $0 >= april } ?? true) }
                && !p.periods.contains { $0.start <= end && ($0.end.map { $0 > end } ?? true) }
        }.count
        #expect(former > 1_000 && former < 1_400, "\(former) former users since April 2017")
        let counter = CaseloadCounter(people: one.people.map { CaseloadCounter.Person(periods: $0.periods.map { ($0.start, $0.end) }) })
        let ratings = Set(counter.report(range: DemoPopulation.window, baseline: DemoPopulation.window.first, by: nil,
                                         targets: .atService, title: "").rows.compactMap(\.rag))
        #expect(ratings.isSuperset(of: [.red, .amber]), "the demo's caseload rows are rated \(ratings)")
    }

    /// The whole demo history in a real file, then the reports' JSON checked against SQL run here.
    @Test func demoDatabaseLandsOnTheTrajectoryAndReportsMatchSQL() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let summary = try DemoData(f.db).generate(seed: 2015, now: Fixture.t0)
        #expect(summary.people > 13_000)
        #expect(summary.alarms > 300_000)

        for (year, target) in [(2017, 8_615), (2018, 10_115), (2019, 11_615), (2020, 13_115)] {
            let day = "\(year)-03-31"
            let n = try f.db.scalar("""
                SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date <= ?1 AND (end_date IS NULL OR end_date >= ?1)
                """, [.text(day)])
            #expect(abs(Double(n) - Double(target)) <= 0.01 * Double(target), "31 March \(year): \(n) against \(target)")
        }
        // About one in ten people supported answers each year's survey, and satisfaction rises.
        let supported1920 = try f.db.scalar("SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date <= '2020-03-31' AND (end_date IS NULL OR end_date >= '2019-04-01')")
        let surveys1920 = try f.db.scalar("SELECT count(*) FROM survey_responses WHERE responded_on BETWEEN '2019-04-01' AND '2020-03-31'")
        #expect(Double(surveys1920) / Double(supported1920) > 0.08 && Double(surveys1920) / Double(supported1920) < 0.12)

        let range = DayRange(first: Day(iso: "2015-04-01")!, last: Day(iso: "2020-03-31")!)
        let report = try CaseloadQueries(f.db).report(range: range, baseline: range.first, by: nil, targets: .atService)
        // Why service ended: each period's reasons add up to the caseload's ends, and each is the SQL's.
        let leavers = LeaversReport(ends: try CaseloadQueries(f.db).ends(range: range), range: range)
        #expect(leavers.rows.map(\.ends) == report.rows.map(\.ends))
        for row in leavers.rows {
            #expect(row.byReason.values.reduce(0, +) == row.ends)
            let bounds: [SQLValue] = [.text(row.from.iso), .text(row.to.iso)]
            #expect(row.byReason["residential-care"] == Int(try f.db.scalar(
                "SELECT count(*) FROM service_periods WHERE end_date BETWEEN ?1 AND ?2 AND end_reason = 'residential-care'", bounds)))
            #expect(row.shortStays == Int(try f.db.scalar(
                "SELECT count(*) FROM service_periods WHERE end_date BETWEEN ?1 AND ?2 AND julianday(end_date) - julianday(start_date) + 1 < 120", bounds)))
        }
        #expect(leavers.rows.first { $0.period == "2019/20" }.map { $0.byReason["residential-care"]! > 0 } == true)
        // The bridge adds up on every period of the five years, and each figure is the SQL's, with
        // the day convention written out here: current at start = began before the first day and
        // not ended before it; current at end = began by the last day and its last day after it.
        #expect(report.rows.count == 25)
        for row in report.rows {
            #expect(row.currentAtStart + row.starts - row.ends == row.currentAtEnd, "\(row.period): \(row.currentAtStart) + \(row.starts) − \(row.ends) ≠ \(row.currentAtEnd)")
            let bounds: [SQLValue] = [.text(row.from.iso), .text(row.to.iso)]
            #expect(row.currentAtStart == Int(try f.db.scalar("""
                SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date < ?1 AND (end_date IS NULL OR end_date >= ?1)
                """, [bounds[0]])), "\(row.period) current at start")
            #expect(row.currentAtEnd == Int(try f.db.scalar("""
                SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date <= ?1 AND (end_date IS NULL OR end_date > ?1)
                """, [bounds[1]])), "\(row.period) current at end")
            #expect(row.starts == Int(try f.db.scalar("SELECT count(*) FROM service_periods WHERE start_date BETWEEN ?1 AND ?2", bounds)))
            #expect(row.ends == Int(try f.db.scalar("SELECT count(*) FROM service_periods WHERE end_date BETWEEN ?1 AND ?2", bounds)))
            let since = Int(try f.db.scalar("""
                SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date <= ?1 AND (end_date IS NULL OR end_date >= '2015-04-01')
                """, [bounds[1]]))
            #expect(row.supportedSinceBaseline == since)
            #expect(row.formerUsers == since - row.currentAtEnd)
            // The commitment: 6,000 more than the people current at the start of 1 April 2015.
            let atBaseline = Int(try f.db.scalar("""
                SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date < '2015-04-01' AND (end_date IS NULL OR end_date >= '2015-04-01')
                """))
            #expect(row.extraSinceCommitment == row.currentAtEnd - atBaseline)
            #expect(row.commitmentTarget == 6_000)
        }
        let caseload = try decode(try JSONRenderer.render(report))
        let rows = try #require(caseload["rows"] as? [[String: Any]])
        let year = try #require(rows.first { $0["period"] as? String == "2018/19" })
        #expect(year["target"] as? Int == 11_615)
        #expect(year["supported"] as? Int == Int(try f.db.scalar("""
            SELECT count(DISTINCT user_id) FROM service_periods WHERE start_date <= '2019-03-31' AND (end_date IS NULL OR end_date >= '2018-04-01')
            """)))
        #expect(year["former_users"] as? Int == (year["supported_since_baseline"] as? Int ?? 0) - (year["current_at_end"] as? Int ?? 0))

        let satisfaction = try decode(try JSONRenderer.render(try SatisfactionQueries(f.db).report(range: range, by: nil, targets: .atService)))
        let sRows = try #require(satisfaction["rows"] as? [[String: Any]])
        let all1718 = try #require(sRows.first { $0["period"] as? String == "2017/18" && $0["respondent"] as? String == "all" })
        #expect(all1718["responses"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM survey_responses WHERE responded_on BETWEEN '2017-04-01' AND '2018-03-31'")))
        #expect(all1718["satisfied"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM survey_responses WHERE responded_on BETWEEN '2017-04-01' AND '2018-03-31' AND overall >= 4")))

        // Local days in Europe/London: the five years run from 2015-03-31 23:00 UTC (midnight BST) to
        // 2020-03-31 23:00 UTC, written out rather than derived with the code under test.
        let inFiveYears = "raised_at >= 1427842800000 AND raised_at < 1585695600000"
        let london = LocalDays(timeZone: TimeZone(identifier: "Europe/London")!, covering: range)
        let response = try decode(try JSONRenderer.render(try ResponseQueries(f.db).report(range: range, calendar: london)))
        let total = try #require(response["total"] as? [String: Any])
        #expect(total["alarms"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE \(inFiveYears)")))
        #expect(total["within60s"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE \(inFiveYears) AND claimed_at - raised_at <= 60000")))
        #expect(total["within180s"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE \(inFiveYears) AND claimed_at - raised_at <= 180000")))
        #expect(total["answerable"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE \(inFiveYears) AND (claimed_at IS NOT NULL OR outcome NOT IN ('cancelled-at-device', 'cleared-at-device'))")))
        let claims = try f.db.prepare("SELECT (claimed_at - raised_at + 999) / 1000 FROM alarm_history WHERE \(inFiveYears) AND claimed_at IS NOT NULL ORDER BY 1").all { $0.int(0) }
        #expect(total["median_claim_seconds"] as? Int == Percentile.nearestRank(0.5, sorted: claims))
        #expect(total["p90_claim_seconds"] as? Int == Percentile.nearestRank(0.9, sorted: claims))
        let outcomes = try #require(response["outcomes"] as? [[String: Any]])
        // Every outcome the demo draws, the ones issue 14's questions need among them.
        for outcome in Outcome.allCases {
            let stored = Int(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE \(inFiveYears) AND outcome = ?", [.text(outcome.rawValue)]))
            #expect((outcomes.first { $0["outcome"] as? String == outcome.rawValue }?["alarms"] as? Int ?? 0) == stored, "\(outcome.rawValue)")
        }
        for drawn in [Outcome.ambulanceConveyed, .ambulanceNotConveyed, .admittedToHospital, .gpAppointment, .fallInjured, .fallNotInjured] {
            #expect(try f.db.scalar("SELECT count(*) FROM alarm_history WHERE outcome = ?", [.text(drawn.rawValue)]) > 100, "the demo draws \(drawn.rawValue)")
        }
        // Video support lowers ambulance call-outs in each home where it went live.
        let changes = try #require(response["care_home_changes"] as? [[String: Any]])
        let live = changes.filter { $0["video_support_from"] != nil }
        #expect(live.count == 3)
        for c in live {
            let before = try #require(c["per100_before"] as? Double), after = try #require(c["per100_after"] as? Double)
            #expect(after < before, "\(c["care_home"] ?? "?"): \(before) → \(after) per 100 alarms")
            let perResidentBefore = try #require(c["per100_resident_months_before"] as? Double)
            let perResidentAfter = try #require(c["per100_resident_months_after"] as? Double)
            #expect(perResidentAfter < perResidentBefore, "\(c["care_home"] ?? "?"): \(perResidentBefore) → \(perResidentAfter) per 100 resident-months")
        }
        // Two homes have telehealth; the last month of the five years counts them live.
        let homesLive = try #require(response["care_homes_live"] as? [[String: Any]])
        #expect(homesLive.count == 60)
        #expect(homesLive.last?["telehealth"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM care_homes WHERE telehealth_from <= '2020-03-31'")))
        #expect(homesLive.last?["video_support"] as? Int == Int(try f.db.scalar("SELECT count(*) FROM care_homes WHERE video_support_from <= '2020-03-31'")))
        #expect(homesLive.first?["telehealth"] as? Int == 0, "no home had telehealth in April 2015")
    }

    /// The board over the five-year demo, printed by headless Chromium: exactly one A4 page. And
    /// `--list` names the very people the figures count, checked against SQL.
    @Test func boardPrintsOnOneA4PageAndListNamesThePeopleCounted() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        _ = try DemoData(f.db).generate(seed: 2015, now: Fixture.t0)
        try f.db.checkpoint()
        let vigil = builtExecutable("vigil"), db = f.db.path

        let board = try runProgram(vigil, ["report", "board", "--db", db])
        #expect(board.status == 0, "\(board.error)")
        // The target is drawn after (over) the actual line, so it shows where the two are equal.
        let actual = try #require(board.output.range(of: "stroke-opacity=\"0.55\""))
        let target = try #require(board.output.range(of: "<polyline class=\"target\""))
        #expect(actual.lowerBound < target.lowerBound)
        #expect(board.output.contains("carers"))
        // Referrals by source on the board are what SQL counts for 2019/20 and the year before.
        let london = LocalDays(timeZone: TimeZone(identifier: "Europe/London")!, covering: DemoPopulation.window)
        let figures = try BoardQueries(f.db).figures(range: DemoPopulation.window, targets: .atService, calendar: london, amberBand: 0.05).referrals
        #expect(figures.period == "2019/20" && figures.sources.count == ReferralSource.allCases.count)
        for s in figures.sources {
            func count(_ from: String, _ to: String, urgent: Bool = false) throws -> Int {
                Int(try f.db.scalar("SELECT count(*) FROM referrals WHERE source = ? AND received_on BETWEEN ? AND ?\(urgent ? " AND urgent = 1" : "")",
                                    [.text(s.source.rawValue), .text(from), .text(to)]))
            }
            #expect(s.received == (try count("2019-04-01", "2020-03-31")), "\(s.source)")
            #expect(s.urgent == (try count("2019-04-01", "2020-03-31", urgent: true)), "\(s.source)")
            #expect(s.yearBefore == (try count("2018-04-01", "2019-03-31")), "\(s.source)")
            #expect(board.output.contains("<td>\(s.source.rawValue)</td>"))
        }
        #expect(figures.installation.map(\.urgency) == ["urgent", "urgent", "non-urgent"])
        let html = f.dir.file("board.html"), pdf = f.dir.file("board.pdf")
        try board.output.write(toFile: html, atomically: true, encoding: .utf8)
        let chromium = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "headless Chromium is needed to print the board (`make deps` installs the chromium package)")
        let printed = try runProgram(chromium, ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                                "--user-data-dir=\(f.dir.file("chromium"))", "--print-to-pdf=\(pdf)", "file://\(html)"])
        #expect(printed.status == 0, "\(printed.error)")
        let bytes = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pdf)), as: UTF8.self)
        // Every page object is "/Type /Page"; the page tree ("/Type /Pages") holds their count.
        let pages = bytes.components(separatedBy: "/Type /Page").count - 1 - (bytes.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages == 1, "the board printed on \(pages) pages")
        let box = try #require(bytes.firstMatch(of: /\/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]/))
        // A4 is 210 × 297 mm: 595.3 × 841.9 points.
        #expect(abs(Double(box.1)! - 595.3) < 1.5 && abs(Double(box.2)! - 841.9) < 1.5, "page is \(box.1) × \(box.2) points")

        func list(_ args: [String]) throws -> [String] {
            let r = try runProgram(vigil, ["report", "caseload", "--db", db, "--fy", "2019/20"] + args)
            #expect(r.status == 0, "\(r.error)")
            return r.output.split(separator: "\n").map(String.init)
        }
        let current = try list(["--list", "current"])
        let sqlCurrent = try f.db.prepare("""
            SELECT DISTINCT user_id FROM service_periods WHERE start_date <= '2020-03-31' AND (end_date IS NULL OR end_date > '2020-03-31') ORDER BY 1
            """).all { $0.text(0) }
        #expect(current.count > 13_000)
        #expect(current == sqlCurrent)
        let startsInArea = try list(["--list", "starts", "--by", "area", "--value", "3"])
        let sqlStarts = try f.db.prepare("""
            SELECT DISTINCT p.user_id FROM service_periods p JOIN users u ON u.id = p.user_id
            WHERE u.area = 3 AND p.start_date BETWEEN '2019-04-01' AND '2020-03-31' ORDER BY 1
            """).all { $0.text(0) }
        #expect(!startsInArea.isEmpty)
        #expect(startsInArea == sqlStarts)
        let former = try list(["--list", "former", "--baseline", "2015-04-01"])
        let sqlFormer = try f.db.prepare("""
            SELECT DISTINCT user_id FROM service_periods WHERE start_date <= '2020-03-31' AND (end_date IS NULL OR end_date >= '2015-04-01')
            EXCEPT SELECT user_id FROM service_periods WHERE start_date <= '2020-03-31' AND (end_date IS NULL OR end_date > '2020-03-31') ORDER BY 1
            """).all { $0.text(0) }
        #expect(former == sqlFormer)
    }

    func decode(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }
}
