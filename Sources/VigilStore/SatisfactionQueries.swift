import VigilCore

/// Survey results per financial year, users and carers separately and together.
public struct SatisfactionQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    public func report(range: DayRange, by: ReportDimension?, targets: ServiceTargets) throws -> SatisfactionReport {
        let (key, join) = by.sql(asOf: "s.responded_on")
        let s = try db.prepare("""
            SELECT \(key) AS k, s.respondent, count(*) AS responses, sum(s.overall >= 4) AS satisfied
            FROM survey_responses s JOIN users u ON u.id = s.user_id \(join)
            WHERE s.responded_on BETWEEN ?1 AND ?2
            GROUP BY k, s.respondent ORDER BY k, s.respondent
            """)
        var rows: [SatisfactionRow] = []
        for period in ReportPeriod.years(in: range) {
            let found = try s.rows([.text(period.range.first.iso), .text(period.range.last.iso)], table: "survey_responses") {
                (key: try $0.optionalText("k"), respondent: try $0.text("respondent"), responses: try $0.int("responses"), satisfied: try $0.int("satisfied"))
            }
            // A target is set per financial year; a clipped part-year is still judged by its year's.
            let target = targets.satisfaction[FinancialYear(containing: period.range.last)]
            var keys: [String?] = []
            for f in found where !keys.contains(f.key) { keys.append(f.key) }
            if by == nil && keys.isEmpty { keys = [nil] }
            for k in keys {
                let mine = found.filter { $0.key == k }
                for who in Respondent.allCases.map(\.rawValue) + ["all"] {
                    let picked = who == "all" ? mine : mine.filter { $0.respondent == who }
                    rows.append(SatisfactionRow(
                        period: period, breakdown: k, respondent: who, responses: picked.reduce(0) { $0 + $1.responses },
                        satisfied: picked.reduce(0) { $0 + $1.satisfied }, target: target, amberBand: targets.amberBand,
                        minimumSample: targets.minimumSample))
                }
            }
        }
        return SatisfactionReport(title: "User and carer satisfaction", from: range.first, to: range.last, by: by,
                                  amberBand: targets.amberBand, minimumSample: targets.minimumSample, rows: rows)
    }
}
