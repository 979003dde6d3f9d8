import Testing
import VigilCore
import VigilReports
@testable import VigilStore

@Suite("Satisfaction report")
struct SatisfactionReportTests {
    @Test func usersCarersAndBothWithIntervalAndTarget() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        for id in ["A", "B", "C", "D"] { try f.person(id, area: id < "C" ? 1 : 2, periods: [("2016-01-01", nil, nil)]) }
        try f.survey("A", "2018-03-31", .user, 5)   // last day of 2017/18: counts in 2017/18
        try f.survey("B", "2018-03-31", .carer, 4)
        try f.survey("C", "2017-08-01", .user, 2)   // not satisfied: 2 of 5
        try f.survey("D", "2018-04-01", .user, 4)   // first day of 2018/19
        try f.survey("C", "2017-04-01", .carer, 3)  // first day of 2017/18, not satisfied
        var anySample = ServiceTargets.atService
        anySample.minimumSample = 1
        let r = try SatisfactionQueries(f.db).report(range: FinancialYear(startYear: 2017).range, by: nil, targets: anySample)
        #expect(r.rows.map(\.respondent) == ["user", "carer", "all"])
        let user = r.rows[0], carer = r.rows[1], all = r.rows[2]
        #expect((user.responses, user.satisfied) == (2, 1))
        #expect((carer.responses, carer.satisfied) == (2, 1))
        #expect((all.responses, all.satisfied) == (4, 2))
        #expect(all.share == 0.5)
        #expect(all.target == 0.87)
        #expect(all.rag == .red)
        // Wilson 2 of 4, z = 1.96: (0.5 + 0.4802 ∓ 1.96·√((0.25 + 0.2401)/4)) / 1.9604 = 0.1500 … 0.8500.
        #expect(abs(all.lower! - 0.1500) < 0.0005)
        #expect(abs(all.upper! - 0.8500) < 0.0005)

        let next = try SatisfactionQueries(f.db).report(range: FinancialYear(startYear: 2018).range, by: .area, targets: anySample)
        #expect(next.rows.map(\.breakdown) == ["2", "2", "2"])
        #expect(next.rows.map(\.responses) == [1, 0, 1])
        #expect(next.rows[2].rag == .green)
    }

    /// 6 responses, 4 satisfied: the 95 % interval is about 30–90 %, so no RAG; 30 responses get one.
    @Test func belowTheMinimumSampleTheRatingIsWithheldAsTooFew() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        for i in 0..<36 { try f.person("P\(i)", area: i < 6 ? 1 : 2, periods: [("2016-01-01", nil, nil)]) }
        for i in 0..<36 { try f.survey("P\(i)", "2017-06-01", .user, i % 3 == 0 ? 2 : 5) }
        let r = try SatisfactionQueries(f.db).report(range: FinancialYear(startYear: 2017).range, by: .area, targets: .atService)
        let small = try #require(r.rows.first { $0.breakdown == "1" && $0.respondent == "user" })
        let big = try #require(r.rows.first { $0.breakdown == "2" && $0.respondent == "user" })
        #expect(small.responses == Int(try f.db.scalar("SELECT count(*) FROM survey_responses s JOIN users u ON u.id = s.user_id WHERE u.area = 1")))
        #expect((small.responses, small.satisfied) == (6, 4))
        #expect(small.tooFew && small.rag == nil)
        #expect(big.responses == 30 && !big.tooFew)
        #expect(big.rag == RAG.rate(actual: 20.0 / 30, target: 0.87))
        let table = ReportTables.satisfaction(r)[0]
        let smallRow = try #require(table.rows.first { $0[1] == "1" && $0[2] == "user" })
        #expect(smallRow.last == "too few")
        #expect(table.notes.contains { $0.contains("at least 30 responses") })
    }

    @Test func anEmptyYearHasRowsOfZerosAndNoRating() throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let r = try SatisfactionQueries(f.db).report(range: FinancialYear(startYear: 2019).range, by: nil, targets: .atService)
        #expect(r.rows.count == 3)
        #expect(r.rows.allSatisfy { $0.responses == 0 && $0.share == nil && $0.rag == nil && $0.lower == nil })
    }
}
