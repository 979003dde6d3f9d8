/// A mobile responder sent to an alarm: dispatched → en route → on site → access gained → left, each
/// with its time, or cancelled with a reason. The TSA measures are on site within 45 minutes of the
/// decision to deploy (90 % of visits) and within 60 minutes (all of them), and access gained within
/// 5 minutes of arriving. A responder may leave without getting in (nobody answers, the police force
/// the door): access is not needed to record that they left.
public struct Visit: Sendable, Equatable {
    public enum Stage: String, Sendable, CaseIterable, Codable {
        case dispatched
        case enRoute = "en-route"
        case onSite = "on-site"
        case accessGained = "access-gained"
        case left
        case cancelled

        var order: Int { Self.allCases.firstIndex(of: self)! }
    }

    public var id: Int64
    public var alarmID: Int64
    public var alarmCode: String
    public var responder: String
    public var dispatchedBy: String
    public var dispatchedAt: EpochMillis
    public var enRouteAt: EpochMillis?
    public var onSiteAt: EpochMillis?
    /// In the home with the person: a key safe opened, a keyholder let them in.
    public var accessGainedAt: EpochMillis?
    public var leftAt: EpochMillis?
    public var cancelledAt: EpochMillis?
    public var cancelReason: String?
    /// The 45-minute "not on site" notice has gone out; the 60-minute breach has been recorded.
    public var lateNoticeSent: Bool
    public var breached: Bool

    public init(id: Int64, alarmID: Int64, alarmCode: String, responder: String, dispatchedBy: String, dispatchedAt: EpochMillis,
                enRouteAt: EpochMillis? = nil, onSiteAt: EpochMillis? = nil, accessGainedAt: EpochMillis? = nil, leftAt: EpochMillis? = nil, cancelledAt: EpochMillis? = nil,
                cancelReason: String? = nil, lateNoticeSent: Bool = false, breached: Bool = false) {
        self.id = id
        self.alarmID = alarmID
        self.alarmCode = alarmCode
        self.responder = responder
        self.dispatchedBy = dispatchedBy
        self.dispatchedAt = dispatchedAt
        self.enRouteAt = enRouteAt
        self.onSiteAt = onSiteAt
        self.accessGainedAt = accessGainedAt
        self.leftAt = leftAt
        self.cancelledAt = cancelledAt
        self.cancelReason = cancelReason
        self.lateNoticeSent = lateNoticeSent
        self.breached = breached
    }

    public var stage: Stage {
        if cancelledAt != nil { return .cancelled }
        if leftAt != nil { return .left }
        if accessGainedAt != nil { return .accessGained }
        if onSiteAt != nil { return .onSite }
        if enRouteAt != nil { return .enRoute }
        return .dispatched
    }

    /// Still to be closed: the responder has not left and nobody cancelled it.
    public var isOpen: Bool { stage != .left && stage != .cancelled }

    /// Past this without arriving, the holder and the supervisors are told.
    public static let lateMillis: EpochMillis = 45 * 60_000
    /// Past this without arriving, the visit breaches the mobile-response target.
    public static let breachMillis: EpochMillis = 60 * 60_000
    /// The TSA target for getting in once on site.
    public static let accessMillis: EpochMillis = 5 * 60_000

    /// When a timer of this visit next falls due, or nil.
    public func nextDue(late: EpochMillis = Visit.lateMillis, breach: EpochMillis = Visit.breachMillis) -> EpochMillis? {
        guard isOpen, onSiteAt == nil else { return nil }
        if !lateNoticeSent { return dispatchedAt + late }
        if !breached { return dispatchedAt + breach }
        return nil
    }
}

/// How a call the operator made ended.
public enum CallResult: String, Sendable, CaseIterable, Codable {
    case answered
    case noAnswer = "no-answer"
    case voicemail
    case willAttend = "will-attend"
    case declined
    case wrongNumber = "wrong-number"
}
