/// The AT service's published trajectory (issue 5): people supported at 31 March and the share of
/// users and carers satisfied, per financial year.
public struct ServiceTargets: Sendable {
    public var caseload: [FinancialYear: Int]
    public var satisfaction: [FinancialYear: Double]
    /// How far below a target is still amber, as a fraction of the target.
    public var amberBand: Double

    public init(caseload: [FinancialYear: Int], satisfaction: [FinancialYear: Double], amberBand: Double = 0.05) {
        self.caseload = caseload
        self.satisfaction = satisfaction
        self.amberBand = amberBand
    }

    /// 8,615 people in 2016/17, 10,115, 11,615, 13,115 by 2019/20; 85, 87, 89, 90 % satisfied.
    public static let atService = ServiceTargets(
        caseload: [
            FinancialYear(startYear: 2016): 8_615, FinancialYear(startYear: 2017): 10_115,
            FinancialYear(startYear: 2018): 11_615, FinancialYear(startYear: 2019): 13_115,
        ],
        satisfaction: [
            FinancialYear(startYear: 2016): 0.85, FinancialYear(startYear: 2017): 0.87,
            FinancialYear(startYear: 2018): 0.89, FinancialYear(startYear: 2019): 0.90,
        ])

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
