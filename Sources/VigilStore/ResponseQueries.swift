import VigilCore

/// Response performance over `alarm_history` together with the live `alarms` table. Live alarms have
/// no claim time or operator in the foundation schema, so they count in volumes, outcomes and
/// resolve times but not in answer-time shares. A history alarm withdrawn at the device before anyone
/// claimed it needed no answer and is left out of the shares too; any other unclaimed alarm counts
/// as not answered in time.
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
        SELECT type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home, 1
        FROM alarm_history WHERE raised_at >= ?1 AND raised_at < ?2
        """
    static let live = """
        SELECT l.type, l.priority, l.raised_at, NULL, l.closed_at, coalesce(l.outcome, 'open'), NULL, 0, u.care_home, 0
        FROM alarms l JOIN users u ON u.id = l.user_id WHERE l.raised_at >= ?1 AND l.raised_at < ?2
        """

    public func report(range: DayRange, amberBand: Double = 0.05) throws -> ResponseReport {
        let bounds: [SQLValue] = [.int(range.first.startMillis), .int(range.last.adding(days: 1).startMillis)]
        let homes = try db.prepare("SELECT name, video_support_from FROM care_homes ORDER BY name")
            .all { ($0.text(0), $0.optionalText(1).flatMap(Day.init(iso:))) }
        var acc = ResponseAccumulator(videoSupport: Dictionary(homes, uniquingKeysWith: { a, _ in a }))
        for sql in [Self.history, Self.live] {
            try db.prepare(sql).forEachRow(bounds) { acc.add($0) }
        }
        return acc.report(range: range, amberBand: amberBand)
    }
}

/// Counts and histograms of the response report, filled row by row.
struct ResponseAccumulator {
    typealias Histogram = [Int: Int]

    struct Tally {
        var alarms = 0, answerable = 0, escalated = 0, escalations = 0
        var claim: Histogram = [:], resolve: Histogram = [:]

        mutating func add(claimSeconds: Int?, answerable isAnswerable: Bool, resolveMinutes: Int?, escalations e: Int) {
            alarms += 1
            if isAnswerable { answerable += 1 }
            if e > 0 { escalated += 1; escalations += e }
            if let c = claimSeconds { claim[c, default: 0] += 1 }
            if let r = resolveMinutes { resolve[r, default: 0] += 1 }
        }

        func stats(_ amberBand: Double) -> ResponseStats {
            ResponseStats(alarms: alarms, answerable: answerable, claim: Self.sorted(claim), resolve: Self.sorted(resolve),
                          escalatedAlarms: escalated, escalations: escalations, amberBand: amberBand)
        }

        static func sorted(_ h: Histogram) -> [(value: Int, count: Int)] { h.keys.sorted().map { ($0, h[$0]!) } }
    }

    let videoSupport: [String: Day?]
    let types = TextInterner(), outcomes = TextInterner(), operators = TextInterner(), careHomes = TextInterner()
    var total = Tally()
    /// Keyed by priority × 1000 + type id.
    var groups: [Int: Tally] = [:]
    var outcomeCounts: [Int: Int] = [:]
    var operatorTallies: [Int: Tally] = [:]
    /// Keyed by care home id × 100000 + (year × 12 + month − 1): (alarms, ambulances).
    var homeMonths: [Int: (alarms: Int, ambulances: Int)] = [:]
    /// Keyed by care home id × 2 + (1 if after video support went live).
    var homeSplit: [Int: (alarms: Int, ambulances: Int)] = [:]
    /// Per outcome id: withdrawn at the device (cancelled or cleared) rather than handled.
    var withdrawnIDs: [Bool] = []

    init(videoSupport: [String: Day?]) {
        self.videoSupport = videoSupport
    }

    mutating func classify() {
        let withdrawn: Set = [AlarmOutcome.cancelledAtDevice.rawValue, AlarmOutcome.clearedAtDevice.rawValue]
        withdrawnIDs = outcomes.names.map { withdrawn.contains($0) }
    }

    mutating func add(_ s: Statement) {
        let type = types.id(s, 0), priority = s.int(1), raised = s.int64(2)
        // Claim seconds rounded up (60.001 s is not within 60 s); resolve minutes rounded up.
        let claim = s.isNull(3) ? nil : Int((s.int64(3) - raised + 999) / 1000)
        let resolve = s.isNull(4) ? nil : Int((s.int64(4) - raised + 59_999) / 60_000)
        let outcome = outcomes.id(s, 5), op = operators.id(s, 6), escalations = s.int(7), home = careHomes.id(s, 8)
        let claimKnown = s.int(9) == 1
        if withdrawnIDs.count < outcomes.names.count { classify() }
        let answerable = claim != nil || (claimKnown && !withdrawnIDs[outcome])

        total.add(claimSeconds: claim, answerable: answerable, resolveMinutes: resolve, escalations: escalations)
        groups[priority * 1000 + type, default: Tally()].add(claimSeconds: claim, answerable: answerable, resolveMinutes: resolve, escalations: escalations)
        outcomeCounts[outcome, default: 0] += 1
        if op >= 0 { operatorTallies[op, default: Tally()].add(claimSeconds: claim, answerable: answerable, resolveMinutes: nil, escalations: escalations) }
        if home >= 0 {
            let isAmbulance = outcomes.names[outcome] == AlarmOutcome.ambulance.rawValue ? 1 : 0
            let day = Day(millis: raised)
            let c = day.components
            let monthKey = home * 100_000 + c.year * 12 + c.month - 1
            let m = homeMonths[monthKey] ?? (0, 0)
            homeMonths[monthKey] = (m.alarms + 1, m.ambulances + isAmbulance)
            let live = (videoSupport[careHomes.names[home]] ?? nil).map { day >= $0 } ?? false
            let splitKey = home * 2 + (live ? 1 : 0)
            let b = homeSplit[splitKey] ?? (0, 0)
            homeSplit[splitKey] = (b.alarms + 1, b.ambulances + isAmbulance)
        }
    }

    func report(range: DayRange, amberBand: Double) -> ResponseReport {
        let byType = groups.keys.sorted { a, b in
            (a / 1000, types.names[a % 1000]) < (b / 1000, types.names[b % 1000])
        }.map { ResponseGroupRow(type: types.names[$0 % 1000], priority: $0 / 1000, stats: groups[$0]!.stats(amberBand)) }
        let outcomeRows = outcomeCounts.keys.map { (outcomes.names[$0], outcomeCounts[$0]!) }
            .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
            .map { OutcomeRow(outcome: $0.0, alarms: $0.1, share: total.alarms > 0 ? Double($0.1) / Double(total.alarms) : 0) }
        let operatorRows = operatorTallies.keys.map { (operators.names[$0], operatorTallies[$0]!) }.sorted { $0.0 < $1.0 }
            .map { OperatorRow(name: $0.0, stats: $0.1.stats(amberBand)) }
        let months = homeMonths.keys.map { key -> CareHomeMonthRow in
            let name = careHomes.names[key / 100_000], ym = key % 100_000
            let month = "\(ym / 12)-\(ym % 12 + 1 < 10 ? "0" : "")\(ym % 12 + 1)"
            let first = Day(year: ym / 12, month: ym % 12 + 1, day: 1)!
            let video = (videoSupport[name] ?? nil).map { first >= $0 } ?? false
            return CareHomeMonthRow(careHome: name, month: month, alarms: homeMonths[key]!.alarms, ambulances: homeMonths[key]!.ambulances, videoSupport: video)
        }.sorted { ($0.careHome, $0.month) < ($1.careHome, $1.month) }
        var changes: [CareHomeChange] = []
        for (id, name) in careHomes.names.enumerated() {
            let before = homeSplit[id * 2] ?? (0, 0), after = homeSplit[id * 2 + 1] ?? (0, 0)
            changes.append(CareHomeChange(careHome: name, videoSupportFrom: videoSupport[name] ?? nil, alarmsBefore: before.alarms,
                                          ambulancesBefore: before.ambulances, alarmsAfter: after.alarms, ambulancesAfter: after.ambulances))
        }
        changes.sort { $0.careHome < $1.careHome }
        let claimAll = Tally.sorted(total.claim)
        return ResponseReport(
            title: "Alarm response", from: range.first, to: range.last, total: total.stats(amberBand), byTypeAndPriority: byType,
            outcomes: outcomeRows, operators: operatorRows, careHomeMonths: months, careHomeChanges: changes,
            answerTimes: TimeBin.distribution(claimAll))
    }
}
