import ArgumentParser
import Foundation
import VigilCore
import VigilReports
import VigilStore
import VigilTesting

/// Generates the full five-year demo history into a temporary database, then runs every report over
/// all five years and prints each one's wall time against the budget: 2 s on the demo's size, 10 s on
/// a history ten times larger (`--scale 10 --budget 10000`).
@main
struct ReportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-report-bench",
        abstract: "Time demo-data generation and every report over the full five-year demo history.")

    @Option(help: "Seed of the demo generator.") var seed: UInt64 = 2015
    @Option(help: "Runs of each report; the median is reported.") var runs: Int = 3
    @Option(help: "The budget per report, in milliseconds.") var budget: Double = 2_000
    @Option(help: "Times the demo service's size (10: about 130,000 current people and 6 million alarms).") var scale: Int = 1

    func run() throws {
        let dir = try TemporaryDirectory(prefix: "vigil-report-bench")
        defer { dir.remove() }
        let path = dir.file("demo.db")
        let now = EpochMillis(Date().timeIntervalSince1970 * 1000)

        var start = DispatchTime.now()
        let writer = try Database.openVigil(path: path, now: now)
        let summary = try DemoData(writer).generate(seed: seed, now: now, scale: max(1, scale))
        let demoMs = Self.ms(since: start)
        print("demo-data ×\(scale): \(summary.people) people, \(summary.periods) service periods, \(summary.surveys) surveys, "
              + "\(summary.alarms) alarms in \(String(format: "%.0f", demoMs)) ms")
        try writer.checkpoint()

        let db = try Database(path: path, mode: .readOnly)
        let range = DayRange(first: Day(year: 2015, month: 4, day: 1)!, last: Day(year: 2020, month: 3, day: 31)!)
        let targets = try Targets(db).load()
        // The reports bucket alarms by the service's local day, as `vigil report` does.
        let calendar = LocalDays(timeZone: TimeZone(identifier: "Europe/London")!, covering: range)
        let cases: [(String, () throws -> String)] = [
            ("caseload json", { try JSONRenderer.render(try CaseloadQueries(db).report(range: range, baseline: range.first, by: nil, targets: targets)) }),
            ("caseload --by area json", { try JSONRenderer.render(try CaseloadQueries(db).report(range: range, baseline: range.first, by: .area, targets: targets)) }),
            ("caseload --by age csv", { CSVRenderer.render(ReportTables.caseload(try CaseloadQueries(db).report(range: range, baseline: range.first, by: .age, targets: targets))[0]) }),
            ("caseload --by group json", { try JSONRenderer.render(try CaseloadQueries(db).report(range: range, baseline: range.first, by: .group, targets: targets)) }),
            ("referrals json", { try JSONRenderer.render(ReferralReport(referrals: try ReferralQueries(db).load(range: range), range: range, targets: targets)) }),
            ("leavers json", { try JSONRenderer.render(LeaversReport(ends: try CaseloadQueries(db).ends(range: range), range: range)) }),
            ("satisfaction json", { try JSONRenderer.render(try SatisfactionQueries(db).report(range: range, by: nil, targets: targets)) }),
            ("satisfaction --by group json", { try JSONRenderer.render(try SatisfactionQueries(db).report(range: range, by: .group, targets: targets)) }),
            ("response json", { try JSONRenderer.render(try ResponseQueries(db).report(range: range, calendar: calendar)) }),
            ("board html", { BoardPage.render(try BoardQueries(db).figures(range: range, targets: targets, calendar: calendar, amberBand: 0.05)) }),
        ]
        var failed = 0
        print("report over 2015-04-01…2020-03-31 (median of \(runs))   ms    budget")
        for (name, body) in cases {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<max(1, runs) {
                start = DispatchTime.now()
                bytes = try body().utf8.count
                times.append(Self.ms(since: start))
            }
            let median = times.sorted()[times.count / 2]
            let pass = median < budget
            if !pass { failed += 1 }
            print("\(name.padding(toLength: 42, withPad: " ", startingAt: 0)) \(String(format: "%7.1f", median))   \(pass ? "pass" : "FAIL")  (\(bytes) bytes)")
        }
        print(failed == 0 ? "all reports under \(Int(budget)) ms" : "\(failed) report(s) over \(Int(budget)) ms")
        if failed > 0 { throw ExitCode(1) }
    }

    static func ms(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }
}
