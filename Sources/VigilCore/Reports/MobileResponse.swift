/// The mobile response against the TSA targets: of the visits not cancelled, the share on site within
/// 45 minutes of the decision to deploy (target 90 %) and within 60 (target 100 %), and how long
/// responders took to arrive; of the visits that arrived, the share in the home within 5 minutes of
/// arriving. A visit exactly 45:00 after dispatch is within, as is access at exactly 5:00; one that
/// never arrived, or arrived and never got in, is not.
public struct MobileResponseRow: Sendable, Codable, Equatable {
    /// `2026-12` (local month), or `all`.
    public var month: String
    /// The person's area, or nil for every area (and for a person with none).
    public var area: Int?
    public var visits: Int
    public var cancelled: Int
    public var shareWithin45: Double?
    public var shareWithin60: Double?
    public var medianArriveMinutes: Double?
    public var p90ArriveMinutes: Double?
    public var shareAccessWithin5: Double?

    public init(month: String, area: Int?, visits: Int, cancelled: Int, shareWithin45: Double? = nil, shareWithin60: Double? = nil,
                medianArriveMinutes: Double? = nil, p90ArriveMinutes: Double? = nil, shareAccessWithin5: Double? = nil) {
        self.month = month
        self.area = area
        self.visits = visits
        self.cancelled = cancelled
        self.shareWithin45 = shareWithin45
        self.shareWithin60 = shareWithin60
        self.medianArriveMinutes = medianArriveMinutes
        self.p90ArriveMinutes = p90ArriveMinutes
        self.shareAccessWithin5 = shareAccessWithin5
    }
}

public struct MobileResponse: Sendable, Codable, Equatable {
    public static let target45 = 0.90
    public static let target60 = 1.00

    public var rows: [MobileResponseRow]
    public var total: MobileResponseRow
    /// Call attempts recorded per alarm of the period, and people and services that touched each
    /// alarm (operators who held it, responders sent, people rung): the hand-offs measure.
    public var callAttemptsPerAlarm: Double?
    public var touchesPerAlarm: Double?

    public init(rows: [MobileResponseRow] = [], total: MobileResponseRow = MobileResponseRow(month: "all", area: nil, visits: 0, cancelled: 0),
                callAttemptsPerAlarm: Double? = nil, touchesPerAlarm: Double? = nil) {
        self.rows = rows
        self.total = total
        self.callAttemptsPerAlarm = callAttemptsPerAlarm
        self.touchesPerAlarm = touchesPerAlarm
    }

    /// One visit: its local month, the person's area, the time from dispatch to on site (nil: never
    /// arrived) and from on site to access gained (nil: never got in), and whether it was cancelled.
    public struct Visit: Sendable, Equatable {
        public var month: String
        public var area: Int?
        public var arriveMillis: EpochMillis?
        public var accessMillis: EpochMillis?
        public var cancelled: Bool

        public init(month: String, area: Int?, arriveMillis: EpochMillis?, accessMillis: EpochMillis? = nil, cancelled: Bool) {
            self.month = month
            self.area = area
            self.arriveMillis = arriveMillis
            self.accessMillis = accessMillis
            self.cancelled = cancelled
        }
    }

    public init(visits: [Visit], alarms: Int, callAttempts: Int, touches: Int) {
        let groups = Dictionary(grouping: visits) { "\($0.month)\u{0}\($0.area.map(String.init) ?? "")" }
        let rows = groups.values.map { Self.row(month: $0[0].month, area: $0[0].area, $0) }
            .sorted { ($0.month, $0.area ?? 0) < ($1.month, $1.area ?? 0) }
        self.init(rows: rows, total: Self.row(month: "all", area: nil, visits),
                  callAttemptsPerAlarm: alarms > 0 ? Double(callAttempts) / Double(alarms) : nil,
                  touchesPerAlarm: alarms > 0 ? Double(touches) / Double(alarms) : nil)
    }

    static func row(month: String, area: Int?, _ visits: [Visit]) -> MobileResponseRow {
        let counted = visits.filter { !$0.cancelled }
        let arrivals = counted.compactMap(\.arriveMillis).sorted()
        let arrived = counted.filter { $0.arriveMillis != nil }
        func share(_ limit: EpochMillis) -> Double? {
            counted.isEmpty ? nil : Double(arrivals.count { $0 <= limit }) / Double(counted.count)
        }
        // Nearest rank: the value at or below which the share `p` of arrivals fall.
        func percentile(_ p: Double) -> Double? {
            guard !arrivals.isEmpty else { return nil }
            let rank = max(1, Int((p * Double(arrivals.count)).rounded(.up)))
            return Double(arrivals[rank - 1]) / 60_000
        }
        return MobileResponseRow(month: month, area: area, visits: counted.count, cancelled: visits.count - counted.count,
                                 shareWithin45: share(45 * 60_000), shareWithin60: share(60 * 60_000),
                                 medianArriveMinutes: percentile(0.5), p90ArriveMinutes: percentile(0.9),
                                 shareAccessWithin5: arrived.isEmpty ? nil
                                     : Double(arrived.count { ($0.accessMillis ?? .max) <= VigilCore.Visit.accessMillis }) / Double(arrived.count))
    }
}
