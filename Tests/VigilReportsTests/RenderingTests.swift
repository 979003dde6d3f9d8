import Foundation
import Testing
import VigilCore
import VigilReports

@Suite("Rendering")
struct RenderingTests {
    static let year = ReportPeriod(label: "2019/20", kind: .year, range: FinancialYear(startYear: 2019).range)

    static func caseload() -> CaseloadReport {
        let row = CaseloadRow(period: year, breakdown: nil, currentAtStart: 11_619, currentAtEnd: 12_400, starts: 3_915, ends: 3_134,
                              supported: 15_476, supportedSinceBaseline: 15_476, target: 13_115, rag: .amber)
        return CaseloadReport(title: "Caseload", from: year.range.first, to: year.range.last, baseline: year.range.first, by: nil,
                              amberBand: 0.05, rows: [row])
    }

    @Test func textTablesFormatNumbersForPeople() {
        let text = TextRenderer.render(ReportTables.caseload(Self.caseload()))
        #expect(text.contains("2019/20"))
        #expect(text.contains("12,400"))
        #expect(text.contains("13,115"))
        #expect(text.contains("AMBER"))
    }

    @Test func csvHasRawNumbersAndQuotesWhatNeedsIt() {
        let csv = CSVRenderer.render(ReportTables.caseload(Self.caseload(), raw: true)[0])
        let lines = csv.components(separatedBy: "\r\n")
        // Stable headers (no dates in them), the bridge's columns in the order it adds up, no notes.
        #expect(lines[0] == "Period,From,To,Current at start,Starts,Ends,Current at end,Supported in period,Supported since baseline,Former users,Target,RAG")
        #expect(lines[1] == "2019/20,2019-04-01,2020-03-31,11619,3915,3134,12400,15476,15476,3076,13115,amber")
        #expect(lines.count == 3 && lines[2].isEmpty)
        let quoted = CSVRenderer.render(ReportTable(title: "t", header: ["a", "b"], rows: [["Beech House, Annexe", "say \"hi\""]]))
        #expect(quoted == "a,b\r\n\"Beech House, Annexe\",\"say \"\"hi\"\"\"\r\n")
    }

    @Test func jsonUsesSnakeCaseAndIsoDates() throws {
        let json = try JSONRenderer.render(Self.caseload())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["baseline"] as? String == "2019-04-01")
        let row = try #require((object["rows"] as? [[String: Any]])?.first)
        #expect(row["current_at_end"] as? Int == 12_400)
        #expect(row["supported_since_baseline"] as? Int == 15_476)
        #expect(row["rag"] as? String == "amber")
        #expect(row["from"] as? String == "2019-04-01")
        // And back: the report decodes from its own JSON.
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(CaseloadReport.self, from: Data(json.utf8)) == Self.caseload())
    }

    @Test func htmlIsOneSelfContainedPageWithChartsAndColouredRatings() {
        let satisfaction = SatisfactionReport(title: "Satisfaction", from: Self.year.range.first, to: Self.year.range.last, by: nil, amberBand: 0.05, rows: [
            SatisfactionRow(period: Self.year, breakdown: nil, respondent: "all", responses: 1_602, satisfied: 1_440, target: 0.90, amberBand: 0.05),
        ])
        let response = ResponseReport(
            title: "Alarm response", from: Self.year.range.first, to: Self.year.range.last,
            total: ResponseStats(alarms: 10, answerable: 10, claim: [(12, 9), (75, 1)], resolve: [(5, 10)], escalatedAlarms: 0, escalations: 0),
            byTypeAndPriority: [], outcomes: [], operators: [], careHomeMonths: [], careHomeChanges: [],
            answerTimes: TimeBin.distribution([(12, 9), (75, 1)]))
        var quarters = Self.caseload()
        for q in 1...4 {
            let p = ReportPeriod(label: "2019/20 Q\(q)", kind: .quarter, range: FinancialYear(startYear: 2019).quarter(q))
            quarters.rows.append(CaseloadRow(period: p, breakdown: nil, currentAtStart: 11_000 + q * 300, currentAtEnd: 11_300 + q * 300, starts: 0, ends: 0,
                                             supported: 0, supportedSinceBaseline: 0, target: 11_615 + q * 375, rag: .amber))
        }
        // Two people in area 1 and one in area 2; the months come from the counter itself.
        let counter = CaseloadCounter(people: [
            .init(id: "u1", periods: [(Day(iso: "2018-06-01")!, nil)], area: 1, groups: [.dementia]),
            .init(id: "u2", periods: [(Day(iso: "2019-05-10")!, Day(iso: "2019-08-31")!)], area: 1),
            .init(id: "u3", periods: [(Day(iso: "2019-07-01")!, nil)], area: 2, groups: [.dementia]),
        ])
        let range = Self.year.range
        func compare(_ by: ReportDimension) -> BoardFigures.Comparison {
            let before = DayRange(first: range.first.adding(months: -12), last: range.last.adding(months: -12))
            return .init(now: counter.report(range: range, baseline: range.first, by: by, targets: .atService, title: "now"),
                         yearBefore: counter.report(range: before, baseline: before.first, by: by, targets: .atService, title: "before"))
        }
        let months = counter.months(DayRange(first: Day(iso: "2018-04-01")!, last: range.last), targets: .atService)
        #expect(months.count == 24)
        #expect(months.first { $0.month == "2019-08" }.map { [$0.currentAtStart, $0.starts, $0.ends, $0.currentAtEnd] } == [3, 0, 1, 2])
        let html = BoardPage.render(BoardFigures(caseload: quarters, months: months, groups: compare(.group), areas: compare(.area),
                                                 satisfaction: satisfaction, response: response))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.contains("@page { size: A4 portrait"))
        // Area 1 had one person at the end of 2018/19 and one at the end of 2019/20; area 2 none, then one.
        #expect(html.contains("<tr><td>1</td><td>1</td><td>1</td><td>0</td></tr>"))
        #expect(html.contains("<tr><td>2</td><td>1</td><td>0</td><td>+1</td></tr>"))
        // The month table compares March 2020 with March 2019: 2 people against 1.
        #expect(html.contains("<tr><td>2020-03</td><td>2</td><td>1</td>"))
        // Nothing to fetch: no scripts, stylesheets or images from elsewhere (the SVG namespace is not a fetch).
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(html.contains("<td class=\"amber\">AMBER</td>"))
        #expect(html.contains("@media print"))
        #expect(html.contains("89.9 %"))
    }
}
