/// Who sent a referral to the service.
public enum ReferralSource: String, CaseIterable, Sendable, Codable {
    case hospital, gp
    case socialCare = "social-care"
    case health
    case selfReferral = "self"
    case family, other
}

/// How a referral ended; none while it is open.
public enum ReferralOutcome: String, CaseIterable, Sendable, Codable {
    case installed, declined
    case notEligible = "not-eligible"
}

/// One referral as stored (`referrals`, `referral_groups`).
public struct Referral: Sendable, Equatable {
    public var id: String
    public var received: Day
    public var source: ReferralSource
    public var urgent: Bool
    public var groups: [ReferralGroup]
    public var outcome: ReferralOutcome?
    public var installed: Day?

    public init(id: String, received: Day, source: ReferralSource, urgent: Bool, groups: [ReferralGroup],
                outcome: ReferralOutcome? = nil, installed: Day? = nil) {
        self.id = id
        self.received = received
        self.source = source
        self.urgent = urgent
        self.groups = groups
        self.outcome = outcome
        self.installed = installed
    }
}

/// A time-to-installation standard: `share` of referrals installed within `workingDays`.
public struct InstallationStandard: Sendable, Equatable, Codable {
    public var urgent: Bool
    public var workingDays: Int
    public var share: Double
    public var source: String

    /// The TSA standard for urgent installations (hospital discharge, a care package about to fail):
    /// 9 in 10 within 2 working days of referral and the rest within 5. For the others the notes
    /// give no verified figure; 9 in 10 within 15 working days is the service's own, and says so.
    public static let defaults = [
        InstallationStandard(urgent: true, workingDays: 2, share: 0.9, source: "TSA: 9 in 10 urgent within 2 working days"),
        InstallationStandard(urgent: true, workingDays: 5, share: 1.0, source: "TSA: the rest within 5 working days"),
        InstallationStandard(urgent: false, workingDays: 15, share: 0.9, source: "service standard (not a TSA figure): 9 in 10 within 15 working days"),
    ]
}

/// Referrals received in one month under one priority group ("all" for every referral).
public struct ReferralMonthRow: Sendable, Codable, Equatable {
    public var month: String
    public var group: String
    public var received: Int
    public var urgent: Int
    public var installed: Int
    public var declined: Int
    public var notEligible: Int
    /// Still without an outcome at the report's end.
    public var open: Int
}

/// Time from referral to installation for the referrals received in a period, against one standard.
public struct InstallationRow: Sendable, Codable, Equatable {
    public var period: String
    public var urgency: String
    public var standard: String
    public var workingDays: Int
    public var installed: Int
    public var within: Int
    public var share: Double?
    public var target: Double
    public var rag: RAG?
    public var tooFew: Bool
    public var medianWorkingDays: Int?
    public var p90WorkingDays: Int?
}

public struct ReferralReport: Sendable, Codable, Equatable {
    public var title: String
    public var from: Day
    public var to: Day
    public var months: [ReferralMonthRow]
    public var installation: [InstallationRow]
    public var notes: [String]

    /// The referrals received within `range`, counted by month and group, and their installation
    /// times in working days by financial year (clipped to the range) against each standard.
    public init(referrals: [Referral], range: DayRange, targets: ServiceTargets,
                standards: [InstallationStandard] = InstallationStandard.defaults) {
        title = "Referrals received and time to installation"
        from = range.first
        to = range.last
        let inRange = referrals.filter { range.first <= $0.received && $0.received <= range.last }
        var tally: [String: [String: ReferralMonthRow]] = [:]
        for r in inRange {
            let month = r.received.monthLabel
            for g in ["all"] + r.groups.map(\.rawValue) {
                var row = tally[month]?[g] ?? ReferralMonthRow(month: month, group: g, received: 0, urgent: 0, installed: 0, declined: 0, notEligible: 0, open: 0)
                row.received += 1
                if r.urgent { row.urgent += 1 }
                switch r.outcome {
                case .installed?: row.installed += 1
                case .declined?: row.declined += 1
                case .notEligible?: row.notEligible += 1
                case nil: row.open += 1
                }
                tally[month, default: [:]][g] = row
            }
        }
        months = tally.keys.sorted().flatMap { m in
            tally[m]!.values.sorted { ($0.group == "all" ? "" : $0.group) < ($1.group == "all" ? "" : $1.group) }
        }
        var rows: [InstallationRow] = []
        for period in ReportPeriod.years(in: range) {
            let cohort = inRange.filter { period.range.first <= $0.received && $0.received <= period.range.last }
            for s in standards {
                let done = cohort.filter { $0.urgent == s.urgent }.compactMap { r in r.installed.map { WorkingDays.between(r.received, $0) } }.sorted()
                let within = done.filter { $0 <= s.workingDays }.count
                let share = done.isEmpty ? nil : Double(within) / Double(done.count)
                let tooFew = done.count < targets.minimumSample
                rows.append(InstallationRow(
                    period: period.label, urgency: s.urgent ? "urgent" : "non-urgent", standard: s.source, workingDays: s.workingDays, installed: done.count,
                    within: within, share: share, target: s.share,
                    rag: tooFew ? nil : share.map { RAG.rate(actual: $0, target: s.share, amberBand: targets.amberBand) },
                    tooFew: tooFew, medianWorkingDays: Percentile.nearestRank(0.5, sorted: done),
                    p90WorkingDays: Percentile.nearestRank(0.9, sorted: done)))
            }
        }
        installation = rows
        var notes = [
            "Working days skip weekends and the bank holidays of England and Wales (GOV.UK); a referral installed the next working day took 1.",
            "One referral can be made under several priority groups and is counted in each; \"all\" counts it once.",
            "Installation times are for referrals received in the period, whenever they were installed; open ones are not counted.",
        ]
        if range.first.year < WorkingDays.knownYears.lowerBound || range.last.year > WorkingDays.knownYears.upperBound {
            notes.append("Bank holidays are known for \(WorkingDays.knownYears.lowerBound)–\(WorkingDays.knownYears.upperBound); outside those years only weekends are skipped.")
        }
        self.notes = notes
    }
}
