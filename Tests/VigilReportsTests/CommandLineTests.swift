import Foundation
import Testing
import VigilCore
import VigilTesting
@testable import VigilStore

/// The `vigil` executable itself: import refusals with line numbers and exit codes, then reports.
@Suite("vigil import and vigil report")
struct CommandLineTests {
    @Test func importRefusesThenSkipsAndReportsCountWhatWasKept() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let db = f.dir.file("vigil.db")
        let users = try f.csv("users.csv", """
            id,name,area,date_of_birth,start_date,end_date,end_reason
            u1,Edith Clarke,3,1938-02-11,2017-04-01,,
            u2,Arthur Hughes,1,1950-13-01,2017-05-01,,
            u3,Joan Walsh,2,1941-07-30,2017-07-05,2017-09-20,no-longer-needed

            """)
        let vigil = builtExecutable("vigil")

        let refused = try runProgram(vigil, ["import", "users", users, "--db", db])
        #expect(refused.status != 0)
        #expect(refused.error.contains("line 3: date_of_birth '1950-13-01' is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
        #expect(refused.error.contains("nothing was imported"))
        #expect(try f.db.scalar("SELECT count(*) FROM users WHERE id <> '~unidentified'") == 0)

        let kept = try runProgram(vigil, ["import", "users", users, "--db", db, "--skip-bad"])
        #expect(kept.status == 0)
        #expect(kept.output.contains("imported 2 users rows"))
        #expect(kept.output.contains("2 new, 0 updated, 0 started again, 0 ended, 0 unchanged, 1 refused"))
        #expect(kept.output.contains("line 3: date_of_birth"))

        let json = try runProgram(vigil, ["report", "caseload", "--db", db, "--fy", "2017/18", "--format", "json"])
        #expect(json.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        // u1 from 1 April; u3 starts and ends in Q2: the year has 2 starts, 1 end, 1 current at its end.
        #expect(rows.first?["period"] as? String == "2017/18")
        #expect(rows.first?["starts"] as? Int == 2)
        #expect(rows.first?["ends"] as? Int == 1)
        #expect(rows.first?["current_at_end"] as? Int == 1)

        let csv = try runProgram(vigil, ["report", "caseload", "--db", db, "--fy", "2017/18", "--by", "area", "--format", "csv"])
        #expect(csv.output.split(separator: "\r\n").first?.hasPrefix("Period,From,To,area,") == true)

        let html = try runProgram(vigil, ["report", "board", "--db", db, "--fy", "2017/18"])
        #expect(html.status == 0)
        #expect(html.output.hasPrefix("<!DOCTYPE html>"))
        #expect(html.output.components(separatedBy: "<svg").count - 1 >= 1)

        let bad = try runProgram(vigil, ["report", "response", "--db", db, "--fy", "2017-2018"])
        #expect(bad.status != 0)
        #expect(bad.error.contains("is not a financial year"))
    }

    @Test func usersLifecycleTargetsDryRunAndOneTablePerCSV() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let db = f.dir.file("vigil.db")
        let vigil = builtExecutable("vigil")
        func run(_ args: [String]) throws -> (status: Int32, output: String, error: String) {
            let r = try runProgram(vigil, args + ["--db", db])
            return (r.status, r.output, r.error)
        }
        #expect(try run(["users", "add", "--id", "u1", "--name", "Edith Clarke", "--area", "3", "--start", "14/03/2017"]).status == 0)
        #expect(try run(["users", "update", "--id", "u1", "--area", "5", "--group", "dementia"]).status == 0)
        let early = try run(["users", "end", "--id", "u1", "--date", "2017-01-01", "--reason", "died"])
        #expect(early.status != 0 && early.error.contains("cannot end on 2017-01-01, before it began"))
        #expect(try run(["users", "end", "--id", "u1", "--date", "2018-03-31", "--reason", "residential-care"]).status == 0)
        #expect(try run(["users", "show", "--id", "u1"]).output.contains("2017-03-14  2018-03-31  residential-care"))
        #expect(try f.db.scalar("SELECT area FROM users WHERE id = 'u1'") == 5)

        let export = try f.csv("export.csv", "Id,Name,Start Date,End Date,End Reason\nu1,Edith Clarke,14/03/2017,31/03/2018,Residential-Care\nu2,Arthur Hughes,2017-05-01,,\n")
        let dry = try run(["import", "users", export, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.output.contains("nothing stored: 1 new, 0 updated, 0 started again, 0 ended, 1 unchanged, 0 refused"))
        #expect(dry.output.contains("line 3: u2 new"))
        #expect(try f.db.scalar("SELECT count(*) FROM users WHERE id <> '~unidentified'") == 1)

        #expect(try run(["targets", "set", "--caseload", "2017/18=2", "--satisfaction", "2017/18=91"]).status == 0)
        let bad = try run(["targets", "set", "--caseload", "2017/18=lots"])
        #expect(bad.status != 0 && bad.error.contains("a whole number, like 2020/21=14615"))
        #expect(try run(["targets", "list"]).output.contains("2017/18"))
        let json = try run(["report", "caseload", "--fy", "2017/18", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((report["rows"] as? [[String: Any]])?.first?["target"] as? Int == 2)

        // The response report has seven tables: a CSV holds one.
        let six = try run(["report", "response", "--fy", "2017/18", "--format", "csv"])
        #expect(six.status != 0 && six.error.contains("give --table NAME (by-type, outcomes, outcomes-by-type, operators, care-homes, care-home-months, care-homes-live, answer-times, mobile-response)"))
        let one = try run(["report", "response", "--fy", "2017/18", "--format", "csv", "--table", "outcomes"])
        #expect(one.status == 0 && one.output.hasPrefix("Outcome,Alarms,Share\r\n") && !one.output.contains("#"))
        let dir = f.dir.file("csv")
        #expect(try run(["report", "response", "--fy", "2017/18", "--out", dir]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
            "answer-times.csv", "by-type.csv", "care-home-months.csv", "care-homes-live.csv", "care-homes.csv", "mobile-response.csv", "operators.csv", "outcomes-by-type.csv", "outcomes.csv"])
        let wrong = try run(["report", "caseload", "--fy", "2017/18", "--table", "nope"])
        #expect(wrong.status != 0 && wrong.error.contains("this report's tables are caseload"))
    }

    /// Without --start, a person is supported from today in the service's zone: Kiribati (UTC+14) and
    /// American Samoa (UTC−11) are 25 hours apart, so their todays are never the same day.
    @Test func usersAddStartsTodayInTheGivenZone() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let vigil = builtExecutable("vigil")
        func today(_ zone: String) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: zone)!
            let c = calendar.dateComponents([.year, .month, .day], from: Date())
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        var started: [String] = []
        for (id, zone) in [("east", "Pacific/Kiritimati"), ("west", "Pacific/Pago_Pago")] {
            let before = today(zone)
            let r = try runProgram(vigil, ["users", "add", "--db", f.dir.file("vigil.db"), "--id", id, "--name", "Test Person", "--timezone", zone])
            #expect(r.status == 0)
            let day = try #require(r.output.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
            #expect(day == before || day == today(zone))
            started.append(day)
        }
        #expect(started[0] > started[1])
        let bad = try runProgram(vigil, ["users", "add", "--db", f.dir.file("vigil.db"), "--id", "u9", "--name", "X", "--timezone", "Mars/Olympus"])
        #expect(bad.status != 0 && bad.error.contains("--timezone 'Mars/Olympus' is not a time zone Vigil knows"))
    }

    /// An administrator records a hospital stay and puts a device away, from the command line.
    @Test func usersStatusAndDevicesSuspendResume() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let vigil = builtExecutable("vigil")
        let db = f.dir.file("vigil.db")
        func run(_ args: [String]) throws -> (status: Int32, output: String, error: String) {
            let r = try runProgram(vigil, args + ["--db", db])
            return (r.status, r.output, r.error)
        }
        #expect(try run(["users", "add", "--id", "u1", "--name", "Edith Clarke", "--start", "2026-01-05"]).status == 0)
        #expect(try run(["devices", "add", "--id", "hub-1", "--user", "u1", "--type", "hub", "--heartbeat", "600"]).status == 0)
        #expect(try run(["users", "status", "--id", "u1"]).output == "u1: at home\n")
        let set = try run(["users", "status", "--id", "u1", "--set", "hospital", "--since", "01/12/2026", "--note", "Ward 7, RVI"])
        #expect(set.status == 0 && set.output.contains("u1 recorded in hospital since 2026-12-01"))
        #expect(try run(["users", "status", "--id", "u1"]).output == "u1: in hospital since 2026-12-01: Ward 7, RVI\n")
        let stray = try run(["users", "status", "--id", "u1", "--set", "home", "--note", "back"])
        #expect(stray.status != 0 && stray.error.contains("--since and --note go with --set away or --set hospital"))
        let nobody = try run(["users", "status", "--id", "u9", "--set", "away"])
        #expect(nobody.status != 0 && nobody.error.contains("u9"))
        #expect(try run(["users", "status", "--id", "u1", "--set", "home"]).output.contains("u1 is at home again"))
        #expect(try run(["users", "status", "--id", "u1"]).output == "u1: at home\n")

        #expect(try run(["devices", "suspend", "--id", "hub-1", "--reason", "sent for repair"]).status == 0)
        #expect(try run(["devices", "list"]).output.contains("suspended: sent for repair"))
        let twice = try run(["devices", "suspend", "--id", "hub-1", "--reason", "again"])
        #expect(twice.status != 0 && twice.error.contains("already suspended"))
        #expect(try run(["devices", "resume", "--id", "hub-1"]).status == 0)
        #expect(try run(["devices", "list"]).output.contains("supervised"))
        #expect(try f.db.scalar("SELECT count(*) FROM audit WHERE action IN ('status-set', 'status-cleared', 'device-suspended', 'device-resumed')") == 4)
    }
}
