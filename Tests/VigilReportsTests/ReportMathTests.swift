import Testing
import VigilCore

@Suite("Report maths")
struct ReportMathTests {
    @Test func daysRoundTripAndRejectImpossibleDates() throws {
        #expect(Day(iso: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day(iso: "2020-02-29")?.iso == "2020-02-29")
        #expect(Day(iso: "2019-02-29") == nil)
        #expect(Day(iso: "1950-13-01") == nil)
        #expect(Day(iso: "2017-4-01") == nil)
        let d = try #require(Day(iso: "2017-03-31"))
        #expect(d.adding(days: 1).iso == "2017-04-01")
        #expect(Day(iso: "2016-01-31")!.adding(months: 1).iso == "2016-02-29")
        #expect(Day(millis: Day(iso: "2018-06-01")!.startMillis + 86_399_999).iso == "2018-06-01")
        #expect(Day(iso: "1940-04-01")!.age(on: Day(iso: "2017-03-31")!) == 76)
        #expect(Day(iso: "1940-04-01")!.age(on: Day(iso: "2017-04-01")!) == 77)
    }

    @Test func financialYearsRunAprilToMarch() throws {
        let fy = try #require(FinancialYear(label: "2017/18"))
        #expect(fy.range.first.iso == "2017-04-01")
        #expect(fy.range.last.iso == "2018-03-31")
        #expect(fy.quarter(1).last.iso == "2017-06-30")
        #expect(fy.quarter(3).first.iso == "2017-10-01")
        #expect(fy.quarter(4).first.iso == "2018-01-01")
        #expect(fy.quarter(4).last.iso == "2018-03-31")
        #expect(FinancialYear(containing: Day(iso: "2018-03-31")!) == fy)
        #expect(FinancialYear(containing: Day(iso: "2018-04-01")!) == fy.next)
        #expect(FinancialYear(label: "2017/19") == nil)
        #expect(FinancialYear(label: "1999/00")?.label == "1999/00")
    }

    @Test func periodsAreYearsFollowedByTheirQuarters() {
        let range = FinancialYear(startYear: 2018).range
        let periods = ReportPeriod.yearsAndQuarters(in: range)
        #expect(periods.map(\.label) == ["2018/19", "2018/19 Q1", "2018/19 Q2", "2018/19 Q3", "2018/19 Q4"])
        let partial = ReportPeriod.years(in: DayRange(first: Day(iso: "2018-01-01")!, last: Day(iso: "2018-06-30")!))
        #expect(partial.map(\.label) == ["2018-01-01…2018-03-31", "2018-04-01…2018-06-30"])
    }

    @Test(arguments: [
        (13_115.0, 13_115.0, RAG.green), (13_200, 13_115, .green), (12_460, 13_115, .amber), (12_459, 13_115, .red),
        (0.855, 0.90, .amber), (0.854, 0.90, .red),
    ])
    func ragIsGreenAtTargetAmberWithinFivePercentBelow(actual: Double, target: Double, expected: RAG) {
        // 95 % of 13,115 is 12,459.25: 12,460 is amber, 12,459 red.
        #expect(RAG.rate(actual: actual, target: target) == expected)
    }

    @Test func amberBandIsConfigurable() {
        #expect(RAG.rate(actual: 90, target: 100, amberBand: 0.10) == .amber)
        #expect(RAG.rate(actual: 90, target: 100, amberBand: 0.05) == .red)
    }

    @Test func wilsonIntervalMatchesHandWorkedValues() throws {
        // 8 of 10: p = 0.8, z = 1.96: centre = 0.8 + 0.19208 = 0.99208; half = 1.96·√((0.16 + 0.09604)/10) = 0.31362;
        // denominator 1.38415 → 0.4902 … 0.9433.
        let w = try #require(WilsonInterval(successes: 8, total: 10))
        #expect(abs(w.lower - 0.4902) < 0.0005)
        #expect(abs(w.upper - 0.9433) < 0.0005)
        let all = try #require(WilsonInterval(successes: 5, total: 5))
        #expect(all.upper == 1)
        #expect(all.lower > 0.56 && all.lower < 0.57)
        #expect(WilsonInterval(successes: 0, total: 0) == nil)
    }

    @Test func nearestRankPercentiles() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        #expect(Percentile.nearestRank(0.5, sorted: v) == 5)
        #expect(Percentile.nearestRank(0.9, sorted: v) == 9)
        #expect(Percentile.nearestRank(0.9, sorted: [7]) == 7)
        #expect(Percentile.nearestRank(0.5, sorted: []) == nil)
        // The same sample as a histogram: 10 s ×4, 20 s ×5, 300 s ×1.
        let h = [(value: 10, count: 4), (value: 20, count: 5), (value: 300, count: 1)]
        #expect(Percentile.nearestRank(0.5, histogram: h) == 20)
        #expect(Percentile.nearestRank(0.9, histogram: h) == 20)
        #expect(Percentile.nearestRank(0.95, histogram: h) == 300)
    }

    @Test func caseloadTargetsAreTheTrajectory() {
        let t = ServiceTargets.atService
        #expect(t.caseloadTarget(on: Day(iso: "2017-03-31")!) == 8_615)
        #expect(t.caseloadTarget(on: Day(iso: "2020-03-31")!) == 13_115)
        #expect(t.caseloadTarget(on: Day(iso: "2016-03-31")!) == nil)
        // Half way through 2017/18 (30 Sep: 183 of 365 days) the line is near 8,615 + 1,500·183/365 = 9,367.
        #expect(t.caseloadTarget(on: Day(iso: "2017-09-30")!) == 9_367)
        #expect(t.satisfaction[FinancialYear(startYear: 2019)] == 0.90)
    }

    @Test func responseStatsFromHistograms() {
        // 10 alarms: 8 claimed at 20 s, 1 at 61 s (a claim at 60.4 s rounds up to 61), 1 never claimed.
        let s = ResponseStats(alarms: 10, answerable: 10, claim: [(20, 8), (61, 1)], resolve: [(3, 5), (40, 5)], escalatedAlarms: 1, escalations: 2)
        #expect(s.claimed == 9)
        #expect(s.within60s == 8)
        #expect(s.within180s == 9)
        #expect(s.shareWithin60s == 0.8)
        #expect(s.rag60s == .red)
        #expect(s.medianClaimSeconds == 20)
        #expect(s.p90ClaimSeconds == 61)
        #expect(s.medianResolveMinutes == 3)
        #expect(s.p90ResolveMinutes == 40)
        // Two more alarms withdrawn at the device before a claim: volumes grow, shares do not change.
        let w = ResponseStats(alarms: 12, answerable: 10, claim: [(20, 8), (61, 1)], resolve: [], escalatedAlarms: 0, escalations: 0)
        #expect(w.shareWithin60s == 0.8)
        #expect(w.medianResolveMinutes == nil)
        let bins = TimeBin.distribution([(0, 1), (15, 2), (16, 3), (60, 4), (61, 5), (400, 6)])
        #expect(bins.first?.alarms == 3)
        #expect(bins[1].alarms == 3)
        #expect(bins[3].alarms == 4)
        #expect(bins[4].alarms == 5)
        #expect(bins.last?.alarms == 6)
        #expect(bins.last?.label == "over 300 s")
    }
}
