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
        #expect(refused.error.contains("line 3: date_of_birth '1950-13-01' is not a date (YYYY-MM-DD)"))
        #expect(refused.error.contains("nothing was imported"))
        #expect(try f.db.scalar("SELECT count(*) FROM users WHERE id <> '~unidentified'") == 0)

        let kept = try runProgram(vigil, ["import", "users", users, "--db", db, "--skip-bad"])
        #expect(kept.status == 0)
        #expect(kept.output.contains("imported 2 users rows"))
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
}
