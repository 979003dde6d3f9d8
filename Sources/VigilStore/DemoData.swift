import VigilCore

/// Writes a synthetic five-year service into an empty Vigil database: people and their service
/// periods (DemoPopulation), devices, responders, satisfaction surveys, referrals and an alarm history.
/// Deterministic for a seed; one transaction with prepared statements.
public struct DemoData {
    public struct Summary: Sendable, Equatable {
        public var people = 0, periods = 0, devices = 0, responders = 0, surveys = 0, alarms = 0, referrals = 0
    }

    let db: Database

    public init(_ db: Database) {
        self.db = db
    }

    static let firstNames = ["Edith", "Arthur", "Margaret", "Harold", "Joan", "Stanley", "Doris", "Albert", "Irene", "Walter",
                             "Nora", "Frank", "Elsie", "George", "Vera", "Dennis", "Sheila", "Ronald", "Pauline", "Kenneth"]
    static let lastNames = ["Clarke", "Patel", "Hughes", "O'Brien", "Khan", "Walsh", "Robinson", "Lewis", "Ahmed", "Turner",
                            "Begum", "Evans", "Murphy", "Singh", "Wright", "Cooper", "Ward", "Price", "Bennett", "Shaw"]
    static let operators = (1...24).map { "op-\($0 < 10 ? "0" : "")\($0)" }

    /// Satisfied share of survey answers per financial year: rising towards the 90 % target.
    static let satisfiedShare: [Int: Double] = [2015: 0.845, 2016: 0.862, 2017: 0.878, 2018: 0.895, 2019: 0.906]

    /// `scale` multiplies the number of people (and so of alarms), for benchmarks on a larger history.
    public func generate(seed: UInt64, now: EpochMillis, scale: Int = 1) throws -> Summary {
        guard try db.scalar("SELECT count(*) FROM service_periods") == 0, try db.scalar("SELECT count(*) FROM alarm_history") == 0 else {
            throw RegistryError(description: "The database already holds a caseload: demo data goes into a new, empty file.")
        }
        var rng = SplitMix64(seed: seed)
        let population = DemoPopulation(rng: &rng, scale: scale)
        var summary = Summary()
        try db.transaction {
            let insertHome = try db.prepare("INSERT INTO care_homes(name, video_support_from, telehealth_from) VALUES (?, ?, ?)")
            for (i, name) in DemoPopulation.careHomes.enumerated() {
                let video = DemoPopulation.videoSupport.first { $0.home == i }?.from
                let telehealth = DemoPopulation.telehealth.first { $0.home == i }?.from
                try insertHome.run([.text(name), video.map { .text($0.iso) } ?? .null, telehealth.map { .text($0.iso) } ?? .null])
            }
            let w = try Writers(db)
            var alarms: [PendingAlarm] = []
            for person in population.people {
                try writePerson(person, w, &rng, now: now, &summary, &alarms)
            }
            // A generator of their own, so the referrals leave every other figure of a seed as it was.
            var referralRNG = SplitMix64(seed: seed ^ 0x7265_6665_7272_616C)
            summary.referrals = try writeReferrals(population, &referralRNG, now: now)
            // Written in time order: the covering index on raised_at then grows at its end instead of
            // splitting pages all over (measured: 20 s in person order).
            alarms.sort { ($0.raised, $0.sequence) < ($1.raised, $1.sequence) }
            for a in alarms {
                let claimed = a.alarm.claimSeconds.map { a.raised + EpochMillis($0 * 1000) }
                let resolved = (claimed ?? a.raised) + EpochMillis(a.alarm.resolveSeconds * 1000)
                try w.alarm.run([.text(a.user), .text(a.alarm.type.rawValue), .int(Int64(a.alarm.priority)), .int(a.raised),
                                 claimed.map { .int($0) } ?? .null, .int(resolved), .text(a.alarm.outcome.rawValue),
                                 claimed == nil ? .null : .text(Self.operators[a.alarm.operatorIndex]),
                                 .int(Int64(a.alarm.escalations)), a.careHome.map { .text($0) } ?? .null])
            }
            summary.alarms = alarms.count
        }
        return summary
    }

    struct PendingAlarm {
        var raised: EpochMillis
        var sequence: Int
        var user: String
        var careHome: String?
        var alarm: DemoAlarm
    }

    /// Prepared once, reused for every row.
    final class Writers {
        let user, group, period, device, responder, survey, alarm: Statement
        init(_ db: Database) throws(StoreError) {
            user = try db.prepare("INSERT INTO users(id, name, area, created_at, date_of_birth, living, funding, care_home) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            group = try db.prepare("INSERT INTO user_groups(user_id, referral_group) VALUES (?, ?)")
            period = try db.prepare("INSERT INTO service_periods(user_id, start_date, end_date, end_reason) VALUES (?, ?, ?, ?)")
            device = try db.prepare("INSERT INTO devices(id, user_id, kind, heartbeat_seconds, created_at) VALUES (?, ?, ?, ?, ?)")
            responder = try db.prepare("INSERT INTO responders(user_id, position, name, kind, phone) VALUES (?, ?, ?, ?, ?)")
            survey = try db.prepare("INSERT INTO survey_responses(user_id, responded_on, respondent, overall, feel_safe, recommend) VALUES (?, ?, ?, ?, ?, ?)")
            alarm = try db.prepare("""
                INSERT INTO alarm_history(user_id, type, priority, raised_at, claimed_at, resolved_at, outcome, operator, escalations, care_home)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        }
    }

    private func writePerson(_ p: DemoPopulation.Person, _ w: Writers, _ rng: inout SplitMix64, now: EpochMillis, _ s: inout Summary,
                             _ alarms: inout [PendingAlarm]) throws {
        let id = Self.personID(p)
        let name = "\(Self.firstNames[rng.int(0...19)]) \(Self.lastNames[rng.int(0...19)])"
        let home = p.careHome.map { DemoPopulation.careHomes[$0] }
        try w.user.run([.text(id), .text(name), .int(Int64(p.area)), .int(now), .text(p.birth.iso), .text(p.living.rawValue),
                        .text(p.funding.rawValue), home.map { .text($0) } ?? .null])
        for g in p.groups { try w.group.run([.text(id), .text(g.rawValue)]) }
        for period in p.periods {
            try w.period.run([.text(id), .text(period.start.iso), period.end.map { .text($0.iso) } ?? .null, period.reason.map { .text($0.rawValue) } ?? .null])
        }
        s.people += 1
        s.periods += p.periods.count

        var kinds: [DeviceKind] = [.hub, .pendant]
        if rng.chance(0.35) { kinds.append(.fallDetector) }
        if rng.chance(0.6) { kinds.append(.smoke) }
        if p.groups.contains(.dementia) { kinds.append(.door) }
        if rng.chance(0.1) { kinds.append(.bed) }
        for (i, k) in kinds.enumerated() {
            try w.device.run([.text("\(id)-D\(i + 1)"), .text(id), .text(k.rawValue), k == .hub ? .int(90_000) : .null, .int(now)])
        }
        s.devices += kinds.count

        let responders: [ResponderKind] = home != nil ? [.mobileResponse] : (rng.chance(0.75) ? [.keyholder] : []) + [.mobileResponse] + (rng.chance(0.4) ? [.gp] : [])
        for (i, kind) in responders.enumerated() {
            let rName = kind == .gp ? "Surgery, area \(p.area)" : kind == .mobileResponse ? "Mobile response team" : "\(Self.firstNames[rng.int(0...19)]) \(Self.lastNames[rng.int(0...19)])"
            try w.responder.run([.text(id), .int(Int64(i + 1)), .text(rName), .text(kind.rawValue), .text("07700 900\(String(rng.int(0...999)).leftPadded(3))")])
        }
        s.responders += responders.count

        for period in p.periods {
            let first = max(period.start, DemoPopulation.window.first), last = min(period.end ?? DemoPopulation.window.last, DemoPopulation.window.last)
            guard first <= last else { continue }
            try writeSurveys(id, p, DayRange(first: first, last: last), w, &rng, &s)
            generateAlarms(id, p, DayRange(first: first, last: last), &rng, &alarms)
        }
    }

    static func personID(_ p: DemoPopulation.Person) -> String { "P-\(String(p.index + 1).leftPadded(6))" }

    /// A referral behind every spell of service that starts in the demo's five years, received a few
    /// working days before it (urgent ones mostly within the TSA's two), and the referrals that never
    /// became a service: declined, not eligible, or still open at the end.
    private func writeReferrals(_ population: DemoPopulation, _ rng: inout SplitMix64, now: EpochMillis) throws -> Int {
        let insert = try db.prepare("""
            INSERT INTO referrals(id, user_id, received_on, source, urgent, outcome, installed_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let group = try db.prepare("INSERT INTO referral_groups(referral_id, referral_group) VALUES (?, ?)")
        let window = DemoPopulation.window
        var count = 0
        func source(_ groups: [ReferralGroup]) -> ReferralSource {
            if groups.contains(.hospital) && rng.chance(0.8) { return .hospital }
            let others: [ReferralSource] = [.gp, .socialCare, .health, .selfReferral, .family, .other]
            return others[rng.weighted([30, 30, 10, 8, 15, 2])]
        }
        func urgent(_ groups: [ReferralGroup]) -> Bool { rng.chance(groups.contains(.hospital) ? 0.7 : 0.12) }
        func write(_ user: String?, _ received: Day, _ groups: [ReferralGroup], urgent: Bool, outcome: ReferralOutcome?, installed: Day?) throws {
            count += 1
            let id = "R-\(String(count).leftPadded(6))"
            try insert.run([.text(id), user.map { .text($0) } ?? .null, .text(received.iso), .text(source(groups).rawValue), .int(urgent ? 1 : 0),
                            outcome.map { .text($0.rawValue) } ?? .null, installed.map { .text($0.iso) } ?? .null, .int(now)])
            for g in groups { try group.run([.text(id), .text(g.rawValue)]) }
        }
        for p in population.people {
            for period in p.periods where window.contains(period.start) {
                // Working days from referral to installation: most urgent ones within 2, a few past 5;
                // most others within the service's 15.
                let isUrgent = urgent(p.groups)
                let days = isUrgent ? (rng.chance(0.93) ? rng.int(0...2) : rng.int(3...6)) : (rng.chance(0.9) ? rng.int(2...15) : rng.int(16...30))
                var received = period.start
                while WorkingDays.between(received, period.start) < days { received = received.adding(days: -1) }
                try write(Self.personID(p), received, p.groups, urgent: isUrgent, outcome: .installed, installed: period.start)
            }
            guard rng.chance(0.08) else { continue }
            let received = window.first.adding(days: rng.int(0...(window.dayCount - 1)))
            let open = window.last.daysSinceEpoch - received.daysSinceEpoch < 21
            try write(nil, received, p.groups, urgent: urgent(p.groups), outcome: open ? nil : (rng.chance(0.6) ? .declined : .notEligible), installed: nil)
        }
        return count
    }

    /// About one in ten people supported in a year answers that year's survey.
    private func writeSurveys(_ id: String, _ p: DemoPopulation.Person, _ span: DayRange, _ w: Writers, _ rng: inout SplitMix64, _ s: inout Summary) throws {
        for fy in FinancialYear.covering(span) {
            guard let share = Self.satisfiedShare[fy.startYear], rng.chance(0.1),
                  let days = ReportPeriodClip.clip(fy.range, span) else { continue }
            let day = days.first.adding(days: rng.int(0...(days.dayCount - 1)))
            let respondent: Respondent = p.living == .withCarer && rng.chance(0.5) ? .carer : .user
            let overall = rng.chance(share) ? (rng.chance(0.6) ? 5 : 4) : [1, 2, 3][rng.weighted([1, 3, 6])]
            let safe = max(1, min(5, overall + rng.int(-1...1)))
            try w.survey.run([.text(id), .text(day.iso), .text(respondent.rawValue), .int(Int64(overall)), .int(Int64(safe)),
                              rng.chance(0.8) ? .int(Int64(max(1, min(5, overall + rng.int(-1...0))))) : .null])
            s.surveys += 1
        }
    }

    /// Alarms arrive as a Poisson process, about one a month at home and 2.5 a month in a care home.
    private func generateAlarms(_ id: String, _ p: DemoPopulation.Person, _ span: DayRange, _ rng: inout SplitMix64, _ alarms: inout [PendingAlarm]) {
        let startMs = Double(span.first.startMillis), endMs = Double(span.last.adding(days: 1).startMillis)
        let meanGap = (p.careHome == nil ? 30.44 : 12.2) * 86_400_000
        var t = startMs + rng.exponential(mean: meanGap)
        let home = p.careHome.map { DemoPopulation.careHomes[$0] }
        let video = p.careHome.flatMap { h in DemoPopulation.videoSupport.first { $0.home == h } }
        while t < endMs {
            let raised = EpochMillis(t)
            let live = video.map { raised >= $0.from.startMillis } ?? false
            alarms.append(PendingAlarm(raised: raised, sequence: alarms.count, user: id, careHome: home,
                                       alarm: DemoAlarm(&rng, careHome: p.careHome != nil, videoSupport: live)))
            t += rng.exponential(mean: meanGap)
        }
    }
}

enum ReportPeriodClip {
    static func clip(_ a: DayRange, _ b: DayRange) -> DayRange? {
        let first = max(a.first, b.first), last = min(a.last, b.last)
        return first <= last ? DayRange(first: first, last: last) : nil
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
