/// The AT service's targets (issue 5; kept in the database since issue 14, these are the defaults a
/// new database is seeded with): people supported at 31 March and the share of users and carers
/// satisfied, per financial year, and the commitment of extra users since a baseline.
public struct ServiceTargets: Sendable, Equatable {
    /// "N more people supported than on `baseline`": a manifesto-style commitment, counted as the
    /// people current at the end of a period minus those current at the start of `baseline`.
    public struct Commitment: Sendable, Equatable, Codable {
        public var baseline: Day
        public var extraUsers: Int

        public init(baseline: Day, extraUsers: Int) {
            self.baseline = baseline
            self.extraUsers = extraUsers
        }
    }

    public var caseload: [FinancialYear: Int]
    public var satisfaction: [FinancialYear: Double]
    public var commitment: Commitment?
    /// How far below a target is still amber, as a fraction of the target.
    public var amberBand: Double
    /// Fewer survey responses than this get no RAG ("too few"): with 6 responses the 95 % interval
    /// spans 19–81 %, so a rating would be noise.
    public var minimumSample: Int

    public init(caseload: [FinancialYear: Int], satisfaction: [FinancialYear: Double], commitment: Commitment? = nil,
                amberBand: Double = 0.05, minimumSample: Int = ServiceTargets.defaultMinimumSample) {
        self.caseload = caseload
        self.satisfaction = satisfaction
        self.commitment = commitment
        self.amberBand = amberBand
        self.minimumSample = minimumSample
    }

    public static let defaultMinimumSample = 30

    /// 8,615 people in 2016/17, 10,115, 11,615, 13,115 by 2019/20; 85, 87, 89, 90 % satisfied;
    /// 6,000 more people supported than at the start of 2015/16.
    public static let atService = ServiceTargets(
        caseload: [
            FinancialYear(startYear: 2016): 8_615, FinancialYear(startYear: 2017): 10_115,
            FinancialYear(startYear: 2018): 11_615, FinancialYear(startYear: 2019): 13_115,
        ],
        satisfaction: [
            FinancialYear(startYear: 2016): 0.85, FinancialYear(startYear: 2017): 0.87,
            FinancialYear(startYear: 2018): 0.89, FinancialYear(startYear: 2019): 0.90,
        ],
        commitment: Commitment(baseline: Day(year: 2015, month: 4, day: 1)!, extraUsers: 6_000))

    /// The caseload target for the last day of a period: the year-end figure on 31 March, and a
    /// straight line from the previous year-end target for days inside a year (a quarter's end).
    public func caseloadTarget(on day: Day) -> Int? {
        let fy = FinancialYear(containing: day)
        guard let end = caseload[fy] else { return nil }
        if day == fy.range.last { return end }
        guard let start = caseload[fy.previous] else { return nil }
        let elapsed = Double(day.daysSinceEpoch - fy.previous.range.last.daysSinceEpoch)
        let length = Double(fy.range.dayCount)
        return Int((Double(start) + Double(end - start) * elapsed / length).rounded())
    }

    /// TSA monitoring standard: 97.5 % of alarm calls answered within 60 s and 99 % within 180 s.
    public static let answeredWithin60s = 0.975
    public static let answeredWithin180s = 0.99
}
