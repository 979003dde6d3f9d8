import VigilCore

/// Response performance over `alarm_history` together with the live `alarms` table (its first claim
/// is the answer time, its escalation level the escalations). An alarm withdrawn at the device
/// before anyone claimed it needed no answer and is left out of the shares; any other unclaimed
/// alarm counts as not answered in time.
///
/// One pass over the period's rows (a sequential scan of a covering index) feeds every table of the
/// report. Measured on the 600k-alarm demo history: each SQL `GROUP BY` with a histogram key took
/// 0.6–0.9 s because SQLite sorts to group, and the report needs five of them; the single pass
/// takes a fraction of that.
public struct ResponseQueries {
    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    static let history = """
        SELECT type, priority, raised_at, (claimed_at - raised_at + 999) / 1000, (resolved_at - raised_at + 59999) / 60000,
               outcome, operator, escalations, care_home, 1, outcome = 'responder-sent'
        FROM alarm_history WHERE raised_at >= ?1 AND raised_at < ?2
        """
    static let live = """
        SELECT l.type, l.priority, l.raised_at, (l.first_claimed_at - l.raised_at + 999) / 1000, (l.closed_at - l.raised_at + 59999) / 60000,
               coalesce(l.outcome, 'open'), coalesce(l.resolved_by, l.claimed_by), l.escalation, u.care_home, 1,
               l.id IN (SELECT alarm_id FROM visits WHERE on_site_at IS NOT NULL)
        FROM alarms l JOIN users u ON u.id = l.user_id WHERE l.raised_at >= ?1 AND l.raised_at < ?2
        """

    /// `calendar` is the service's time zone: the period runs from local midnight on its first day
    /// to local midnight after its last, and care-home months are local months.
    public func report(range: DayRange, calendar: LocalDays, amberBand: Double = 0.05) throws -> ResponseReport {
        let bounds: [SQLValue] = [.int(calendar.startMillis(of: range.first)), .int(calendar.startMillis(of: range.last.adding(days: 1)))]
        let homes = try db.prepare("SELECT name, video_support_from, telehealth_from FROM care_homes")
            .rows(table: "care_homes") {
                CareHome(name: try $0.text("name"), videoSupportFrom: try $0.optionalText("video_support_from").flatMap(Day.init(iso:)),
                         telehealthFrom: try $0.optionalText("telehealth_from").flatMap(Day.init(iso:)))
            }
        var acc = ResponseAccumulator(homes: Dictionary(homes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }), calendar: calendar)
        for sql in [Self.history, Self.live] {
            try db.prepare(sql).forEachRow(bounds) { acc.add($0) }
        }
        var report = acc.report(range: range, amberBand: amberBand, residents: try residentMonths(acc.homes, range: range))
        report.timeZone = calendar.zoneName
        report.outcomesByType = acc.typeOutcomes.sorted { $0.type < $1.type }
        report.mobile = try MobileResponseQueries(db: db).figures(from: calendar.startMillis(of: range.first),
                                                                  until: calendar.startMillis(of: range.last.adding(days: 1)), calendar: calendar)
        return report
    }
}

extension ResponseQueries {
    struct CareHome {
        var name: String
        var videoSupportFrom: Day?
        var telehealthFrom: Day?
    }

    /// Each home's resident-months over `range`, split at its video go-live day, from the service
    /// periods of the people whose record names the home (a person's current home: the record keeps
    /// no history of moves).
    func residentMonths(_ homes: [String: CareHome], range: DayRange) throws -> [String: ResidentMonths] {
        var result: [String: ResidentMonths] = [:]
        try db.prepare("""
            SELECT u.care_home, p.start_date, p.end_date FROM service_periods p JOIN users u ON u.id = p.user_id
            WHERE u.care_home IS NOT NULL AND p.start_date <= ?2 AND coalesce(p.end_date, ?1) >= ?1
            """).forEachRow([.text(range.first.iso), .text(range.last.iso)]) { s in
            let home = s.text(0)
            guard let first = Day(iso: s.text(1)) else { return }
            result[home, default: ResidentMonths()].add(first: first, last: s.optionalText(2).flatMap(Day.init(iso:)), range: range,
                                                        changeDay: homes[home]?.videoSupportFrom)
        }
        return result
    }
}

/// Counts and histograms of the response report, filled row by row. Histograms are arrays indexed
/// by seconds (or minutes) with a dictionary for the rare long tail: this runs 600k times a report.
struct ResponseAccumulator {
    struct Histogram {
        var dense = [Int](repeating: 0, count: 1_800)
        var tail: [Int: Int] = [:]

        mutating func add(_ v: Int) {
            if v >= 0 && v < dense.count { dense[v] += 1 } else { tail[v, default: 0] += 1 }
        }

        var sorted: [(value: Int, count: Int)] {
            var out: [(value: Int, count: Int)] = []
            for (v, n) in tail where v < 0 { out.append((v, n)) }
            out.sort { $0.value < $1.value }
            for (v, n) in dense.enumerated() where n > 0 { out.append((v, n)) }
            out += tail.filter { $0.key >= dense.count }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return out
        }
    }

    struct Tally {
        var alarms = 0, answerable = 0, escalated = 0, escalations = 0
        var claim = Histogram(), resolve = Histogram()

        mutating func add(claimSeconds: Int?, answerable isAnswerable: Bool, resolveMinutes: Int?, escalations e: Int) {
            alarms += 1
            if isAnswerable { answerable += 1 }
            if e > 0 { escalated += 1; escalations += e }
            if let c = claimSeconds { claim.add(c) }
            if let r = resolveMinutes { resolve.add(r) }
        }

        func stats(_ amberBand: Double) -> ResponseStats {
            ResponseStats(alarms: alarms, answerable: answerable, claim: claim.sorted, resolve: resolve.sorted,
                          escalatedAlarms: escalated, escalations: escalations, amberBand: amberBand)
        }
    }

    /// Every care home Vigil knows, by name, with its go-live days.
    let homes: [String: ResponseQueries.CareHome]
    let types = TextInterner(), outcomes = TextInterner(), operators = TextInterner(), careHomes = TextInterner()
    var total = Tally()
    /// Tallies by type and priority: slot[priority][type id] indexes `groupTallies` (−1: none yet).
    var slots = [[Int]](repeating: [], count: 4)
    var groupTallies: [Tally] = []
    var groupKeys: [(priority: Int, type: Int)] = []
    var outcomeCounts: [Int] = []
    var operatorTallies: [Tally] = []
    /// Keyed by care home id × 100000 + (year × 12 + month − 1): (alarms, ambulances).
    var homeMonths: [Int: (alarms: Int, ambulances: Int)] = [:]
    /// Keyed by care home id × 2 + (1 if after video support went live).
    var homeSplit: [Int: (alarms: Int, ambulances: Int)] = [:]
    /// Per outcome id: withdrawn at the device (cancelled or cleared) rather than handled.
    var withdrawnIDs: [Bool] = []
    /// Per outcome id: the outcome (nil: open, or a name Vigil does not know).
    var outcomeKinds: [Outcome?] = []
    /// Per type id.
    var typeOutcomes: [TypeOutcomeRow] = []

    var localDay: LocalDays.Cursor

    init(homes: [String: ResponseQueries.CareHome], calendar: LocalDays) {
        self.homes = homes
        localDay = LocalDays.Cursor(calendar)
    }

    mutating func classify() {
        let withdrawn: Set = [Outcome.cancelledAtDevice.rawValue, Outcome.clearedAtDevice.rawValue]
        withdrawnIDs = outcomes.names.map { withdrawn.contains($0) }
        outcomeKinds = outcomes.names.map { Outcome(rawValue: $0) }
        while outcomeCounts.count < outcomes.names.count { outcomeCounts.append(0) }
    }

    mutating func add(_ s: Statement) {
        let type = types.id(s, 0), priority = min(3, max(0, s.int(1))), raised = s.int64(2)
        // Computed in SQL: claim seconds rounded up (60.001 s is not within 60 s), resolve minutes rounded up.
        let claim = s.isNull(3) ? nil : s.int(3)
        let resolve = s.isNull(4) ? nil : s.int(4)
        let outcome = outcomes.id(s, 5), op = operators.id(s, 6), escalations = s.int(7), home = careHomes.id(s, 8)
        let claimKnown = s.int(9) == 1
        if withdrawnIDs.count < outcomes.names.count { classify() }
        let answerable = claim != nil || (claimKnown && !withdrawnIDs[outcome])

        total.add(claimSeconds: claim, answerable: answerable, resolveMinutes: resolve, escalations: escalations)
        while slots[priority].count <= type { slots[priority].append(-1) }
        if slots[priority][type] < 0 {
            slots[priority][type] = groupTallies.count
            groupTallies.append(Tally())
            groupKeys.append((priority, type))
        }
        groupTallies[slots[priority][type]].add(claimSeconds: claim, answerable: answerable, resolveMinutes: resolve, escalations: escalations)
        outcomeCounts[outcome] += 1
        while typeOutcomes.count <= type { typeOutcomes.append(TypeOutcomeRow(type: types.names[typeOutcomes.count])) }
        typeOutcomes[type].add(outcomeKinds[outcome], visited: s.int(10) == 1)
        if op >= 0 {
            while operatorTallies.count <= op { operatorTallies.append(Tally()) }
            operatorTallies[op].add(claimSeconds: claim, answerable: answerable, resolveMinutes: nil, escalations: escalations)
        }
        if home >= 0 {
            let isAmbulance = outcomeKinds[outcome]?.isAmbulanceCallOut == true ? 1 : 0
            let day = localDay.day(of: raised)
            let c = day.components
            let monthKey = home * 100_000 + c.year * 12 + c.month - 1
            let m = homeMonths[monthKey] ?? (0, 0)
            homeMonths[monthKey] = (m.alarms + 1, m.ambulances + isAmbulance)
            let live = homes[careHomes.names[home]]?.videoSupportFrom.map { day >= $0 } ?? false
            let splitKey = home * 2 + (live ? 1 : 0)
            let b = homeSplit[splitKey] ?? (0, 0)
            homeSplit[splitKey] = (b.alarms + 1, b.ambulances + isAmbulance)
        }
    }

    func report(range: DayRange, amberBand: Double, residents: [String: ResidentMonths]) -> ResponseReport {
        let byType = groupKeys.indices.sorted { a, b in
            (groupKeys[a].priority, types.names[groupKeys[a].type]) < (groupKeys[b].priority, types.names[groupKeys[b].type])
        }.map { ResponseGroupRow(type: types.names[groupKeys[$0].type], priority: groupKeys[$0].priority, stats: groupTallies[$0].stats(amberBand)) }
        let outcomeRows = outcomeCounts.indices.map { (outcomes.names[$0], outcomeCounts[$0]) }
            .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
            .map { OutcomeRow(outcome: $0.0, alarms: $0.1, share: total.alarms > 0 ? Double($0.1) / Double(total.alarms) : 0) }
        let operatorRows = operatorTallies.indices.map { (operators.names[$0], operatorTallies[$0]) }.sorted { $0.0 < $1.0 }
            .map { OperatorRow(name: $0.0, stats: $0.1.stats(amberBand)) }
        // A month row for every home and month with alarms or residents.
        var alarmMonths: [String: [String: (alarms: Int, ambulances: Int)]] = [:]
        for (key, m) in homeMonths {
            let ym = key % 100_000
            alarmMonths[careHomes.names[key / 100_000], default: [:]][Day(year: ym / 12, month: ym % 12 + 1, day: 1)!.monthLabel] = m
        }
        var months: [CareHomeMonthRow] = []
        for name in Set(alarmMonths.keys).union(residents.keys) {
            let home = homes[name]
            for month in Set((alarmMonths[name] ?? [:]).keys).union((residents[name]?.byMonth ?? [:]).keys) {
                let first = Day(iso: month + "-01")!
                let m = alarmMonths[name]?[month] ?? (0, 0)
                months.append(CareHomeMonthRow(careHome: name, month: month, alarms: m.alarms, ambulances: m.ambulances,
                                               videoSupport: home?.videoSupportFrom.map { first >= $0 } ?? false,
                                               telehealth: home?.telehealthFrom.map { first >= $0 } ?? false,
                                               residentMonths: residents[name]?.byMonth[month] ?? 0))
            }
        }
        months.sort { ($0.careHome, $0.month) < ($1.careHome, $1.month) }
        var changes: [CareHomeChange] = []
        let ids = Dictionary(careHomes.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for name in Set(homes.keys).union(careHomes.names).union(residents.keys) {
            let id = ids[name]
            let before = id.flatMap { homeSplit[$0 * 2] } ?? (0, 0), after = id.flatMap { homeSplit[$0 * 2 + 1] } ?? (0, 0)
            changes.append(CareHomeChange(careHome: name, videoSupportFrom: homes[name]?.videoSupportFrom, telehealthFrom: homes[name]?.telehealthFrom,
                                          alarmsBefore: before.alarms, ambulancesBefore: before.ambulances, alarmsAfter: after.alarms,
                                          ambulancesAfter: after.ambulances, residentMonthsBefore: residents[name]?.before ?? 0,
                                          residentMonthsAfter: residents[name]?.after ?? 0))
        }
        changes.sort { $0.careHome < $1.careHome }
        let claimAll = total.claim.sorted
        var report = ResponseReport(
            title: "Alarm response", from: range.first, to: range.last, total: total.stats(amberBand), byTypeAndPriority: byType,
            outcomes: outcomeRows, operators: operatorRows, careHomeMonths: months, careHomeChanges: changes,
            answerTimes: TimeBin.distribution(claimAll))
        report.careHomesLive = ResidentMonths.months(of: range).map { first in
            let last = first.lastOfMonth
            return CareHomesLiveRow(month: first.monthLabel, homes: homes.count, videoSupport: homes.values.count { $0.videoSupportFrom.map { $0 <= last } ?? false },
                                    telehealth: homes.values.count { $0.telehealthFrom.map { $0 <= last } ?? false })
        }
        return report
    }
}
