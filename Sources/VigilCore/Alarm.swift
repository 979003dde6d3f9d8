/// An alarm in the response queue. Never deleted: resolving it closes it.
public struct Alarm: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case raised, claimed, resolved
    }

    public var id: Int64
    public var code: String
    public var user: String
    public var device: String
    public var type: EventType
    public var priority: Priority
    public var reason: String
    public var state: State
    public var raisedAt: EpochMillis
    public var claimedBy: String?
    public var claimedAt: EpochMillis?
    /// The first time anyone claimed it: the answer time the TSA targets measure.
    public var firstClaimedAt: EpochMillis?
    /// Highest escalation level reached (0: none).
    public var escalation: Int
    /// Bit i set: step i of the priority's escalation chain has fired (for the current claim, for
    /// claimed-steps).
    public var stepsFired: UInt64
    /// An answer-time target was breached.
    public var breached: Bool
    public var events: Int
    public var closedAt: EpochMillis?
    public var outcome: Outcome?
    public var resolvedBy: String?
    /// Raised by heartbeat supervision rather than by a device event.
    public var isNoContact: Bool { type == .heartbeat }

    public init(id: Int64, code: String, user: String, device: String, type: EventType, priority: Priority, reason: String, state: State = .raised, raisedAt: EpochMillis, claimedBy: String? = nil, claimedAt: EpochMillis? = nil, firstClaimedAt: EpochMillis? = nil, escalation: Int = 0, stepsFired: UInt64 = 0, breached: Bool = false, events: Int = 1, closedAt: EpochMillis? = nil, outcome: Outcome? = nil, resolvedBy: String? = nil) {
        self.id = id
        self.code = code
        self.user = user
        self.device = device
        self.type = type
        self.priority = priority
        self.reason = reason
        self.state = state
        self.raisedAt = raisedAt
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.firstClaimedAt = firstClaimedAt
        self.escalation = escalation
        self.stepsFired = stepsFired
        self.breached = breached
        self.events = events
        self.closedAt = closedAt
        self.outcome = outcome
        self.resolvedBy = resolvedBy
    }

    /// `A-{year}-{number}`, the code operators read out and type.
    public static func code(id: Int64, year: Int) -> String {
        let n = String(id)
        return "A-\(year)-" + String(repeating: "0", count: max(0, 6 - n.count)) + n
    }
}

/// One line of the audit trail: who did what to which alarm, when.
public struct AuditEntry: Sendable, Equatable {
    public var at: EpochMillis
    public var alarmID: Int64?
    public var actor: String
    public var action: String
    public var detail: String

    public init(at: EpochMillis, alarmID: Int64?, actor: String, action: String, detail: String = "") {
        self.at = at
        self.alarmID = alarmID
        self.actor = actor
        self.action = action
        self.detail = detail
    }
}
