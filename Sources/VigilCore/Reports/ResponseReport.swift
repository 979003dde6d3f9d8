/// Answer and resolution performance of a set of alarms, computed from histograms of whole seconds.
public struct ResponseStats: Sendable, Codable, Equatable {
    public var alarms: Int
    /// Alarms the answer-time shares are taken of: all but those withdrawn at the device before
    /// anyone claimed them, and live alarms whose claim time the store does not hold.
    public var answerable: Int
    /// Alarms an operator claimed.
    public var claimed: Int
    public var within60s: Int
    public var within180s: Int
    public var shareWithin60s: Double?
    public var shareWithin180s: Double?
    public var rag60s: RAG?
    public var rag180s: RAG?
    public var medianClaimSeconds: Int?
    public var p90ClaimSeconds: Int?
    /// Time from raised to resolved, in whole minutes rounded up (resolution is measured in minutes).
    public var medianResolveMinutes: Int?
    public var p90ResolveMinutes: Int?
    public var escalatedAlarms: Int
    public var escalations: Int

    /// `claim` holds (seconds to claim, rounded up, count) for claimed alarms: a claim at 60.4 s is
    /// 61 s and so not "within 60 s". `resolve` holds (minutes from raised to resolved, rounded up, count).
    /// Shares are of `answerable` alarms: one never claimed was not answered in time.
    public init(alarms: Int, answerable: Int, claim: [(value: Int, count: Int)], resolve: [(value: Int, count: Int)],
                escalatedAlarms: Int, escalations: Int, amberBand: Double = 0.05) {
        self.alarms = alarms
        self.answerable = answerable
        claimed = claim.reduce(0) { $0 + $1.count }
        within60s = claim.filter { $0.value <= 60 }.reduce(0) { $0 + $1.count }
        within180s = claim.filter { $0.value <= 180 }.reduce(0) { $0 + $1.count }
        shareWithin60s = answerable > 0 ? Double(within60s) / Double(answerable) : nil
        shareWithin180s = answerable > 0 ? Double(within180s) / Double(answerable) : nil
        rag60s = shareWithin60s.map { RAG.rate(actual: $0, target: ServiceTargets.answeredWithin60s, amberBand: amberBand) }
        rag180s = shareWithin180s.map { RAG.rate(actual: $0, target: ServiceTargets.answeredWithin180s, amberBand: amberBand) }
        medianClaimSeconds = Percentile.nearestRank(0.5, histogram: claim)
        p90ClaimSeconds = Percentile.nearestRank(0.9, histogram: claim)
        medianResolveMinutes = Percentile.nearestRank(0.5, histogram: resolve)
        p90ResolveMinutes = Percentile.nearestRank(0.9, histogram: resolve)
        self.escalatedAlarms = escalatedAlarms
        self.escalations = escalations
    }
}

public struct ResponseGroupRow: Sendable, Codable, Equatable {
    public var type: String
    public var priority: Int
    public var stats: ResponseStats
    public init(type: String, priority: Int, stats: ResponseStats) {
        self.type = type
        self.priority = priority
        self.stats = stats
    }
}

public struct OutcomeRow: Sendable, Codable, Equatable {
    public var outcome: String
    public var alarms: Int
    public var share: Double
    public init(outcome: String, alarms: Int, share: Double) {
        self.outcome = outcome
        self.alarms = alarms
        self.share = share
    }
}

/// What became of one type of alarm: how many a responder reached, and how many of those ended
/// without an ambulance (the call-outs a visit avoided).
public struct TypeOutcomeRow: Sendable, Codable, Equatable {
    public var type: String
    public var alarms: Int
    /// A responder got there: a visit on site (live alarms), or closed as `responder-sent` (history).
    public var responderVisits: Int
    /// Of those, closed without an ambulance call-out or a hospital admission.
    public var ambulanceAvoided: Int
    /// An ambulance called, conveyed, not conveyed (all call-outs), and of them those known conveyed.
    public var ambulances: Int
    public var conveyed: Int
    public var notConveyed: Int
    public var admitted: Int
    public var gpAppointments: Int
    public var fallsInjured: Int
    public var fallsNotInjured: Int

    public init(type: String, alarms: Int = 0, responderVisits: Int = 0, ambulanceAvoided: Int = 0, ambulances: Int = 0, conveyed: Int = 0,
                notConveyed: Int = 0, admitted: Int = 0, gpAppointments: Int = 0, fallsInjured: Int = 0, fallsNotInjured: Int = 0) {
        self.type = type
        self.alarms = alarms
        self.responderVisits = responderVisits
        self.ambulanceAvoided = ambulanceAvoided
        self.ambulances = ambulances
        self.conveyed = conveyed
        self.notConveyed = notConveyed
        self.admitted = admitted
        self.gpAppointments = gpAppointments
        self.fallsInjured = fallsInjured
        self.fallsNotInjured = fallsNotInjured
    }

    /// Counts one alarm of this type closed with `outcome` (nil: still open), reached by a responder or not.
    public mutating func add(_ outcome: Outcome?, visited: Bool) {
        alarms += 1
        let ambulance = outcome?.isAmbulanceCallOut ?? false
        if visited {
            responderVisits += 1
            if let outcome, !ambulance, outcome != .admittedToHospital { ambulanceAvoided += 1 }
        }
        if ambulance { ambulances += 1 }
        switch outcome {
        case .ambulanceConveyed: conveyed += 1
        case .ambulanceNotConveyed: notConveyed += 1
        case .admittedToHospital: admitted += 1
        case .gpAppointment: gpAppointments += 1
        case .fallInjured: fallsInjured += 1
        case .fallNotInjured: fallsNotInjured += 1
        default: break
        }
    }
}

public struct OperatorRow: Sendable, Codable, Equatable {
    public var name: String
    public var stats: ResponseStats
    public init(name: String, stats: ResponseStats) {
        self.name = name
        self.stats = stats
    }
}

/// Alarms and ambulance call-outs of one care home in one calendar month.
public struct CareHomeMonthRow: Sendable, Codable, Equatable {
    public var careHome: String
    public var month: String
    public var alarms: Int
    public var ambulances: Int
    /// True once the home's video support is live for the whole month.
    public var videoSupport: Bool
    /// True once the home's telehealth is live for the whole month.
    public var telehealth: Bool
    /// The home's residents with the service that month (`ResidentMonths`).
    public var residentMonths: Double
    public var ambulancesPer100ResidentMonths: Double?
    public init(careHome: String, month: String, alarms: Int, ambulances: Int, videoSupport: Bool, telehealth: Bool = false, residentMonths: Double = 0) {
        self.careHome = careHome
        self.month = month
        self.alarms = alarms
        self.ambulances = ambulances
        self.videoSupport = videoSupport
        self.telehealth = telehealth
        self.residentMonths = residentMonths
        ambulancesPer100ResidentMonths = CareHomeChange.per100(ambulances, residentMonths)
    }
}

/// How many care homes had video support and telehealth live in one month (by its last day).
public struct CareHomesLiveRow: Sendable, Codable, Equatable {
    public var month: String
    public var homes: Int
    public var videoSupport: Int
    public var telehealth: Int
    public init(month: String, homes: Int, videoSupport: Int, telehealth: Int) {
        self.month = month
        self.homes = homes
        self.videoSupport = videoSupport
        self.telehealth = telehealth
    }
}

/// Ambulance call-outs per 100 alarms, and per 100 resident-months, before and after a home's
/// video support went live.
public struct CareHomeChange: Sendable, Codable, Equatable {
    public var careHome: String
    public var videoSupportFrom: Day?
    public var telehealthFrom: Day?
    public var alarmsBefore: Int
    public var ambulancesBefore: Int
    public var alarmsAfter: Int
    public var ambulancesAfter: Int
    public var per100Before: Double?
    public var per100After: Double?
    public var residentMonthsBefore: Double
    public var residentMonthsAfter: Double
    public var per100ResidentMonthsBefore: Double?
    public var per100ResidentMonthsAfter: Double?
    public init(careHome: String, videoSupportFrom: Day?, telehealthFrom: Day? = nil, alarmsBefore: Int, ambulancesBefore: Int, alarmsAfter: Int,
                ambulancesAfter: Int, residentMonthsBefore: Double = 0, residentMonthsAfter: Double = 0) {
        self.careHome = careHome
        self.videoSupportFrom = videoSupportFrom
        self.telehealthFrom = telehealthFrom
        self.alarmsBefore = alarmsBefore
        self.ambulancesBefore = ambulancesBefore
        self.alarmsAfter = alarmsAfter
        self.ambulancesAfter = ambulancesAfter
        per100Before = Self.per100(ambulancesBefore, Double(alarmsBefore))
        per100After = Self.per100(ambulancesAfter, Double(alarmsAfter))
        self.residentMonthsBefore = residentMonthsBefore
        self.residentMonthsAfter = residentMonthsAfter
        per100ResidentMonthsBefore = Self.per100(ambulancesBefore, residentMonthsBefore)
        per100ResidentMonthsAfter = Self.per100(ambulancesAfter, residentMonthsAfter)
    }

    /// `count` per 100 of `base`; nil when there is no base to divide by.
    static func per100(_ count: Int, _ base: Double) -> Double? { base > 0 ? 100 * Double(count) / base : nil }
}

/// One bar of the answer-time distribution.
public struct TimeBin: Sendable, Codable, Equatable {
    public var label: String
    public var fromSeconds: Int
    /// Inclusive upper bound; nil for the open last bin.
    public var toSeconds: Int?
    public var alarms: Int
    public init(label: String, fromSeconds: Int, toSeconds: Int?, alarms: Int) {
        self.label = label
        self.fromSeconds = fromSeconds
        self.toSeconds = toSeconds
        self.alarms = alarms
    }

    /// Bins chosen around the TSA's 60 s and 180 s marks.
    public static let edges = [15, 30, 45, 60, 90, 120, 180, 300]

    public static func distribution(_ claim: [(value: Int, count: Int)]) -> [TimeBin] {
        var bins: [TimeBin] = []
        var low = 0
        for edge in edges {
            let n = claim.filter { $0.value >= low && $0.value <= edge }.reduce(0) { $0 + $1.count }
            bins.append(TimeBin(label: "\(low)–\(edge) s", fromSeconds: low, toSeconds: edge, alarms: n))
            low = edge + 1
        }
        let rest = claim.filter { $0.value >= low }.reduce(0) { $0 + $1.count }
        bins.append(TimeBin(label: "over \(low - 1) s", fromSeconds: low, toSeconds: nil, alarms: rest))
        return bins
    }
}

public struct ResponseReport: Sendable, Codable, Equatable {
    public var title: String
    public var from: Day
    public var to: Day
    public var total: ResponseStats
    public var byTypeAndPriority: [ResponseGroupRow]
    public var outcomes: [OutcomeRow]
    public var operators: [OperatorRow]
    public var careHomeMonths: [CareHomeMonthRow]
    public var careHomeChanges: [CareHomeChange]
    /// Every month of the period: how many homes had video support and telehealth live.
    public var careHomesLive: [CareHomesLiveRow] = []
    public var answerTimes: [TimeBin]
    /// The zone whose local days and months bucket the alarms (the service's, Europe/London by default).
    public var timeZone: String
    /// Responders sent, against the 45- and 60-minute targets; calls and hand-offs per alarm.
    public var mobile = MobileResponse()
    /// Outcomes by alarm type, with the ambulance call-outs a responder visit avoided.
    public var outcomesByType: [TypeOutcomeRow] = []

    public init(title: String, from: Day, to: Day, total: ResponseStats, byTypeAndPriority: [ResponseGroupRow], outcomes: [OutcomeRow],
                operators: [OperatorRow], careHomeMonths: [CareHomeMonthRow], careHomeChanges: [CareHomeChange], answerTimes: [TimeBin],
                timeZone: String = "UTC") {
        self.title = title
        self.from = from
        self.to = to
        self.total = total
        self.byTypeAndPriority = byTypeAndPriority
        self.outcomes = outcomes
        self.operators = operators
        self.careHomeMonths = careHomeMonths
        self.careHomeChanges = careHomeChanges
        self.answerTimes = answerTimes
        self.timeZone = timeZone
    }
}
