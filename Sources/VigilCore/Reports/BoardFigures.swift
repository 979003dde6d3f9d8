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
