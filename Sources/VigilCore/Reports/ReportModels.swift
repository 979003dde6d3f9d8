/// The ways a report can be broken down (`--by`).
public enum ReportDimension: String, CaseIterable, Sendable, Codable {
    case area, group, age, funding
    case careHome = "carehome"
}

/// One line of a period table: a financial year, one of its quarters, or a custom range.
public struct ReportPeriod: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable { case year, quarter, range }
    public var label: String
    public var kind: Kind
    public var range: DayRange

    public init(label: String, kind: Kind, range: DayRange) {
        self.label = label
        self.kind = kind
        self.range = range
    }

    /// Each financial year overlapping `range` (clipped to it), each followed by its quarters that
    /// overlap it. A year or quarter cut short by the range is labelled with its dates instead.
    public static func yearsAndQuarters(in range: DayRange) -> [ReportPeriod] {
        var out: [ReportPeriod] = []
        for fy in FinancialYear.covering(range) {
            guard let year = clip(fy.range, to: range) else { continue }
            out.append(ReportPeriod(label: year == fy.range ? fy.label : "\(year.first)…\(year.last)", kind: year == fy.range ? .year : .range, range: year))
            for q in 1...4 {
                let full = fy.quarter(q)
                guard let part = clip(full, to: range) else { continue }
                out.append(ReportPeriod(label: part == full ? "\(fy.label) Q\(q)" : "\(part.first)…\(part.last)", kind: .quarter, range: part))
            }
        }
        return out
    }

    /// Only the years (clipped), for reports whose samples are too small per quarter (surveys).
    public static func years(in range: DayRange) -> [ReportPeriod] {
        yearsAndQuarters(in: range).filter { $0.kind != .quarter }
    }

    static func clip(_ a: DayRange, to b: DayRange) -> DayRange? {
        let first = max(a.first, b.first), last = min(a.last, b.last)
        return first <= last ? DayRange(first: first, last: last) : nil
    }
}

/// Caseload counts for one period (and one breakdown value, when `--by` is given).
public struct CaseloadRow: Sendable, Codable, Equatable {
    public var period: String
    public var kind: ReportPeriod.Kind
    public var from: Day
    public var to: Day
    /// The breakdown value ("3" for area 3, "dementia", "75-84"…), nil for the whole service.
    public var breakdown: String?
    /// People in service at the start of the period's first day / at the end of its last day
    /// (`CaseloadCounter.dayConvention`): currentAtStart + starts − ends = currentAtEnd.
    public var currentAtStart: Int
    public var currentAtEnd: Int
    /// Service periods that began / ended (last day of service) within the period.
    public var starts: Int
    public var ends: Int
    /// Distinct people with a service period overlapping the period.
    public var supported: Int
    /// Distinct people supported at any time from the baseline to the end of the period.
    public var supportedSinceBaseline: Int
    /// The trajectory target for people supported on the period's last day, when one applies.
    public var target: Int?
    public var rag: RAG?
    /// Supported at some time since the baseline but not current at the period's end.
    public var formerUsers: Int
    /// Current at end minus current at the start of the commitment's baseline day (whole service only).
    public var extraSinceCommitment: Int?
    public var commitmentTarget: Int?

    public init(period: ReportPeriod, breakdown: String?, currentAtStart: Int, currentAtEnd: Int, starts: Int, ends: Int,
                supported: Int, supportedSinceBaseline: Int, target: Int?, rag: RAG?, extraSinceCommitment: Int? = nil,
                commitmentTarget: Int? = nil) {
        self.period = period.label
        self.kind = period.kind
        self.from = period.range.first
        self.to = period.range.last
        self.breakdown = breakdown
        self.currentAtStart = currentAtStart
        self.currentAtEnd = currentAtEnd
        self.starts = starts
        self.ends = ends
        self.supported = supported
        self.supportedSinceBaseline = supportedSinceBaseline
        self.target = target
        self.rag = rag
        formerUsers = supportedSinceBaseline - currentAtEnd
        self.extraSinceCommitment = extraSinceCommitment
        self.commitmentTarget = commitmentTarget
    }
}

public struct CaseloadReport: Sendable, Codable, Equatable {
    public var title: String
    public var from: Day
    public var to: Day
    public var baseline: Day
    public var by: ReportDimension?
    public var amberBand: Double
    public var rows: [CaseloadRow]
    /// The definitions a reader needs to add the figures up, written under the table.
    public var notes: [String]
    public var commitment: ServiceTargets.Commitment?

    public init(title: String, from: Day, to: Day, baseline: Day, by: ReportDimension?, amberBand: Double, rows: [CaseloadRow],
                notes: [String] = [], commitment: ServiceTargets.Commitment? = nil) {
        self.title = title
        self.from = from
        self.to = to
        self.baseline = baseline
        self.by = by
        self.amberBand = amberBand
        self.rows = rows
        self.notes = notes
        self.commitment = commitment
    }
}

/// Survey results for one period, respondent kind and breakdown value.
public struct SatisfactionRow: Sendable, Codable, Equatable {
    public var period: String
    public var from: Day
    public var to: Day
    public var breakdown: String?
    /// "user", "carer" or "all".
    public var respondent: String
    public var responses: Int
    public var satisfied: Int
    public var share: Double?
    /// 95 % Wilson interval of the share.
    public var lower: Double?
    public var upper: Double?
    public var target: Double?
    public var rag: RAG?
    /// Fewer responses than the minimum sample: no RAG is given ("too few").
    public var tooFew: Bool

    public init(period: ReportPeriod, breakdown: String?, respondent: String, responses: Int, satisfied: Int, target: Double?, amberBand: Double,
                minimumSample: Int = ServiceTargets.defaultMinimumSample) {
        self.period = period.label
        self.from = period.range.first
        self.to = period.range.last
        self.breakdown = breakdown
        self.respondent = respondent
        self.responses = responses
        self.satisfied = satisfied
        share = responses > 0 ? Double(satisfied) / Double(responses) : nil
        let interval = WilsonInterval(successes: satisfied, total: responses)
        lower = interval?.lower
        upper = interval?.upper
        self.target = target
        tooFew = responses < minimumSample
        rag = (share != nil && target != nil && !tooFew) ? RAG.rate(actual: share!, target: target!, amberBand: amberBand) : nil
    }
}

public struct SatisfactionReport: Sendable, Codable, Equatable {
    public var title: String
    public var from: Day
    public var to: Day
    public var by: ReportDimension?
    public var amberBand: Double
    public var minimumSample: Int
    public var rows: [SatisfactionRow]

    public init(title: String, from: Day, to: Day, by: ReportDimension?, amberBand: Double,
                minimumSample: Int = ServiceTargets.defaultMinimumSample, rows: [SatisfactionRow]) {
        self.title = title
        self.from = from
        self.to = to
        self.by = by
        self.amberBand = amberBand
        self.minimumSample = minimumSample
        self.rows = rows
    }
}
