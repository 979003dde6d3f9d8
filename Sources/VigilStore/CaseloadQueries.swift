import VigilCore

/// The caseload counts, one SQL aggregation per period over `service_periods`.
public struct CaseloadQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// The first and last day any caseload, survey or alarm-history record mentions; nil when empty.
    public func dataSpan() throws -> DayRange? {
        let s = try db.prepare("""
            SELECT min(d), max(d) FROM (
              SELECT min(start_date) AS d FROM service_periods UNION ALL SELECT max(start_date) FROM service_periods
              UNION ALL SELECT max(end_date) FROM service_periods UNION ALL SELECT max(responded_on) FROM survey_responses
              UNION ALL SELECT date(max(raised_at) / 1000, 'unixepoch') FROM alarm_history)
            """)
        let span = try s.all { ($0.optionalText(0), $0.optionalText(1)) }.first
        guard let first = span?.0.flatMap(Day.init(iso:)), let last = span?.1.flatMap(Day.init(iso:)) else { return nil }
        return DayRange(first: first, last: last)
    }

    public func report(range: DayRange, baseline: Day, by: ReportDimension?, targets: ServiceTargets,
                       title: String = "Caseload") throws -> CaseloadReport {
        let baseline = min(baseline, range.first)
        let (key, join) = by.sql(asOf: "?2")
        // ?1 first day, ?2 last day, ?3 baseline. end_date is the last day of service, so a person
        // whose service ends on 31 March is still current on 31 March and is an end of that year.
        let s = try db.prepare("""
            SELECT \(key) AS k,
              count(DISTINCT CASE WHEN p.start_date <= ?1 AND (p.end_date IS NULL OR p.end_date >= ?1) THEN p.user_id END),
              count(DISTINCT CASE WHEN p.end_date IS NULL OR p.end_date >= ?2 THEN p.user_id END),
              sum(p.start_date >= ?1),
              sum(coalesce(p.end_date BETWEEN ?1 AND ?2, 0)),
              count(DISTINCT CASE WHEN p.end_date IS NULL OR p.end_date >= ?1 THEN p.user_id END),
              count(DISTINCT p.user_id)
            FROM service_periods p JOIN users u ON u.id = p.user_id \(join)
            WHERE p.start_date <= ?2 AND (p.end_date IS NULL OR p.end_date >= ?3)
            GROUP BY k ORDER BY k
            """)
        var rows: [CaseloadRow] = []
        for period in ReportPeriod.yearsAndQuarters(in: range) {
            let r = period.range
            let found = try s.all([.text(r.first.iso), .text(r.last.iso), .text(baseline.iso)]) { row in
                (key: row.optionalText(0), counts: (0..<6).map { i in row.int(Int32(i + 1)) })
            }
            // Without a breakdown an empty period still gets its row of zeros.
            let lines = by == nil && found.isEmpty ? [(key: String?.none, counts: [0, 0, 0, 0, 0, 0])] : found
            for line in lines {
                let c = line.counts
                let target = by == nil ? targets.caseloadTarget(on: r.last) : nil
                rows.append(CaseloadRow(
                    period: period, breakdown: line.key, currentAtStart: c[0], currentAtEnd: c[1], starts: c[2], ends: c[3],
                    supported: c[4], supportedSinceBaseline: c[5], target: target,
                    rag: target.map { RAG.rate(actual: Double(c[1]), target: Double($0), amberBand: targets.amberBand) }))
            }
        }
        return CaseloadReport(title: title, from: range.first, to: range.last, baseline: baseline, by: by,
                              amberBand: targets.amberBand, rows: rows)
    }
}
