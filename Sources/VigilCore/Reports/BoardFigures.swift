/// What the board paper shows, gathered from the single reports (`BoardQueries` in the store).
public struct BoardFigures: Sendable {
    /// The whole service by financial year (and quarter) over the board's range.
    public var caseload: CaseloadReport
    /// Calendar months over the range, and the twelve months before it, for "a year earlier".
    public var months: [CaseloadMonth]
    /// `--by group` and `--by area` over the latest financial year (up to the board's last day) and
    /// the same days a year earlier.
    public var groups: Comparison
    public var areas: Comparison
    public var satisfaction: SatisfactionReport
    public var response: ResponseReport
    /// Referrals received in the latest financial year (up to the board's last day) by source, the
    /// same days a year earlier, and that year's times to installation; empty without referrals.
    public var referrals = Referrals()

    public struct Referrals: Sendable {
        public struct Source: Sendable, Equatable {
            public var source: ReferralSource
            public var received: Int
            public var urgent: Int
            public var yearBefore: Int
        }
        public var period = ""
        public var periodBefore = ""
        public var sources: [Source] = []
        public var installation: [InstallationRow] = []

        public init() {}

        /// `referrals` must cover both periods; each is counted by the day it was received.
        public init(_ referrals: [Referral], latest: DayRange, yearBefore: DayRange, targets: ServiceTargets) {
            period = FinancialYear(containing: latest.last).label
            periodBefore = FinancialYear(containing: yearBefore.last).label
            var now: [ReferralSource: (received: Int, urgent: Int)] = [:], before: [ReferralSource: Int] = [:]
            for r in referrals {
                if latest.contains(r.received) {
                    now[r.source, default: (0, 0)].received += 1
                    if r.urgent { now[r.source, default: (0, 0)].urgent += 1 }
                } else if yearBefore.contains(r.received) {
                    before[r.source, default: 0] += 1
                }
            }
            sources = ReferralSource.allCases.filter { now[$0] != nil || before[$0] != nil }
                .map { Source(source: $0, received: now[$0]?.received ?? 0, urgent: now[$0]?.urgent ?? 0, yearBefore: before[$0] ?? 0) }
                .sorted { ($1.received, $0.source.rawValue) < ($0.received, $1.source.rawValue) }
            installation = sources.isEmpty ? [] : ReferralReport(referrals: referrals, range: latest, targets: targets).installation
        }
    }

    public struct Comparison: Sendable {
        public var now: CaseloadReport
        public var yearBefore: CaseloadReport

        public init(now: CaseloadReport, yearBefore: CaseloadReport) {
            self.now = now
            self.yearBefore = yearBefore
        }
    }

    public init(caseload: CaseloadReport, months: [CaseloadMonth], groups: Comparison, areas: Comparison,
                satisfaction: SatisfactionReport, response: ResponseReport) {
        self.caseload = caseload
        self.months = months
        self.groups = groups
        self.areas = areas
        self.satisfaction = satisfaction
        self.response = response
    }
}
