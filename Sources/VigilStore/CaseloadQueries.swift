import VigilCore

/// Loads the service periods a caseload report needs in one query; CaseloadCounter counts them.
public struct CaseloadQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// The first and last day any caseload, survey or alarm-history record mentions; nil when empty.
    public func dataSpan() throws -> DayRange? {
        let s = try db.prepare("""
            SELECT min(d) AS first, max(d) AS last FROM (
              SELECT min(start_date) AS d FROM service_periods UNION ALL SELECT max(start_date) FROM service_periods
              UNION ALL SELECT max(end_date) FROM service_periods UNION ALL SELECT max(responded_on) FROM survey_responses
              UNION ALL SELECT date(max(raised_at) / 1000, 'unixepoch') FROM alarm_history)
            """)
        let span = try s.rows(table: "service_periods") { (try $0.optionalText("first"), try $0.optionalText("last")) }.first
        guard let first = span?.0.flatMap(Day.init(iso:)), let last = span?.1.flatMap(Day.init(iso:)) else { return nil }
        return DayRange(first: first, last: last)
    }

    public func report(range: DayRange, baseline: Day, by: ReportDimension?, targets: ServiceTargets,
                       title: String = "Caseload") throws -> CaseloadReport {
        // The commitment compares with its own baseline day, which may be before the range.
        let earliest = [baseline, range.first, targets.commitment?.baseline].compactMap { $0 }.min()!
        let people = try load(last: range.last, baseline: earliest, groups: by == .group)
        return CaseloadCounter(people: people).report(range: range, baseline: baseline, by: by, targets: targets, title: title)
    }

    /// Every spell of service whose last day is in `range`, with why it ended.
    public func ends(range: DayRange) throws -> [(start: Day, end: Day, reason: EndReason)] {
        try db.prepare("""
            SELECT start_date, end_date, end_reason FROM service_periods WHERE end_date BETWEEN ?1 AND ?2 ORDER BY end_date, user_id
            """).rows([.text(range.first.iso), .text(range.last.iso)], table: "service_periods") { row in
            // The schema's CHECKs guarantee well-formed dates and a reason with every end date.
            (Day(iso: try row.text("start_date"))!, Day(iso: try row.text("end_date"))!, try row.decode("end_reason", as: EndReason.self))
        }
    }

    /// The people a caseload report over `range` counts, for month series and `--list`.
    public func counter(range: DayRange, baseline: Day, groups: Bool = true) throws -> CaseloadCounter {
        CaseloadCounter(people: try load(last: range.last, baseline: min(baseline, range.first), groups: groups))
    }

    /// Everyone with a period that starts by `last` and has not ended before `baseline`.
    func load(last: Day, baseline: Day, groups: Bool) throws -> [CaseloadCounter.Person] {
        var groupsOf: [String: [ReferralGroup]] = [:]
        if groups {
            for (user, group) in try groupsByUser(db) { groupsOf[user, default: []].append(group) }
        }
        let s = try db.prepare("""
            SELECT p.user_id, p.start_date, p.end_date, u.area, u.funding, u.care_home, u.date_of_birth
            FROM service_periods p JOIN users u ON u.id = p.user_id
            WHERE p.start_date <= ?1 AND (p.end_date IS NULL OR p.end_date >= ?2)
            ORDER BY p.user_id, p.start_date
            """)
        var people: [CaseloadCounter.Person] = []
        var lastUser = ""
        try s.forEachRow([.text(last.iso), .text(baseline.iso)]) { row in
            // Positional: this runs once per service period (tens of thousands a report).
            let user = row.text(0)
            // The schema's CHECKs guarantee well-formed dates.
            let period = (start: Day(iso: row.text(1))!, end: row.optionalText(2).flatMap(Day.init(iso:)))
            if user == lastUser, !people.isEmpty {
                people[people.count - 1].periods.append(period)
                return
            }
            lastUser = user
            people.append(CaseloadCounter.Person(
                id: user, periods: [period], area: row.optionalInt(3), groups: groupsOf[user] ?? [],
                birth: row.optionalText(6).flatMap(Day.init(iso:)), funding: try Row(statement: row, table: "users").decodeOptional("funding"),
                careHome: row.optionalText(5)))
        }
        return people
    }
}

extension Database {
    /// True once the caseload migration has run on this file. Reports open the file read-only and
    /// cannot migrate it, so they ask first and say how to upgrade.
    public func hasCaseloadTables() throws -> Bool {
        try scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('service_periods', 'survey_responses', 'alarm_history')") == 3
    }
}
