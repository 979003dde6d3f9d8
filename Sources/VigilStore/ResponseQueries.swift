import VigilCore

/// Response performance over `alarm_history` together with the live `alarms` table. Live alarms have
/// no claim time or operator in the foundation schema, so they count in volumes and outcomes and as
/// not answered in time; every figure is a SQL aggregation, percentiles come from SQL histograms.
public struct ResponseQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    /// Alarms raised in [?1, ?2) milliseconds, history and live, with the same columns.
    static let source = """
        WITH a AS (
          SELECT type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home
          FROM alarm_history WHERE raised_at >= ?1 AND raised_at < ?2
          UNION ALL
          SELECT l.type, l.priority, l.raised_at, NULL, l.closed_at, coalesce(l.outcome, 'open'), NULL, 0, u.care_home
          FROM alarms l JOIN users u ON u.id = l.user_id WHERE l.raised_at >= ?1 AND l.raised_at < ?2)
        """

    public func report(range: DayRange, amberBand: Double = 0.05) throws -> ResponseReport {
        let bounds: [SQLValue] = [.int(range.first.startMillis), .int(range.last.adding(days: 1).startMillis)]
        typealias Histogram = [(value: Int, count: Int)]
        struct Group { var alarms = 0, escalated = 0, escalations = 0; var claim: Histogram = [], resolve: Histogram = [] }

        // Claim seconds are rounded up: 60.001 s is not within 60 s.
        var groups: [String: Group] = [:]
        var order: [String] = []
        let claims = try db.prepare("""
            \(Self.source)
            SELECT type, priority, (claimed_at - raised_at + 999) / 1000 AS c, count(*), sum(escalations > 0), sum(escalations)
            FROM a GROUP BY type, priority, c ORDER BY priority, type, c
            """)
        for row in try claims.all(bounds, { ($0.text(0), $0.int(1), $0.optionalInt(2), $0.int(3), $0.int(4), $0.int(5)) }) {
            let key = "\(row.1)|\(row.0)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: Group()].alarms += row.3
            groups[key]!.escalated += row.4
            groups[key]!.escalations += row.5
            if let c = row.2 { groups[key]!.claim.append((c, row.3)) }
        }
        let resolves = try db.prepare("""
            \(Self.source)
            SELECT type, priority, (resolved_at - raised_at + 59999) / 60000 AS m, count(*)
            FROM a WHERE resolved_at IS NOT NULL GROUP BY type, priority, m ORDER BY m
            """)
        for row in try resolves.all(bounds, { ($0.text(0), $0.int(1), $0.int(2), $0.int(3)) }) {
            groups["\(row.1)|\(row.0)"]?.resolve.append((row.2, row.3))
        }

        var byType: [ResponseGroupRow] = []
        var all = Group()
        for key in order {
            let g = groups[key]!
            let parts = key.split(separator: "|")
            byType.append(ResponseGroupRow(type: String(parts[1]), priority: Int(parts[0])!, stats: ResponseStats(
                alarms: g.alarms, claim: g.claim, resolve: g.resolve.sorted { $0.value < $1.value },
                escalatedAlarms: g.escalated, escalations: g.escalations, amberBand: amberBand)))
            all.alarms += g.alarms
            all.escalated += g.escalated
            all.escalations += g.escalations
            all.claim += g.claim
            all.resolve += g.resolve
        }
        let claimAll = Self.merge(all.claim), resolveAll = Self.merge(all.resolve)
        let total = ResponseStats(alarms: all.alarms, claim: claimAll, resolve: resolveAll,
                                  escalatedAlarms: all.escalated, escalations: all.escalations, amberBand: amberBand)

        let outcomes = try db.prepare("\(Self.source) SELECT outcome, count(*) FROM a GROUP BY outcome ORDER BY count(*) DESC, outcome")
            .all(bounds) { ($0.text(0), $0.int(1)) }
            .map { OutcomeRow(outcome: $0.0, alarms: $0.1, share: all.alarms > 0 ? Double($0.1) / Double(all.alarms) : 0) }

        return ResponseReport(
            title: "Alarm response", from: range.first, to: range.last, total: total, byTypeAndPriority: byType,
            outcomes: outcomes, operators: try operators(bounds, amberBand), careHomeMonths: try careHomeMonths(bounds),
            careHomeChanges: try careHomeChanges(bounds), answerTimes: TimeBin.distribution(claimAll))
    }

    private func operators(_ bounds: [SQLValue], _ amberBand: Double) throws -> [OperatorRow] {
        let s = try db.prepare("""
            \(Self.source)
            SELECT operator, (claimed_at - raised_at + 999) / 1000 AS c, count(*), sum(escalations > 0), sum(escalations)
            FROM a WHERE operator IS NOT NULL GROUP BY operator, c ORDER BY operator, c
            """)
        var names: [String] = []
        var by: [String: (alarms: Int, escalated: Int, escalations: Int, claim: [(value: Int, count: Int)])] = [:]
        for row in try s.all(bounds, { ($0.text(0), $0.optionalInt(1), $0.int(2), $0.int(3), $0.int(4)) }) {
            if by[row.0] == nil { names.append(row.0); by[row.0] = (0, 0, 0, []) }
            by[row.0]!.alarms += row.2
            by[row.0]!.escalated += row.3
            by[row.0]!.escalations += row.4
            if let c = row.1 { by[row.0]!.claim.append((c, row.2)) }
        }
        return names.map { n in
            let o = by[n]!
            return OperatorRow(name: n, stats: ResponseStats(alarms: o.alarms, claim: o.claim, resolve: [],
                                                             escalatedAlarms: o.escalated, escalations: o.escalations, amberBand: amberBand))
        }
    }

    private func careHomeMonths(_ bounds: [SQLValue]) throws -> [CareHomeMonthRow] {
        // A month counts as "with video support" once support was live on its first day.
        try db.prepare("""
            \(Self.source)
            SELECT a.care_home, strftime('%Y-%m', a.raised_at / 1000, 'unixepoch') AS m, count(*), sum(a.outcome = 'ambulance'),
                   coalesce(h.video_support_from <= m || '-01', 0)
            FROM a JOIN care_homes h ON h.name = a.care_home
            GROUP BY a.care_home, m ORDER BY a.care_home, m
            """).all(bounds) { CareHomeMonthRow(careHome: $0.text(0), month: $0.text(1), alarms: $0.int(2), ambulances: $0.int(3), videoSupport: $0.int(4) == 1) }
    }

    private func careHomeChanges(_ bounds: [SQLValue]) throws -> [CareHomeChange] {
        let rows = try db.prepare("""
            \(Self.source)
            SELECT h.name, h.video_support_from,
                   sum(h.video_support_from IS NULL OR date(a.raised_at / 1000, 'unixepoch') < h.video_support_from),
                   sum((h.video_support_from IS NULL OR date(a.raised_at / 1000, 'unixepoch') < h.video_support_from) AND a.outcome = 'ambulance'),
                   sum(date(a.raised_at / 1000, 'unixepoch') >= h.video_support_from),
                   sum(date(a.raised_at / 1000, 'unixepoch') >= h.video_support_from AND a.outcome = 'ambulance')
            FROM a JOIN care_homes h ON h.name = a.care_home
            GROUP BY h.name ORDER BY h.name
            """).all(bounds) { s in
            CareHomeChange(careHome: s.text(0), videoSupportFrom: s.optionalText(1).flatMap(Day.init(iso:)), alarmsBefore: s.int(2),
                           ambulancesBefore: s.int(3), alarmsAfter: s.int(4), ambulancesAfter: s.int(5))
        }
        return rows
    }

    /// Adds histograms with the same values together, in ascending value order.
    static func merge(_ bins: [(value: Int, count: Int)]) -> [(value: Int, count: Int)] {
        var counts: [Int: Int] = [:]
        for b in bins { counts[b.value, default: 0] += b.count }
        return counts.keys.sorted().map { ($0, counts[$0]!) }
    }
}
