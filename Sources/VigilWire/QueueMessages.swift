import VigilCore

/// One open alarm, retained on `{prefix}/v1/queue/alarms/{code}`. `claimed_by` and `claimed_at` are
/// null while nobody holds it, so every entry has the same keys.
public struct QueueEntry: Codable, Sendable, Equatable {
    public var code: String
    public var user: String
    public var person: String
    public var device: String
    /// An event type name (`heartbeat` for no contact). A string, so a console keeps showing alarms
    /// of a type newer than itself.
    public var type: String
    public var priority: Priority
    /// raised or claimed.
    public var state: String
    public var reason: String
    public var raisedAt: EpochMillis
    public var escalation: Int
    public var breached: Bool
    public var events: Int
    public var claimedBy: String?
    public var claimedAt: EpochMillis?
    /// The device's own time for the event that raised it (absent from older daemons' entries).
    public var sentAt: EpochMillis?
    /// Where the person is when not at home, or that their service ended ("in hospital since
    /// 2026-12-01"): the operator needs it before calling the house.
    public var personStatus: String?
    /// The newest open responder visit: "resp-1 en-route" (nil: none).
    public var visit: String?

    public init(code: String, user: String, person: String, device: String, type: String, priority: Priority, state: String, reason: String, raisedAt: EpochMillis, escalation: Int = 0, breached: Bool = false, events: Int = 1, claimedBy: String? = nil, claimedAt: EpochMillis? = nil, sentAt: EpochMillis? = nil, personStatus: String? = nil) {
        self.code = code
        self.user = user
        self.person = person
        self.device = device
        self.type = type
        self.priority = priority
        self.state = state
        self.reason = reason
        self.raisedAt = raisedAt
        self.escalation = escalation
        self.breached = breached
        self.events = events
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.sentAt = sentAt
        self.personStatus = personStatus
    }

    /// How long after the device sent it the alarm arrived, when that is over a minute.
    public var deliveredLateBy: EpochMillis? { Alarm.lateBy(sentAt: sentAt, receivedAt: raisedAt) }

    /// The entry for an open alarm; `person` is its person's name.
    public init(_ a: Alarm, person: String, personStatus: String? = nil) {
        self.init(code: a.code, user: a.user, person: person, device: a.device, type: a.type.rawValue, priority: a.priority,
                  state: a.status.rawValue, reason: a.reason, raisedAt: a.raisedAt, escalation: a.escalation, breached: a.breached,
                  events: a.events, claimedBy: a.claimedBy, claimedAt: a.claimedAt, sentAt: a.sentAt, personStatus: personStatus)
    }

    enum CodingKeys: String, CodingKey {
        case code = "id"
        case user, person, device, type, priority, state, reason, escalation, breached, events
        case raisedAt = "raised_at"
        case claimedBy = "claimed_by"
        case claimedAt = "claimed_at"
        case sentAt = "sent_at"
        case personStatus = "person_status"
        case visit
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.decode(String.self, forKey: .code), user: try c.decode(String.self, forKey: .user),
                  person: try c.decode(String.self, forKey: .person), device: try c.decode(String.self, forKey: .device),
                  type: try c.decode(String.self, forKey: .type), priority: try c.decode(Priority.self, forKey: .priority),
                  state: try c.decode(String.self, forKey: .state), reason: try c.decode(String.self, forKey: .reason),
                  raisedAt: try c.decode(time: .raisedAt), escalation: try c.decode(Int.self, forKey: .escalation),
                  breached: try c.decode(Bool.self, forKey: .breached), events: try c.decode(Int.self, forKey: .events),
                  claimedBy: try c.decodeIfPresent(String.self, forKey: .claimedBy), claimedAt: try c.decodeIfPresent(time: .claimedAt),
                  sentAt: try c.decodeIfPresent(time: .sentAt), personStatus: try c.decodeIfPresent(String.self, forKey: .personStatus))
        visit = try c.decodeIfPresent(String.self, forKey: .visit)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(user, forKey: .user)
        try c.encode(person, forKey: .person)
        try c.encode(device, forKey: .device)
        try c.encode(type, forKey: .type)
        try c.encode(priority, forKey: .priority)
        try c.encode(state, forKey: .state)
        try c.encode(reason, forKey: .reason)
        try c.encode(time: raisedAt, forKey: .raisedAt)
        try c.encode(escalation, forKey: .escalation)
        try c.encode(breached, forKey: .breached)
        try c.encode(events, forKey: .events)
        try c.encode(claimedBy, forKey: .claimedBy)
        try c.encode(time: claimedAt, forKey: .claimedAt)
        try c.encode(time: sentAt, forKey: .sentAt)
        try c.encode(personStatus, forKey: .personStatus)
        try c.encode(visit, forKey: .visit)
    }
}

/// The retained `{prefix}/v1/queue/summary`: the open queue's counts and the share of the last hour's
/// alarms answered within 60 s and 180 s (null while there is nothing to measure).
public struct QueueSummary: Codable, Sendable, Equatable {
    public var at: EpochMillis
    public var open: Int
    public var p1: Int
    public var p2: Int
    public var p3: Int
    public var claimed: Int
    public var escalated: Int
    /// Percent, one decimal.
    public var answered60: Double?
    public var answered180: Double?

    public init(at: EpochMillis = 0, open: Int = 0, p1: Int = 0, p2: Int = 0, p3: Int = 0, claimed: Int = 0, escalated: Int = 0, answered60: Double? = nil, answered180: Double? = nil) {
        self.at = at
        self.open = open
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
        self.claimed = claimed
        self.escalated = escalated
        self.answered60 = answered60
        self.answered180 = answered180
    }

    enum CodingKeys: String, CodingKey {
        case at, open, p1, p2, p3, claimed, escalated
        case answered60 = "answered_60s_pct"
        case answered180 = "answered_180s_pct"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(at: try c.decode(time: .at), open: try c.decode(Int.self, forKey: .open),
                  p1: try c.decode(Int.self, forKey: .p1), p2: try c.decode(Int.self, forKey: .p2), p3: try c.decode(Int.self, forKey: .p3),
                  claimed: try c.decode(Int.self, forKey: .claimed), escalated: try c.decode(Int.self, forKey: .escalated),
                  answered60: try c.decodeIfPresent(Double.self, forKey: .answered60),
                  answered180: try c.decodeIfPresent(Double.self, forKey: .answered180))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time: at, forKey: .at)
        try c.encode(open, forKey: .open)
        try c.encode(p1, forKey: .p1)
        try c.encode(p2, forKey: .p2)
        try c.encode(p3, forKey: .p3)
        try c.encode(claimed, forKey: .claimed)
        try c.encode(escalated, forKey: .escalated)
        try c.encode(answered60, forKey: .answered60)
        try c.encode(answered180, forKey: .answered180)
    }
}
